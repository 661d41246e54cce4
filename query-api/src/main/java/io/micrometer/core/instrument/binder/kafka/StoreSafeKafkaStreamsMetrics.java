package io.micrometer.core.instrument.binder.kafka;

import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Micrometer's binder of a Kafka Streams instance's metrics ({@link KafkaStreamsMetrics} does the same), without the
 * metrics that are unsafe to read from any thread but the stream thread.
 *
 * <p>Kafka Streams 4.4's transactional state stores add a store-level gauge, {@value #UNCOMMITTED_BYTES}, whose value
 * is read from the store's native RocksDB write batch. Micrometer reads every metric on its own thread (when it binds
 * new metrics, and at each Prometheus scrape through the gauges it keeps until its next check), so a read that races
 * with the stream thread closing the store (a rebalance, a restart of a task) touches a freed native object: the JVM
 * dies of SIGSEGV in {@code Java_org_rocksdb_WriteBatch_getDataSize} (seen once, in a QueryApiIntegrationTest run on
 * 2026-12-05, from the thread {@code micrometer-kafka-metrics}). Left out of the export, the gauge is read by nobody
 * but Kafka Streams itself, on the stream thread.
 *
 * <p>It lives in Micrometer's package because {@link KafkaMetrics}, which takes the metrics supplier, is package-private.
 */
public final class StoreSafeKafkaStreamsMetrics extends KafkaMetrics {

    /** The store-level gauge Kafka Streams 4.4 reads from a RocksDB write batch. */
    public static final String UNCOMMITTED_BYTES = "uncommitted-bytes";

    public StoreSafeKafkaStreamsMetrics(final KafkaStreams streams) {
        this(streams::metrics);
    }

    StoreSafeKafkaStreamsMetrics(final Supplier<Map<MetricName, ? extends Metric>> metrics) {
        super(() -> safe(metrics.get()), java.util.List.of());
    }

    static Map<MetricName, Metric> safe(final Map<MetricName, ? extends Metric> metrics) {
        return metrics.entrySet().stream().filter(e -> !e.getKey().name().equals(UNCOMMITTED_BYTES))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
