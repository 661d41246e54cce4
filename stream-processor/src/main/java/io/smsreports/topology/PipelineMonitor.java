package io.smsreports.topology;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.TaskId;

/**
 * What the topology's processors may ask about their own progress that Kafka Streams does not tell a
 * processor: whether a task has consumed all of its input (consumer lag 0 on each of its input partitions, and
 * no record held back by a stalled decode), which tasks are stalled ({@link DecodeStalls}); and what the query side may
 * ask of the processors: which store partitions are restored and queryable ({@link QueryableStores}).
 *
 * <p>Built before the {@link KafkaStreams} instance (the topology needs it), then {@link #watch watching} it.
 * Until then, and when a partition's lag is not known yet (no fetch answered since it was assigned), a task
 * counts as not caught up: the safe answer, since the lifecycle clock may only follow the wall clock when
 * nothing is in flight.
 */
public final class PipelineMonitor {

    private static final String FETCH_GROUP = "consumer-fetch-manager-metrics";
    private static final String RECORDS_LAG = "records-lag";

    private final DecodeStalls stalls;
    private final QueryableStores queryable = new QueryableStores();
    private final RestoreProgress restoreProgress = new RestoreProgress();
    private final boolean synchronousInput;
    private volatile KafkaStreams streams;
    private volatile int reportingPartitions;

    private PipelineMonitor(final DecodeStalls stalls, final boolean synchronousInput) {
        this.stalls = stalls;
        this.synchronousInput = synchronousInput;
    }

    /** For a real {@link KafkaStreams} instance: call {@link #watch} before starting it. */
    public static PipelineMonitor create() {
        return new PipelineMonitor(new DecodeStalls(), false);
    }

    /**
     * For a {@code TopologyTestDriver}, which processes every piped record before returning: the input is always
     * consumed.
     */
    public static PipelineMonitor synchronous() {
        return new PipelineMonitor(new DecodeStalls(), true);
    }

    public void watch(final KafkaStreams streams) {
        this.streams = streams;
    }

    /** The partition count of the reporting topics of the topology built with this monitor (0 until one is built). */
    public int reportingPartitions() {
        return reportingPartitions;
    }

    void reportingPartitions(final int partitions) {
        this.reportingPartitions = partitions;
    }

    public DecodeStalls decodeStalls() {
        return stalls;
    }

    /** The restoration of this instance's active stores (set as the global restore listener by the pipeline). */
    public RestoreProgress restoreProgress() {
        return restoreProgress;
    }

    /** Which store partitions of this instance are restored and served by a running task (for interactive queries). */
    public QueryableStores queryableStores() {
        return queryable;
    }

    /**
     * Whether {@code task} has processed everything on its input partitions ({@code topics} at the task's
     * partition) that is there to consume now.
     */
    public boolean caughtUp(final TaskId task, final Collection<String> topics) {
        if (stalls.isStalled(task)) {
            return false;
        }
        if (synchronousInput) {
            return true;
        }
        final KafkaStreams watched = streams;
        if (watched == null) {
            return false;
        }
        final Map<MetricName, ? extends Metric> metrics = watched.metrics();
        for (final String topic : topics) {
            final Double lag = lag(metrics, topic, task.partition());
            if (lag == null || lag.isNaN() || lag > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why this instance is not fully restored, or null when every active task assigned to it is restored and running
     * (its processors initialized): while one restores, part of its state would be missing from an answer.
     */
    public String restoringProblem() {
        final KafkaStreams watched = streams;
        if (watched == null) {
            return "stream processing is not started";
        }
        final java.util.List<String> restoring = new java.util.ArrayList<>();
        for (final org.apache.kafka.streams.ThreadMetadata thread : watched.metadataForLocalThreads()) {
            for (final org.apache.kafka.streams.TaskMetadata task : thread.activeTasks()) {
                if (!queryable.isRunning(task.taskId())) {
                    restoring.add(task.taskId().toString());
                }
            }
        }
        return restoring.isEmpty() ? null : "restoring the state of task(s) " + String.join(", ", new java.util.TreeSet<>(restoring));
    }

    /** The consumer's last seen lag of a partition (the largest if several consumers report it), or null when unknown. */
    public static Double lag(final Map<MetricName, ? extends Metric> metrics, final String topic, final int partition) {
        final String partitionTag = String.valueOf(partition);
        final String escapedTopic = topic.replace('.', '_'); // the consumer's per-partition tags write dots as underscores
        Double lag = null;
        for (final Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            final MetricName name = entry.getKey();
            if (!RECORDS_LAG.equals(name.name()) || !FETCH_GROUP.equals(name.group())) {
                continue;
            }
            final String tagTopic = name.tags().get("topic");
            if (!partitionTag.equals(name.tags().get("partition")) || !(topic.equals(tagTopic) || escapedTopic.equals(tagTopic))) {
                continue;
            }
            final Object value = entry.getValue().metricValue();
            if (value instanceof Number number) {
                lag = lag == null ? number.doubleValue() : Math.max(lag, number.doubleValue());
            }
        }
        return lag;
    }
}
