package io.smsreports.query;

import io.smsreports.topology.StoreNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance owns what: campaigns are owned by the instance running the reporting task of their
 * messageId's partition; lists are answered by all instances together. Built on Kafka Streams' own metadata
 * ({@code application.server} of every instance).
 */
public final class Cluster {

    private static final Serializer<String> KEYS = Serdes.String().serializer();

    private final KafkaStreams streams;
    private final HostInfo self;

    public Cluster(final KafkaStreams streams, final HostInfo self) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.self = Objects.requireNonNull(self, "self");
    }

    public HostInfo self() {
        return self;
    }

    /** The partition of the campaign stores that holds a campaign. */
    public int partitionOfCampaign(final String messageId) {
        final KeyQueryMetadata metadata = campaignMetadata(messageId);
        if (metadata.partition() < 0) {
            throw new StateUnavailableException("The partition of campaign '" + messageId + "' is not known yet: a rebalance is under way");
        }
        return metadata.partition();
    }

    private KeyQueryMetadata campaignMetadata(final String messageId) {
        try {
            final KeyQueryMetadata metadata = streams.queryMetadataForKey(StoreNames.CAMPAIGN_STATS, messageId, KEYS);
            return metadata == null ? KeyQueryMetadata.NOT_AVAILABLE : metadata;
        } catch (IllegalStateException e) {
            throw new StateUnavailableException("Stream processing is not running yet (" + streams.state() + ")");
        }
    }

    /** The instance owning a campaign's state. */
    public HostInfo ownerOfCampaign(final String messageId) {
        final KeyQueryMetadata metadata = campaignMetadata(messageId);
        if (KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) || metadata.activeHost() == null
                || HostInfo.unavailable().equals(metadata.activeHost())) {
            throw new StateUnavailableException("The owner of campaign '" + messageId + "' is not known yet: a rebalance is under way ("
                    + streams.state() + ")");
        }
        return metadata.activeHost();
    }

    /** The instance running the alert task (one partition: every alert is in its store). */
    public HostInfo ownerOfAlerts() {
        final KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(StoreNames.ALERTS, "alerts", KEYS);
        } catch (IllegalStateException e) {
            throw new StateUnavailableException("Stream processing is not running yet (" + streams.state() + ")");
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) || metadata.activeHost() == null
                || HostInfo.unavailable().equals(metadata.activeHost())) {
            throw new StateUnavailableException("The owner of the alerts is not known yet: a rebalance is under way (" + streams.state() + ")");
        }
        return metadata.activeHost();
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
