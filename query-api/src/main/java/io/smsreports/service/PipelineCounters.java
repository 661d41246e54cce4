package io.smsreports.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smsreports.topology.PipelineMetrics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The pipeline's own counters as Prometheus counters with stable names ({@code sms_dead_letter_records_total},
 * {@code sms_orphan_receipts_total}, ...), read from Kafka Streams' metrics at every scrape. Kafka Streams
 * creates these sensors only when tasks start, after the generic Kafka binder has taken its first inventory.
 */
final class PipelineCounters {

    private static final List<String> COUNTERS = List.of(PipelineMetrics.DEAD_LETTERS, PipelineMetrics.ORPHAN_RECEIPTS,
            PipelineMetrics.DUPLICATE_RECEIPTS, PipelineMetrics.CONFLICTING_FINALS, PipelineMetrics.LATE_RECEIPTS,
            PipelineMetrics.DUPLICATE_DISPATCHES, PipelineMetrics.EXPIRED_STATES, PipelineMetrics.CLAMPED_TIMES);

    private PipelineCounters() {
    }

    static void bind(final KafkaStreams streams, final MeterRegistry registry) {
        for (final String counter : COUNTERS) {
            FunctionCounter.builder("sms." + counter.replace('-', '.'), streams, s -> total(s, counter))
                    .description("SMS Reports pipeline: " + counter.replace('-', ' ') + " (all threads and tasks of this instance)")
                    .register(registry);
        }
    }

    private static double total(final KafkaStreams streams, final String sensor) {
        double total = 0;
        for (final Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
            final MetricName name = entry.getKey();
            if (name.name().equals(sensor + "-total") && name.group().equals("stream-" + PipelineMetrics.GROUP_SCOPE + "-metrics")) {
                total += ((Number) entry.getValue().metricValue()).doubleValue();
            }
        }
        return total;
    }
}
