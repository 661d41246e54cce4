package io.smsreports.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RestoreProgressTest {

    private final TopicPartition stats = new TopicPartition("app-campaign-stats-changelog", 0);
    private final TopicPartition hourly = new TopicPartition("app-campaign-hourly-changelog", 1);

    @Test
    void shouldCountWhatIsLeftToRestoreUntilEveryRestoreEnds() {
        final RestoreProgress progress = new RestoreProgress();
        progress.onRestoreStart(stats, "campaign-stats", 100, 199); // offsets 100..199: 100 left
        progress.onRestoreStart(hourly, "campaign-hourly", 0, 49);
        assertThat(progress.remainingOffsets()).isEqualTo(150);
        assertThat(progress.partitions()).isEqualTo(2);

        progress.onBatchRestored(stats, "campaign-stats", 159, 60);
        assertThat(progress.remainingOffsets()).isEqualTo(90);
        assertThat(progress.restoredRecords()).isEqualTo(60);

        progress.onRestoreSuspended(hourly, "campaign-hourly", 0); // migrated away: not restored here any more
        progress.onBatchRestored(stats, "campaign-stats", 199, 40);
        assertThat(progress.remainingOffsets()).isZero();
        progress.onRestoreEnd(stats, "campaign-stats", 100);
        assertThat(progress.partitions()).isZero();
        assertThat(progress.restoredRecords()).isEqualTo(100);
    }
}
