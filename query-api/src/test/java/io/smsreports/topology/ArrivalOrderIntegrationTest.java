package io.smsreports.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.app.TopicSetup;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import io.smsreports.embedded.EmbeddedKafkaBroker;
import io.smsreports.events.Topics;
import io.smsreports.registry.DevSchemaRegistryServer;
import io.smsreports.testing.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule 13 on a real broker: 40,000 SMS with a 20 h receipt timeout, produced while the service runs, once in time order
 * and once with every receipt produced before any dispatch (a sender's outbox publishing its backlog after the
 * gateways' receipts: the service processes the receipts while the dispatches are still on their way). Record
 * timestamps are the producers' (each record's event time, as in the time-ordered run). Both runs must hold exactly what
 * the order-independent model says: every figure, hour, failed user, person history, latency, the reconciliation and
 * each {@code sms.delivered} event once.
 */
@Tag("integration")
class ArrivalOrderIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(ArrivalOrderIntegrationTest.class);
    private static final int PARTITIONS = 3;
    private static final int SMS = 40_000;
    private static final Duration RECEIPT_TIMEOUT = Duration.ofHours(20);
    private static final Topics TOPICS = Topics.defaults();
    private static final SmsWorkload WORKLOAD = new SmsWorkload(TOPICS, PARTITIONS);

    @Test
    void shouldCountTheSameWhetherReceiptsOrDispatchesArriveFirst(@TempDir final Path dir) throws Exception {
        final long t0 = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS).toEpochMilli();
        final List<SmsWorkload.Input> timeOrdered = WORKLOAD.dataset(t0, SMS, 0, 20261204, 5_000);
        final SmsWorkload.Expected expected = WORKLOAD.expected(timeOrdered, RECEIPT_TIMEOUT.toMillis());
        assertThat(expected.reconciliation().values().stream().mapToLong(r -> r[2]).sum()).as("late receipts in the dataset").isPositive();
        LOG.info("Dataset: {} records; expecting {} delivered, {} orphan receipts", timeOrdered.size(), expected.delivered().size(),
                expected.orphans());

        run(dir.resolve("time-ordered"), timeOrdered, expected);
        run(dir.resolve("receipts-first"), receiptsFirst(timeOrdered), expected);
    }

    /** The same records, every receipt (in its order) before the campaigns and dispatches (in theirs). */
    private static List<SmsWorkload.Input> receiptsFirst(final List<SmsWorkload.Input> inputs) {
        final List<SmsWorkload.Input> reordered = new ArrayList<>(inputs.size());
        inputs.stream().filter(input -> input.topic().equals(TOPICS.receipts())).forEach(reordered::add);
        inputs.stream().filter(input -> !input.topic().equals(TOPICS.receipts())).forEach(reordered::add);
        return reordered;
    }

    private static void run(final Path dir, final List<SmsWorkload.Input> inputs, final SmsWorkload.Expected expected) throws Exception {
        final long started = System.nanoTime();
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().dataDirectory(dir.resolve("kafka")).build().start();
             DevSchemaRegistryServer registry = DevSchemaRegistryServer.startEphemeral()) {
            kafka.createTopics(TopicSetup.newTopics(TOPICS, PARTITIONS, (short) 1).stream()
                    .map(topic -> {
                        final Map<String, String> configs = new HashMap<>(topic.configs() == null ? Map.of() : topic.configs());
                        configs.put("retention.ms", "-1"); // weeks-old record timestamps: keep them
                        return topic.configs(configs);
                    }).toList());
            final ProcessorConfig config = ProcessorConfig.from(Settings.of(Map.of(
                    ProcessorConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    ProcessorConfig.SCHEMA_REGISTRY_URL, registry.url(),
                    ProcessorConfig.SMS_APPLICATION_ID, "sms-reports-order-test",
                    ProcessorConfig.SMS_STATE_DIR, dir.resolve("state").toString(),
                    ProcessorConfig.SMS_RECEIPT_TIMEOUT, RECEIPT_TIMEOUT.toHours() + "h",
                    ProcessorConfig.SMS_EXPIRY_SCAN_INTERVAL, "1s",
                    // An input caught up and silent this long stops holding the watermark back: longer than producing
                    // the receipts takes here (the dispatches topic is empty meanwhile). IdleClockIntegrationTest tests idleness.
                    ProcessorConfig.SMS_INPUT_IDLENESS, "5m",
                    // Only the data's own time moves the clock: the outcome is a function of the data, as the model assumes.
                    ProcessorConfig.SMS_IDLE_CLOCK_LAG, "365d")), true);
            try (SmsWorkload.DeliveredWatcher delivered = new SmsWorkload.DeliveredWatcher(kafka.bootstrapServers(), registry.url(),
                    TOPICS.delivered());
                 SmsWorkload.Verifier pipeline = SmsWorkload.Verifier.start(config)) {
                SmsWorkload.produce(kafka.bootstrapServers(), registry.url(), inputs); // in list order, while the service runs
                Poll.until("every input consumed", Duration.ofMinutes(10), Duration.ofSeconds(1), () ->
                        SmsWorkload.consumedAll(kafka.bootstrapServers(), "sms-reports-order-test", TOPICS, PARTITIONS));
                SmsWorkload.awaitSettled(pipeline, Duration.ofMinutes(3), Duration.ofSeconds(2));
                // One comparison can take seconds on a loaded machine: the deadline is judged between comparisons.
                Poll.untilPasses(dir.getFileName() + ": the stores equal the model", Duration.ofMinutes(3), Duration.ofSeconds(1),
                        () -> WORKLOAD.assertStores(pipeline, expected), InvalidStateStoreException.class);
                Poll.until(dir.getFileName() + ": every sms.delivered event", Duration.ofMinutes(2), Duration.ofMillis(500),
                        () -> delivered.count() >= expected.delivered().size());
                // Sorted and compared as lists: containsExactlyInAnyOrder is quadratic, minutes for 25,000 events on a loaded machine.
                assertThat(delivered.all().stream().sorted().toList()).as("%s: sms.delivered, exactly once per delivered SMS", dir.getFileName())
                        .isEqualTo(expected.delivered().stream().sorted().toList());
            }
        }
        LOG.info("FIGURE: {}: {} records counted exactly as the model in {} s", dir.getFileName(), inputs.size(),
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }
}
