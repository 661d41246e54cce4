package io.smsreports.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.app.TopicSetup;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import io.smsreports.embedded.EmbeddedKafkaBroker;
import io.smsreports.events.Topics;
import io.smsreports.registry.DevSchemaRegistryServer;
import io.smsreports.testing.Poll;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once under crashes, on a real broker: 12,000 SMS over four campaigns with shuffled, duplicated,
 * early, late and missing receipts, orphans and poison records, recipients not sent to, clicks and replies (rules 14, 16
 * and 17) are processed by the stream processor in a
 * child JVM that is killed with SIGKILL twice mid-way (the second time its state directory is wiped too, so
 * it restores from the changelogs). Afterwards a fresh instance, restoring everything from the changelogs,
 * must hold exactly what the reference model computes, and {@code sms.delivered} (read_committed) must hold
 * exactly one event per delivered SMS.
 */
@Tag("integration")
class CrashRecoveryIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryIntegrationTest.class);
    private static final int PARTITIONS = 3;
    private static final int SMS = 12_000;
    private static final Topics TOPICS = Topics.defaults();
    private static final String APP_ID = "sms-reports-crash-test";

    private static final SmsWorkload WORKLOAD = new SmsWorkload(TOPICS, PARTITIONS);

    @Test
    void shouldCountExactlyOnceAcrossKillsAndAStateWipe(@TempDir final Path dir) throws Exception {
        // Event times lie 30 days back; the idle-task clock lag is set beyond that, so that only stream time
        // moves the clock and the outcome is a function of the data alone, as the model assumes.
        final long t0 = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS).toEpochMilli();
        final List<SmsWorkload.Input> inputs = WORKLOAD.dataset(t0, SMS, 20, 20261127);
        final SmsWorkload.Expected expected = WORKLOAD.expected(inputs);
        LOG.info("Dataset: {} records; expecting {} delivered, {} orphan receipts", inputs.size(), expected.delivered().size(),
                expected.orphans());

        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().dataDirectory(dir.resolve("kafka")).build().start();
             DevSchemaRegistryServer registry = DevSchemaRegistryServer.startEphemeral()) {
            // The records are weeks old by their timestamps: keep them, whatever the broker's time retention.
            kafka.createTopics(TopicSetup.newTopics(TOPICS, PARTITIONS, (short) 1).stream()
                    .map(topic -> {
                        final Map<String, String> configs = new HashMap<>(topic.configs() == null ? Map.of() : topic.configs());
                        configs.put("retention.ms", "-1");
                        return topic.configs(configs);
                    }).toList());
            SmsWorkload.produce(kafka.bootstrapServers(), registry.url(), inputs);

            final SmsWorkload.DeliveredWatcher delivered = new SmsWorkload.DeliveredWatcher(kafka.bootstrapServers(), registry.url(),
                    TOPICS.delivered());
            final Path stateDir = dir.resolve("child-state");
            final Map<String, String> env = Map.of(
                    ProcessorConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    ProcessorConfig.SCHEMA_REGISTRY_URL, registry.url(),
                    ProcessorConfig.SMS_APPLICATION_ID, APP_ID,
                    ProcessorConfig.SMS_STATE_DIR, stateDir.toString(),
                    ProcessorConfig.SMS_COMMIT_INTERVAL, "200ms",
                    ProcessorConfig.SMS_EXPIRY_SCAN_INTERVAL, "1s",
                    ProcessorConfig.SMS_IDLE_CLOCK_LAG, "365d");
            final int total = expected.delivered().size();
            final Path logs = Files.createDirectories(Path.of("target", "crash-recovery-logs", String.valueOf(System.currentTimeMillis())));
            final List<Process> children = new ArrayList<>();
            try {
                killWhenDeliveredReaches(startChild(env, logs.resolve("child-1.log"), children), delivered, total / 5, total);
                killWhenDeliveredReaches(startChild(env, logs.resolve("child-2.log"), children), delivered, total * 3 / 5, total);
                deleteRecursively(stateDir); // the third run restores every store from its changelog
                final Process last = startChild(env, logs.resolve("child-3.log"), children);
                Poll.until("all SMS Delivered events", Duration.ofMinutes(6), Duration.ofMillis(500), () -> delivered.count() >= total
                        || !last.isAlive());
                assertThat(last.isAlive()).as("the last child is still running").isTrue();
                last.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

                // A fresh instance with empty local state: restores from the changelogs and finishes anything left.
                final ProcessorConfig verifierConfig = ProcessorConfig.from(Settings.of(env)
                        .with(Map.of(ProcessorConfig.SMS_STATE_DIR, dir.resolve("verifier-state").toString())), true);
                try (SmsWorkload.Verifier verifier = SmsWorkload.Verifier.start(verifierConfig)) {
                    // One comparison can take many seconds on a loaded machine: the deadline is judged between comparisons.
                    Poll.untilPasses("restored state equals the model", Duration.ofMinutes(4), Duration.ofSeconds(1),
                            () -> WORKLOAD.assertStores(verifier, expected), InvalidStateStoreException.class);
                    // ... and stays equal: once nothing is in flight any more, nothing was counted twice.
                    SmsWorkload.awaitSettled(verifier, Duration.ofMinutes(2), Duration.ofSeconds(2));
                    WORKLOAD.assertStores(verifier, expected);
                }
                // Sorted and compared as lists: containsExactlyInAnyOrder is quadratic, minutes for 25,000 events on a loaded machine.
                assertThat(delivered.all().stream().sorted().toList()).as("sms.delivered, read_committed: exactly one event per delivered SMS")
                        .isEqualTo(expected.delivered().stream().sorted().toList());
                assertThat(SmsWorkload.count(kafka.bootstrapServers(), TOPICS.deadLetters())).as("poison records in the dead-letter topic")
                        .isEqualTo(expected.poison());
            } finally {
                for (final Process child : children) {
                    child.destroyForcibly(); // never leave a child JVM behind, whatever happened
                }
                delivered.close();
            }
        }
    }

    private static Process startChild(final Map<String, String> env, final Path log, final List<Process> children) throws Exception {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.smsreports.app.StreamProcessorApp");
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        LOG.info("Starting the stream processor in a child JVM, log in {}", log);
        final Process child = builder.start();
        children.add(child);
        return child;
    }

    private static void killWhenDeliveredReaches(final Process child, final SmsWorkload.DeliveredWatcher delivered, final int threshold,
            final int total) throws Exception {
        Poll.until("child progress to " + threshold + " delivered", Duration.ofMinutes(5), Duration.ofMillis(50),
                () -> delivered.count() >= threshold || !child.isAlive());
        assertThat(child.isAlive()).as("the child is still running when it is killed").isTrue();
        child.destroyForcibly(); // SIGKILL: no clean shutdown, an open transaction is left behind
        child.waitFor(30, TimeUnit.SECONDS);
        final int seen = delivered.count();
        LOG.info("Killed the stream processor at {} of {} delivered", seen, total);
        assertThat(seen).as("killed mid-way").isLessThan(total);
    }

    private static void deleteRecursively(final Path directory) throws java.io.IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
