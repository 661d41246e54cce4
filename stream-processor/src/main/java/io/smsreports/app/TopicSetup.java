package io.smsreports.app;

import io.smsreports.events.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Checks (and in the embedded mode creates) the topics the pipeline reads and writes. */
public final class TopicSetup {

    private TopicSetup() {
    }

    /** The public topics with their cleanup policies: campaigns compacted, the rest deleted by time. */
    public static List<NewTopic> newTopics(final Topics topics, final int partitions, final short replicationFactor) {
        return List.of(
                new NewTopic(topics.campaigns(), partitions, replicationFactor)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new NewTopic(topics.dispatches(), partitions, replicationFactor),
                new NewTopic(topics.receipts(), partitions, replicationFactor),
                new NewTopic(topics.delivered(), partitions, replicationFactor),
                new NewTopic(topics.deadLetters(), partitions, replicationFactor),
                // The audit trail: a few records a minute, kept 400 days (DESIGN: long retention).
                new NewTopic(topics.audit(), 1, replicationFactor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(java.time.Duration.ofDays(400).toMillis()))));
    }

    /**
     * Checks that every topic exists and that dispatches and receipts are co-partitioned.
     *
     * @return the partition count of the dispatches topic
     * @throws IllegalStateException with a message that says what is wrong and how to fix it
     */
    private static final java.time.Duration MISSING_GRACE = java.time.Duration.ofSeconds(5);

    public static int verify(final Admin admin, final Topics topics) {
        final List<String> names = List.of(topics.campaigns(), topics.dispatches(), topics.receipts(), topics.delivered(),
                topics.deadLetters());
        // A topic created a moment ago may not be in every broker's metadata yet: look again for a few seconds before
        // calling it missing.
        final long deadline = System.nanoTime() + MISSING_GRACE.toNanos();
        List<String> missing;
        while (true) {
            final Set<String> existing;
            try {
                existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Cannot list the topics of the Kafka cluster: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while checking topics", e);
            }
            missing = new ArrayList<>();
            for (final String name : names) {
                if (!existing.contains(name)) {
                    missing.add(name);
                }
            }
            if (missing.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while checking topics", e);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Missing topic(s) " + missing + ". Create them before starting SMS Reports: "
                    + topics.dispatches() + " and " + topics.receipts() + " with the same number of partitions, "
                    + topics.campaigns() + " with cleanup.policy=compact.");
        }
        final Map<String, TopicDescription> described;
        try {
            described = admin.describeTopics(List.of(topics.dispatches(), topics.receipts())).allTopicNames().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("Topic vanished while checking it: " + e.getCause().getMessage(), e);
            }
            throw new IllegalStateException("Cannot describe the input topics: " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out describing the input topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking topics", e);
        }
        final int dispatchPartitions = described.get(topics.dispatches()).partitions().size();
        final int receiptPartitions = described.get(topics.receipts()).partitions().size();
        if (dispatchPartitions != receiptPartitions) {
            throw new IllegalStateException(topics.dispatches() + " has " + dispatchPartitions + " partitions but " + topics.receipts()
                    + " has " + receiptPartitions + ": they must be co-partitioned (same partition count, both keyed by smsId with "
                    + "the default partitioner) so that each SMS's dispatch and receipts meet in one task. Refusing to start. "
                    + "Give both topics the same number of partitions.");
        }
        return dispatchPartitions;
    }
}
