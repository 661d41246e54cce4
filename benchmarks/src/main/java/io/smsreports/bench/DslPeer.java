package io.smsreports.bench;

import io.smsreports.app.StreamsProperties;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDelivered;
import io.smsreports.events.SmsDispatched;
import io.smsreports.events.Topics;
import io.smsreports.topology.EventSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * The simplest Kafka Streams application a capable team would write for the headline figures, run beside the pipeline
 * as a peer: the dispatches are a {@code KTable} (its source topic is its changelog), final receipts are joined to it on
 * smsId, re-keyed by campaign, platform and outcome and counted in hourly windows, and the delivered finals go to an
 * output topic as {@link SmsDelivered} events. Same broker, partitions, serdes, commit interval, cache, stream threads
 * and processing guarantee as the pipeline.
 *
 * <p>What it does not compute (so what the pipeline's extra cost buys): the first final wins (a duplicate final counts
 * again here, a conflicting one too), receipts before their dispatch (dropped by the join), unconfirmed SMS, the
 * reconciliation, a person's history, the failed and delivered rows, latency, breakdowns, alerts, spend, engagement.
 */
final class DslPeer {

    static final String COUNTS = "peer-counts";

    private DslPeer() {
    }

    static Topology topology(final Topics topics, final EventSerdes serdes, final String output) {
        final StreamsBuilder builder = new StreamsBuilder();
        final KTable<String, SmsDispatched> dispatches = builder.table(topics.dispatches(), Consumed.with(Serdes.String(),
                serdes.dispatches()), Materialized.as("peer-dispatches"));
        final KStream<String, DeliveryReceipt> receipts = builder.stream(topics.receipts(), Consumed.with(Serdes.String(),
                serdes.receipts()));
        final KStream<String, KeyValue<SmsDispatched, DeliveryReceipt>> finals = receipts
                .filter((smsId, receipt) -> receipt != null && isFinal(receipt.getStatus()))
                .join(dispatches, (receipt, dispatch) -> KeyValue.pair(dispatch, receipt));
        finals.filter((smsId, joined) -> joined.value.getStatus() == ReceiptStatus.DELIVERED)
                .mapValues((smsId, joined) -> delivered(joined.key, joined.value))
                .to(output, Produced.with(Serdes.String(), serdes.delivered()));
        finals.map((smsId, joined) -> KeyValue.pair(joined.key.getMessageId() + "|" + platform(joined.key) + "|"
                        + (joined.value.getStatus() == ReceiptStatus.DELIVERED ? "delivered" : "failed"), smsId))
                .groupByKey(Grouped.with("peer-by-campaign", Serdes.String(), Serdes.String()))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofHours(1), Duration.ofDays(3)))
                .count(Materialized.as(COUNTS));
        return builder.build(properties(Map.of()));
    }

    private static boolean isFinal(final ReceiptStatus status) {
        return status != ReceiptStatus.ACCEPTED && status != ReceiptStatus.ENROUTE;
    }

    private static String platform(final SmsDispatched d) {
        return d.getPlatform() == null ? "unknown" : d.getPlatform();
    }

    private static SmsDelivered delivered(final SmsDispatched d, final DeliveryReceipt r) {
        final long dispatchedAt = d.getDispatchedAt().toEpochMilli();
        final java.time.Instant at = r.getDoneAt() != null ? r.getDoneAt() : r.getReceivedAt();
        return SmsDelivered.newBuilder().setSmsId(d.getSmsId()).setMessageId(d.getMessageId()).setMsisdn(d.getMsisdn())
                .setExternalId(d.getExternalId()).setEmail(d.getEmail()).setPlatform(platform(d)).setProvider(d.getProvider())
                .setDispatchedAt(d.getDispatchedAt()).setDeliveredAt(at).setLatencyMs(Math.max(0, at.toEpochMilli() - dispatchedAt)).build();
    }

    /** Kafka Streams settings of the peer: the pipeline's own (from the same service settings), the KTable's source as changelog. */
    static Properties properties(final Map<String, String> settings) {
        final Properties p = settings.isEmpty() ? new Properties() : StreamsProperties.of(ProcessorConfig.from(Settings.of(settings), true));
        p.remove(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)); // one run, no restart to speed up
        p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
        return p;
    }

    /**
     * Runs the peer under {@code applicationId} over everything loaded into the inputs and returns the seconds from its start
     * until it has committed every input record and every record of its repartition topic (the counts are then final).
     */
    static double run(final BenchCluster cluster, final String applicationId, final Map<String, String> serviceSettings)
            throws Exception {
        final Topics topics = Topics.defaults();
        final String output = "bench.peer-delivered-" + applicationId;
        cluster.broker.createTopics(List.of(new NewTopic(output, cluster.partitions, (short) 1)));
        final Map<String, String> settings = new HashMap<>(cluster.serviceSettings(applicationId,
                cluster.directory.resolve("state-" + applicationId), serviceSettings));
        final EventSerdes serdes = EventSerdes.fromConfig(Map.of(io.smsreports.serde.AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                cluster.registry.url()));
        final Properties properties = properties(settings);
        try (KafkaStreams streams = new KafkaStreams(topology(topics, serdes, output), properties);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()))) {
            final long start = System.nanoTime();
            streams.start();
            final long deadline = start + Duration.ofMinutes(30).toNanos();
            while (!caughtUp(admin, applicationId, Set.of(topics.dispatches(), topics.receipts()), cluster.partitions)) {
                if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("the DSL peer did not finish: " + streams.state());
                }
                Thread.sleep(250); // as the pipeline's API poll
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /**
     * Whether group {@code applicationId} has committed the inputs to their end and its repartition topics to their end (a
     * repartition topic, written in transactions, ends with a commit marker that a committed position may stop before).
     */
    private static boolean caughtUp(final Admin admin, final String applicationId, final Set<String> inputs, final int partitions)
            throws Exception {
        final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata().get();
        final Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
        for (final String topic : inputs) {
            for (int p = 0; p < partitions; p++) {
                wanted.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        committed.keySet().forEach(tp -> wanted.put(tp, OffsetSpec.latest()));
        final var ends = admin.listOffsets(wanted).all().get();
        for (final var end : ends.entrySet()) {
            final OffsetAndMetadata at = committed.get(end.getKey());
            final long required = inputs.contains(end.getKey().topic()) ? end.getValue().offset() : end.getValue().offset() - 1;
            if (end.getValue().offset() > 0 && (at == null || at.offset() < required)) {
                return false;
            }
        }
        return !committed.isEmpty();
    }
}
