package io.smsreports.query;

import io.smsreports.topology.StoreNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance owns what: campaigns are owned by the instance running the reporting task of their
 * messageId's partition; lists are answered by all instances together. Built on Kafka Streams' own metadata
 * ({@code application.server} of every instance).
 *
 * <p>A campaign's partition is computed here, as the producer's partitioner places its key on the reporting topics
 * (murmur2 of the serialized messageId modulo their partition count, which the topology fixes), not with
 * {@code KafkaStreams#queryMetadataForKey}: Kafka Streams (4.4) computes that partition with the number of partitions
 * that the group's last assignment gives to some instance, so while some of them are assigned to nobody (between the
 * two rounds of a cooperative rebalance, an instance fenced or gone) it hashes the key over fewer partitions and
 * names a partition that does not hold the campaign: a known campaign answered 404 until the next rebalance. The
 * owner is the instance whose active tasks hold that partition now; none means a rebalance is under way (503).
 */
public final class Cluster {

    private static final Serializer<String> KEYS = Serdes.String().serializer();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final String reportingTopic;
    private final int reportingPartitions;
    private final String alertsTopic;

    /**
     * @param applicationId       the application id (the reporting and alert tasks read its repartition topics)
     * @param reportingPartitions the partition count of the reporting topics (the topology's)
     */
    public Cluster(final KafkaStreams streams, final HostInfo self, final String applicationId, final int reportingPartitions) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.self = Objects.requireNonNull(self, "self");
        if (reportingPartitions < 1) {
            throw new IllegalArgumentException("reportingPartitions must be positive, not " + reportingPartitions);
        }
        this.reportingTopic = repartitionTopic(applicationId, StoreNames.REPARTITION_SMS);
        this.reportingPartitions = reportingPartitions;
        this.alertsTopic = repartitionTopic(applicationId, StoreNames.REPARTITION_ALERTS);
    }

    /** The name Kafka Streams gives the repartition topic {@code name} of application {@code applicationId}. */
    public static String repartitionTopic(final String applicationId, final String name) {
        return applicationId + "-" + name + "-repartition";
    }

    public HostInfo self() {
        return self;
    }

    /** The partition of the campaign stores that holds a campaign. */
    public int partitionOfCampaign(final String messageId) {
        return partitionOf(messageId, reportingPartitions);
    }

    /** The partition the producer's default partitioner gives a String key among {@code partitions}. */
    public static int partitionOf(final String key, final int partitions) {
        return Utils.toPositive(Utils.murmur2(KEYS.serialize(null, key))) % partitions;
    }

    /** The instance owning a campaign's state. */
    public HostInfo ownerOfCampaign(final String messageId) {
        return ownerOf(new TopicPartition(reportingTopic, partitionOfCampaign(messageId)), "campaign '" + messageId + "'");
    }

    /** The instance running the alert task (one partition: every alert is in its store). */
    public HostInfo ownerOfAlerts() {
        return ownerOf(new TopicPartition(alertsTopic, 0), "the alerts");
    }

    private HostInfo ownerOf(final TopicPartition partition, final String what) {
        final HostInfo owner;
        try {
            owner = ownerOf(partition, streams.metadataForAllStreamsClients());
        } catch (IllegalStateException e) {
            throw new StateUnavailableException("Stream processing is not running yet (" + streams.state() + ")");
        }
        if (owner == null) {
            throw new StateUnavailableException("The owner of " + what + " is not known yet: a rebalance is under way ("
                    + streams.state() + ")");
        }
        return owner;
    }

    /** The instance whose active tasks hold {@code partition}, by the group's last assignment, or null when none does. */
    static HostInfo ownerOf(final TopicPartition partition, final Collection<StreamsMetadata> instances) {
        for (final StreamsMetadata metadata : instances) {
            if (!HostInfo.unavailable().equals(metadata.hostInfo()) && metadata.topicPartitions().contains(partition)) {
                return metadata.hostInfo();
            }
        }
        return null;
    }

    /** Every instance of the application, this one included. */
    public List<HostInfo> instances() {
        final List<HostInfo> hosts = new ArrayList<>();
        try {
            for (final StreamsMetadata metadata : streams.metadataForAllStreamsClients()) {
                if (!HostInfo.unavailable().equals(metadata.hostInfo()) && !hosts.contains(metadata.hostInfo())) {
                    hosts.add(metadata.hostInfo());
                }
            }
        } catch (IllegalStateException e) {
            throw new StateUnavailableException("Stream processing is not running yet (" + streams.state() + ")");
        }
        if (hosts.isEmpty()) {
            throw new StateUnavailableException("No instance owns any partition yet: a rebalance is under way (" + streams.state() + ")");
        }
        if (!hosts.contains(self)) {
            hosts.add(self);
        }
        return hosts;
    }

    /** Whether this instance runs an active reporting task now (as the group's last assignment says). */
    public boolean runsReportingTasks() {
        return hostsActive(StoreNames.CAMPAIGN_STATS);
    }

    /** Whether this instance runs an active task of {@code store} now (as the group's last assignment says). */
    boolean hostsActive(final String store) {
        try {
            for (final StreamsMetadata metadata : streams.metadataForAllStreamsClients()) {
                if (self.equals(metadata.hostInfo())) {
                    return metadata.stateStoreNames().contains(store);
                }
            }
        } catch (IllegalStateException e) {
            throw new StateUnavailableException("Stream processing is not running yet (" + streams.state() + ")");
        }
        return false;
    }

    /**
     * The partitions of {@code topic} assigned to this instance's active tasks by the group's last assignment, whether
     * their tasks are running or still restoring.
     */
    public java.util.Set<Integer> assignedPartitions(final String topic) {
        final java.util.Set<Integer> partitions = new java.util.TreeSet<>();
        try {
            for (final StreamsMetadata metadata : streams.metadataForAllStreamsClients()) {
                if (self.equals(metadata.hostInfo())) {
                    metadata.topicPartitions().stream().filter(tp -> tp.topic().equals(topic)).forEach(tp -> partitions.add(tp.partition()));
                }
            }
        } catch (IllegalStateException e) {
            throw new StateUnavailableException("Stream processing is not running yet (" + streams.state() + ")");
        }
        return partitions;
    }

    /** The partitions of {@code topic} assigned to any instance's active tasks by the group's last assignment. */
    public java.util.Set<Integer> partitionsOfAllInstances(final String topic) {
        final java.util.Set<Integer> partitions = new java.util.TreeSet<>();
        try {
            for (final StreamsMetadata metadata : streams.metadataForAllStreamsClients()) {
                metadata.topicPartitions().stream().filter(tp -> tp.topic().equals(topic)).forEach(tp -> partitions.add(tp.partition()));
            }
        } catch (IllegalStateException e) {
            throw new StateUnavailableException("Stream processing is not running yet (" + streams.state() + ")");
        }
        return partitions;
    }

    public boolean isSelf(final HostInfo host) {
        return self.equals(host);
    }
}
