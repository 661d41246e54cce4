package io.smsreports.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UncleanStopRecoveryTest {

    @Test
    void shouldRemoveOnlyTheTaskDirectoriesAfterARunThatDidNotStopCleanly(@TempDir final Path dir) throws Exception {
        final ProcessorConfig config = ProcessorConfig.from(Settings.of(Map.of(ProcessorConfig.SMS_STATE_DIR, dir.toString(),
                ProcessorConfig.SMS_APPLICATION_ID, "app")), false);
        final Path app = dir.resolve("app");
        final Path task = Files.createDirectories(app.resolve("0_1").resolve("rocksdb").resolve("sms-state"));
        Files.writeString(task.resolve("000001.sst"), "data");
        final Path processFile = Files.writeString(app.resolve("kafka-streams-process-metadata"), "process id");
        final Path identity = Files.writeString(dir.resolve("instance-id"), "member");

        final UncleanStopRecovery first = new UncleanStopRecovery(config);
        first.beforeStart();
        assertThat(app.resolve("0_1")).as("no marker: a first start, or after a clean stop").exists();
        first.started();
        first.stoppedCleanly();
        new UncleanStopRecovery(config).beforeStart();
        assertThat(app.resolve("0_1")).as("stopped cleanly: its state is kept").exists();

        new UncleanStopRecovery(config).started(); // ... and then killed: no clean stop
        final UncleanStopRecovery restarted = new UncleanStopRecovery(config);
        restarted.beforeStart();
        assertThat(app.resolve("0_1")).as("the task's state, to be restored from its changelogs").doesNotExist();
        assertThat(processFile).as("Kafka Streams' process id (its transactional ids)").exists();
        assertThat(identity).as("the instance identity (static membership)").exists();
    }
}
