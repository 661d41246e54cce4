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
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks (and in the embedded mode creates) the topics the pipeline reads and writes. */
public final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {
    }

    /** The compression of {@code sms.delivered}: readable by Java, librdkafka-based clients and kafkajs with their defaults. */
    public static final String DELIVERED_COMPRESSION = "gzip";

    /** The public topics with their cleanup policies: campaigns compacted, the rest deleted by time. */
    public static List<NewTopic> newTopics(final Topics topics, final int partitions, final short replicationFactor) {
        return List.of(
                new NewTopic(topics.campaigns(), partitions, replicationFactor)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new NewTopic(topics.dispatches(), partitions, replicationFactor),
                new NewTopic(topics.receipts(), partitions, replicationFactor),
                // Co-partitioned with the dispatches (rule 14 and 16 meet the SMS in its task).
                new NewTopic(topics.notSent(), partitions, replicationFactor),
                new NewTopic(topics.clicks(), partitions, replicationFactor),
                new NewTopic(topics.inbound(), partitions, replicationFactor),
                // Read by downstream consumers of every kind: gzip, the one codec every mainstream client decodes with its
                // defaults (kafkajs implements only gzip without plugins; Java and librdkafka read all). The broker
                // recompresses what our lz4 producer writes.
                new NewTopic(topics.delivered(), partitions, replicationFactor)
                        .configs(Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, DELIVERED_COMPRESSION)),
                new NewTopic(topics.deadLetters(), partitions, replicationFactor),
                // Delivery alerts: a few records an hour, read by pagers and webhook relays (same codec reasoning as above).
                new NewTopic(topics.alerts(), 1, replicationFactor)
                        .configs(Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, DELIVERED_COMPRESSION)),
                // The audit trail: a few records a minute, kept 400 days (DESIGN: long retention).
                new NewTopic(topics.audit(), 1, replicationFactor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(java.time.Duration.ofDays(400).toMillis()))));
    }

    /** Codecs every mainstream client decodes with its defaults (kafkajs: none and gzip only). */
    private static final Set<String> PORTABLE_CODECS = Set.of("gzip", "uncompressed", "none");

    /** The {@code compression.type} of {@code sms.delivered} in the cluster. */
    static String deliveredCompression(final Admin admin, final Topics topics) throws Exception {
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topics.delivered());
        final Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        final ConfigEntry entry = config.get(TopicConfig.COMPRESSION_TYPE_CONFIG);
        return entry == null ? "producer" : entry.value();
    }

    /** Sets {@code sms.delivered}'s compression to {@link #DELIVERED_COMPRESSION} (the embedded mode owns its topics). */
    public static void alignDeliveredCompression(final Admin admin, final Topics topics) {
        try {
            if (!DELIVERED_COMPRESSION.equals(deliveredCompression(admin, topics))) {
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topics.delivered()), List.of(
                        new AlterConfigOp(new ConfigEntry(TopicConfig.COMPRESSION_TYPE_CONFIG, DELIVERED_COMPRESSION), AlterConfigOp.OpType.SET))))
                        .all().get(30, TimeUnit.SECONDS);
                LOG.info("Set compression.type={} on {}, so that every client reads it with its defaults", DELIVERED_COMPRESSION,
                        topics.delivered());
            }
        } catch (Exception e) {
            LOG.warn("Could not set compression.type={} on {}: {}", DELIVERED_COMPRESSION, topics.delivered(), e.toString());
        }
    }

    /** Warns when {@code sms.delivered} would reach consumers in a codec that some clients cannot decode by default. */
    private static void checkDeliveredCompression(final Admin admin, final Topics topics) {
        try {
            final String codec = deliveredCompression(admin, topics);
            if (!PORTABLE_CODECS.contains(codec)) {
                LOG.warn("{} has compression.type={}: its batches reach consumers as this service's producer writes them (lz4) or "
                        + "in {}, which kafkajs cannot decode with its defaults. Set compression.type={} on the topic "
                        + "(kafka-configs --alter --entity-type topics --entity-name {} --add-config compression.type={}).",
                        topics.delivered(), codec, codec, DELIVERED_COMPRESSION, topics.delivered(), DELIVERED_COMPRESSION);
            }
        } catch (Exception e) {
            LOG.debug("Cannot read the configuration of {}: {}", topics.delivered(), e.toString());
        }
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
                topics.deadLetters(), topics.alerts(), topics.notSent(), topics.clicks(), topics.inbound());
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
                    + topics.campaigns() + " with cleanup.policy=compact; " + topics.notSent() + " and " + topics.clicks()
                    + " with as many partitions as " + topics.dispatches() + ".");
        }
        final Map<String, TopicDescription> described;
        try {
            described = admin.describeTopics(List.of(topics.dispatches(), topics.receipts(), topics.notSent(), topics.clicks()))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
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
        checkDeliveredCompression(admin, topics);
        final int dispatchPartitions = described.get(topics.dispatches()).partitions().size();
        for (final String other : List.of(topics.receipts(), topics.notSent(), topics.clicks())) {
            final int partitions = described.get(other).partitions().size();
            if (partitions != dispatchPartitions) {
                throw new IllegalStateException(topics.dispatches() + " has " + dispatchPartitions + " partitions but " + other
                        + " has " + partitions + ": they must be co-partitioned (same partition count, both keyed by smsId with "
                        + "the default partitioner) so that each SMS's dispatch, receipts, not-sent decision and clicks meet in one "
                        + "task. Refusing to start. Give " + topics.dispatches() + ", " + topics.receipts() + ", " + topics.notSent()
                        + " and " + topics.clicks() + " the same number of partitions.");
            }
        }
        return dispatchPartitions;
    }
}
