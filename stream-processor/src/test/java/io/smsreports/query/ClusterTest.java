package io.smsreports.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.internals.StreamsMetadataImpl;
import org.junit.jupiter.api.Test;

class ClusterTest {

    private static final String REPORTING = Cluster.repartitionTopic("app", "reporting-sms");
    private static final HostInfo A = new HostInfo("a", 1);
    private static final HostInfo B = new HostInfo("b", 2);

    @Test
    void aCampaignsPartitionIsWhereTheProducerPutsItsKeyWhateverTheAssignment() {
        for (int partitions = 1; partitions <= 12; partitions++) {
            for (int i = 0; i < 2_000; i++) {
                final String messageId = "campaign-" + i;
                assertThat(Cluster.partitionOf(messageId, partitions)).as(messageId + " over " + partitions)
                        .isEqualTo(BuiltInPartitioner.partitionForKey(messageId.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }

    @Test
    void aPartitionAssignedToNoInstanceHasNoOwnerInsteadOfAnotherPartitionsOwner() {
        // Between the two rounds of a cooperative rebalance partition 2 is assigned to nobody. Kafka Streams'
        // queryMetadataForKey would hash over the 2 partitions it sees assigned and name partition 0 or 1 for a campaign
        // of partition 2: a queryable store without the campaign, a 404 for a known campaign.
        final String campaign = campaignOfPartition(2, 3);
        final List<StreamsMetadata> instances = List.of(
                metadata(A, new TopicPartition(REPORTING, 0)),
                metadata(B, new TopicPartition(REPORTING, 1)));

        assertThat(Cluster.partitionOf(campaign, 3)).isEqualTo(2);
        assertThat(Cluster.ownerOf(new TopicPartition(REPORTING, 2), instances)).as("nobody: a rebalance is under way (503)").isNull();
        assertThat(Cluster.ownerOf(new TopicPartition(REPORTING, 0), instances)).isEqualTo(A);
        assertThat(Cluster.ownerOf(new TopicPartition(REPORTING, 1), instances)).isEqualTo(B);
    }

    @Test
    void anInstanceWithoutAnEndpointOwnsNothing() {
        final List<StreamsMetadata> instances = List.of(metadata(HostInfo.unavailable(), new TopicPartition(REPORTING, 0)));
        assertThat(Cluster.ownerOf(new TopicPartition(REPORTING, 0), instances)).isNull();
    }

    private static String campaignOfPartition(final int partition, final int partitions) {
        for (int i = 0; ; i++) {
            final String id = "m" + i;
            if (BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), partitions) == partition) {
                return id;
            }
        }
    }

    private static StreamsMetadata metadata(final HostInfo host, final TopicPartition partition) {
        return new StreamsMetadataImpl(host, Set.of("campaign-stats"), Set.of(partition), Set.of(), Set.of());
    }
}
