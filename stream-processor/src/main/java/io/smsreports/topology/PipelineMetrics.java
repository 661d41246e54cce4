package io.smsreports.topology;

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
    public static final String CLAMPED_TIMES = "clamped-times";
    public static final String DUPLICATE_RECEIPTS = "duplicate-receipts";
    public static final String CONFLICTING_FINALS = "conflicting-finals";
    public static final String LATE_RECEIPTS = "late-receipts";
    public static final String DUPLICATE_DISPATCHES = "duplicate-dispatches";
    public static final String EXPIRED_STATES = "expired-sms-states";
    public static final String STALE_INPUTS = "stale-inputs";

    private PipelineMetrics() {
    }

    /** The metric tag that names what a counter counts for (a source topic, or {@value #LIFECYCLE}). */
    public static final String ENTITY_TAG = GROUP_SCOPE + "-id";
    /** The entity of the lifecycle's counters. */
    public static final String LIFECYCLE = "lifecycle";

    /**
     * A counter of {@code entity}. Kafka Streams shares a sensor between all tasks of a stream thread by
     * (entity, name), so one entity per thing counted (each source topic has its own dead-letter counter).
     */
    public static Sensor counter(final StreamsMetrics metrics, final String entity, final String name) {
        return metrics.addRateTotalSensor(GROUP_SCOPE, entity, name, Sensor.RecordingLevel.INFO);
    }
}
