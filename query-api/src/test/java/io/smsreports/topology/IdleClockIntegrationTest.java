package io.smsreports.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.app.SmsReportsStreams;
import io.smsreports.app.TopicSetup;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import io.smsreports.embedded.EmbeddedKafkaBroker;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDispatched;
import io.smsreports.events.Topics;
import io.smsreports.registry.DevSchemaRegistryServer;
import io.smsreports.reporting.CampaignStats;
import io.smsreports.testing.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input idleness (rule 13), proved on a real broker: a task that starts on a large backlog whose fetches are slow (a
 * broker quota throttles its consumer to a few KB/s, in small fetches) processes no record in many punctuation
 * intervals. If silence alone made its inputs idle, its watermark would jump to the wall clock, days past the backlog,
 * and time out (or drop) SMS whose receipts are still to be read. An input stops holding the watermark back only when
 * it is also consumed (consumer lag 0): then every SMS of the backlog is Delivered, none Unconfirmed, no receipt late or
 * orphaned. The same run with silence alone (a monitor that always says "caught up") shows the damage, so this test
 * can fail.
 */
@Tag("integration")
class IdleClockIntegrationTest {

    private static final int SMS = 300;
    private static final String CAMPAIGN = "backlog";

    @Test
    void shouldNotTimeOutABacklogThatIsStillBeingFetched(@TempDir final Path dir) throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
             DevSchemaRegistryServer registry = DevSchemaRegistryServer.startEphemeral()) {
            final Topics inputs = Topics.defaults();
            kafka.createTopics(TopicSetup.newTopics(inputs, 1, (short) 1).stream()
                    .map(topic -> topic.configs(withRetentionForever(topic.configs()))).toList());
            // Eight days old: beyond the receipt timeout (4 d) and the SMS retention (7 d) if the clock jumped to now.
            final Instant t0 = Instant.now().minus(8, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
            final List<SmsWorkload.Input> backlog = new ArrayList<>();
            for (int i = 0; i < SMS; i++) {
                final Instant at = t0.plusSeconds(i);
                final SmsDispatched dispatch = TopologyFixture.dispatch("sms-" + i, CAMPAIGN, "ios", at);
                backlog.add(new SmsWorkload.Input(inputs.dispatches(), "sms-" + i, dispatch, at.toEpochMilli()));
                // Delivered an hour later: every receipt comes after every dispatch, so a clock that jumps while the
                // dispatches are read times them out (and drops their state) before their receipts are read.
                backlog.add(new SmsWorkload.Input(inputs.receipts(), "sms-" + i, TopologyFixture.receipt("sms-" + i, ReceiptStatus.DELIVERED,
                        at.plusSeconds(3_600), at.plusSeconds(3_601)), at.plusSeconds(3_601).toEpochMilli()));
            }
            SmsWorkload.produce(kafka.bootstrapServers(), registry.url(), backlog);

            final Outcome fixed = run(kafka, registry, dir, "idle-fixed", PipelineMonitor.create());
            assertThat(fixed.stats()).isNotNull();
            assertThat(fixed.stats().totals().sent()).isEqualTo(SMS);
            assertThat(fixed.stats().totals().delivered()).as("every SMS of the backlog delivered").isEqualTo(SMS);
            assertThat(fixed.stats().totals().unconfirmed()).as("none timed out early").isZero();
            assertThat(fixed.stats().reconciliation().lateReceipts()).as("no receipt came 'after the timeout'").isZero();
            assertThat(fixed.orphans()).as("no receipt orphaned by state dropped early").isZero();
            assertThat(fixed.exact()).isTrue();

            final Outcome oldRule = run(kafka, registry, dir, "idle-old-rule", PipelineMonitor.synchronous());
            org.slf4j.LoggerFactory.getLogger(IdleClockIntegrationTest.class).info("With the lag check: {}; with the old rule: {}",
                    fixed.describe(), oldRule.describe());
            assertThat(oldRule.exact()).as("the old rule (idle = no record in one interval) damages the same backlog: %s", oldRule).isFalse();
        }
    }

    /** The campaign's stats (null when nothing was counted), the orphan receipts and the inputs ignored as stale. */
    private record Outcome(CampaignStats stats, long orphans, long stale) {
        String describe() {
            return (stats == null ? "nothing counted" : stats.totals().sent() + " sent, " + stats.totals().delivered()
                    + " delivered, " + stats.totals().unconfirmed() + " unconfirmed, " + stats.reconciliation().lateReceipts()
                    + " late receipts") + ", " + orphans + " orphans, " + stale + " stale inputs";
        }

        boolean exact() {
            return stats != null && stats.totals().sent() == SMS && stats.totals().delivered() == SMS && stats.totals().unconfirmed() == 0
                    && stats.reconciliation().lateReceipts() == 0 && orphans == 0 && stale == 0;
        }
    }

    /** Runs the processor over the whole backlog with a throttled consumer. */
    private static Outcome run(final EmbeddedKafkaBroker kafka, final DevSchemaRegistryServer registry, final Path dir,
            final String applicationId, final PipelineMonitor monitor) throws Exception {
        try (Admin admin = kafka.admin()) {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(
                    new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, applicationId + "-StreamThread-1-consumer")),
                    List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", 3_000.0))))).all().get();
        }
        final Topics topics = new Topics(Topics.DEFAULT_CAMPAIGNS, Topics.DEFAULT_DISPATCHES, Topics.DEFAULT_RECEIPTS,
                applicationId + ".delivered", applicationId + ".dlq");
        kafka.createTopics(TopicSetup.newTopics(topics, 1, (short) 1).stream()
                .filter(t -> t.name().startsWith(applicationId)).toList());
        final ProcessorConfig config = ProcessorConfig.from(Settings.of(Map.of(
                ProcessorConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                ProcessorConfig.SCHEMA_REGISTRY_URL, registry.url(),
                ProcessorConfig.SMS_APPLICATION_ID, applicationId,
                ProcessorConfig.SMS_STATE_DIR, dir.resolve(applicationId).toString(),
                ProcessorConfig.SMS_TOPIC_DELIVERED, topics.delivered(),
                ProcessorConfig.SMS_TOPIC_DLQ, topics.deadLetters(),
                ProcessorConfig.SMS_IDLE_CLOCK_LAG, "1m",
                // Silence of one scan interval would make an input idle: only the lag check stands between the watermark
                // and the wall clock.
                ProcessorConfig.SMS_INPUT_IDLENESS, "100ms",
                ProcessorConfig.SMS_EXPIRY_SCAN_INTERVAL, "100ms",
                // Slow fetches: small ones, throttled by the quota above.
                ProcessorConfig.SMS_STREAMS_PROPERTIES, "client.id=" + applicationId + ";consumer.max.partition.fetch.bytes=1024;"
                        + "consumer.fetch.max.bytes=1024")), true);
        try (KafkaStreams streams = SmsReportsStreams.create(config, EventSerdes.fromConfig(config.registryClientConfig()), monitor)) {
            streams.start();
            // Done when the input is consumed, and nothing is in flight any more (the deltas reported, the expiry scans
            // run: a wrongly advanced watermark has shown its effect). With silence alone as idleness the damage can be
            // that nothing is counted at all (every dispatch stale), so "every SMS reported" is no condition to wait for.
            Poll.until(applicationId + " consumed the backlog", Duration.ofMinutes(5), Duration.ofMillis(500),
                    () -> SmsWorkload.consumedAll(kafka.bootstrapServers(), applicationId, Topics.defaults(), 1));
            SmsWorkload.awaitSettled(new SmsWorkload.Verifier(streams, monitor), Duration.ofMinutes(2), Duration.ofSeconds(2));
            final ReadOnlyKeyValueStore<String, Long> meta = streams.store(StoreQueryParameters.fromNameAndType(
                    StoreNames.LIFECYCLE_META, QueryableStoreTypes.keyValueStore()));
            final Long orphans = meta.get(LifecycleProcessor.ORPHAN_RECEIPTS_KEY);
            final Long stale = meta.get(LifecycleProcessor.STALE_INPUTS_KEY);
            return new Outcome(stats(streams), orphans == null ? 0 : orphans, stale == null ? 0 : stale);
        }
    }

    private static CampaignStats stats(final KafkaStreams streams) {
        final ReadOnlyKeyValueStore<String, CampaignStats> stats = streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.CAMPAIGN_STATS, QueryableStoreTypes.keyValueStore()));
        return stats.get(CAMPAIGN);
    }

    private static Map<String, String> withRetentionForever(final Map<String, String> configs) {
        final Map<String, String> copy = new java.util.HashMap<>(configs == null ? Map.of() : configs);
        copy.put("retention.ms", "-1");
        return copy;
    }
}
