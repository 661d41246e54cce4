package io.smsreports.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.app.TopicSetup;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import io.smsreports.embedded.EmbeddedKafkaBroker;
import io.smsreports.events.Topics;
import io.smsreports.registry.DevSchemaRegistryServer;
import io.smsreports.testing.Poll;
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
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.tools.StreamsResetter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's path for reprocessing from scratch, on a real broker: the pipeline counts a dataset, is stopped, the
 * application is reset with Kafka's own {@code kafka-streams-application-reset} ({@link StreamsResetter}: input offsets
 * to earliest, internal topics deleted) and its state directory wiped; started again it rebuilds every figure exactly,
 * and {@code sms.delivered} holds each delivered SMS once per run.
 */
@Tag("integration")
class ReprocessIntegrationTest {

    private static final int PARTITIONS = 2;
    private static final Topics TOPICS = Topics.defaults();
    private static final String APP_ID = "sms-reports-reprocess-test";

    @Test
    void shouldRebuildTheSameFiguresAfterAnApplicationResetAndAStateWipe(@TempDir final Path dir) throws Exception {
        final SmsWorkload workload = new SmsWorkload(TOPICS, PARTITIONS);
        final long t0 = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS).toEpochMilli();
        final List<SmsWorkload.Input> inputs = workload.dataset(t0, 3_000, 0, 20261205);
        final SmsWorkload.Expected expected = workload.expected(inputs);
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().dataDirectory(dir.resolve("kafka")).build().start();
             DevSchemaRegistryServer registry = DevSchemaRegistryServer.startEphemeral()) {
            kafka.createTopics(TopicSetup.newTopics(TOPICS, PARTITIONS, (short) 1).stream().map(topic -> {
                final Map<String, String> configs = new HashMap<>(topic.configs() == null ? Map.of() : topic.configs());
                configs.put("retention.ms", "-1"); // the records are weeks old by their timestamps
                return topic.configs(configs);
            }).toList());
            SmsWorkload.produce(kafka.bootstrapServers(), registry.url(), inputs);
            final Path stateDir = dir.resolve("state");
            final ProcessorConfig config = ProcessorConfig.from(Settings.of(Map.of(
                    ProcessorConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    ProcessorConfig.SCHEMA_REGISTRY_URL, registry.url(),
                    ProcessorConfig.SMS_APPLICATION_ID, APP_ID,
                    ProcessorConfig.SMS_STATE_DIR, stateDir.toString(),
                    ProcessorConfig.SMS_EXPIRY_SCAN_INTERVAL, "1s",
                    ProcessorConfig.SMS_IDLE_CLOCK_LAG, "365d")), true);
            try (SmsWorkload.DeliveredWatcher delivered = new SmsWorkload.DeliveredWatcher(kafka.bootstrapServers(), registry.url(),
                    TOPICS.delivered())) {
                countAll(workload, config, expected);

                final int reset = new StreamsResetter().execute(new String[] {"--bootstrap-server", kafka.bootstrapServers(),
                    "--application-id", APP_ID, "--input-topics", String.join(",", TOPICS.inputs()), "--force"});
                assertThat(reset).as("kafka-streams-application-reset's exit status").isZero();
                deleteRecursively(stateDir);
                countAll(workload, config, expected);

                final int twice = expected.delivered().size() * 2;
                Poll.until("sms.delivered of both runs", Duration.ofMinutes(2), Duration.ofMillis(500), () -> delivered.count() >= twice);
                final List<String> both = new ArrayList<>(expected.delivered());
                both.addAll(expected.delivered());
                assertThat(delivered.all()).as("each delivered SMS once per run").containsExactlyInAnyOrderElementsOf(both);
            }
        }
    }

    private static void countAll(final SmsWorkload workload, final ProcessorConfig config, final SmsWorkload.Expected expected) {
        try (SmsWorkload.Verifier run = SmsWorkload.Verifier.start(config)) {
            Poll.untilPasses("every figure counted", Duration.ofMinutes(4), Duration.ofSeconds(1), () -> workload.assertStores(run, expected),
                    InvalidStateStoreException.class);
        }
    }

    private static void deleteRecursively(final Path directory) throws java.io.IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
        }
    }
}
