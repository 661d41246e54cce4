package io.smsreports.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class DecodeStallsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final DecodeStalls stalls = new DecodeStalls(clock);

    @Test
    void shouldReportAStallUntilEveryStalledInputClearsAndCountOnePauseAndOneResume() {
        final TaskId t0 = new TaskId(0, 0);
        final TaskId t1 = new TaskId(0, 1);
        stalls.stalled(t0, "sms.dispatches", "registry down", 3);
        stalls.stalled(t1, "sms.receipts", "registry down", 4);
        assertThat(stalls.problem()).contains("registry down").contains("7 record(s) held");
        assertThat(stalls.isStalled(t0)).isTrue();
        stalls.cleared(t0, "sms.dispatches");
        assertThat(stalls.problem()).as("one input still stalled").isNotNull();
        stalls.cleared(t1, "sms.receipts");
        assertThat(stalls.problem()).isNull();
        assertThat(stalls.transitions()).isEqualTo(2);
    }

    @Test
    void shouldForgetAStallItsTaskStoppedConfirmingSoAMovedTaskDoesNotKeepTheInstanceUnready() {
        final TaskId moved = new TaskId(0, 2);
        stalls.stalled(moved, "sms.dispatches", "registry down", 10);
        clock.advance(DecodeStalls.UNCONFIRMED_AFTER.minusSeconds(1));
        stalls.parked(moved, "sms.dispatches", 12); // still here: confirmed
        clock.advance(DecodeStalls.UNCONFIRMED_AFTER.minusSeconds(1));
        assertThat(stalls.problem()).contains("12 record(s) held");
        clock.advance(Duration.ofSeconds(2)); // the task moved away: no more confirmations
        assertThat(stalls.problem()).isNull();
        assertThat(stalls.isStalled(moved)).isFalse();
    }
}
