package io.smsreports.topology;

import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The pipeline's own counters, registered with Kafka Streams' metrics (group
 * {@code stream-sms-reports-metrics}, each as {@code <name>-total} and {@code <name>-rate}), so that they are
 * exported with every other Kafka Streams metric.
 */
public final class PipelineMetrics {

    public static final String GROUP_SCOPE = "sms-reports";
    public static final String DEAD_LETTERS = "dead-letter-records";
    public static final String ORPHAN_RECEIPTS = "orphan-receipts";
    public static final String DUPLICATE_RECEIPTS = "duplicate-receipts";
    public static final String CONFLICTING_FINALS = "conflicting-finals";
    public static final String LATE_RECEIPTS = "late-receipts";
    public static final String DUPLICATE_DISPATCHES = "duplicate-dispatches";
    public static final String EXPIRED_STATES = "expired-sms-states";

    private PipelineMetrics() {
    }

    /** A counter; sensors of the same name on one stream thread are shared by its tasks. */
    public static Sensor counter(final StreamsMetrics metrics, final String name, final Map<String, String> tags) {
        final String[] flat = new String[tags.size() * 2];
        int i = 0;
        for (final Map.Entry<String, String> tag : tags.entrySet()) {
            flat[i++] = tag.getKey();
            flat[i++] = tag.getValue();
        }
        return metrics.addRateTotalSensor(GROUP_SCOPE, "pipeline", name, Sensor.RecordingLevel.INFO, flat);
    }
}
