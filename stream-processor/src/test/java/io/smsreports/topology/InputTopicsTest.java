package io.smsreports.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.events.Topics;
import io.smsreports.registry.MockSchemaRegistry;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * {@link Topics#inputs()} is what an operator hands to the application reset tool (README, "Reprocessing from scratch")
 * and what the reprocessing test resets: it must be every topic the topology reads, no more, or a reset leaves an input
 * where it was and the rebuilt figures miss it (as they did for the three topics of rules 14, 16 and 17 until this test).
 */
class InputTopicsTest {

    @Test
    void shouldListEveryTopicTheTopologyReads() {
        final Topics topics = Topics.prefixed("t");
        final TopologyDescription description = SmsReportsTopology.build(TopologySettings.defaults(topics, 3),
                EventSerdes.using(MockSchemaRegistry.clientForScope("input-topics")), PipelineMonitor.synchronous()).describe();
        final Set<String> read = new TreeSet<>();
        description.subtopologies().forEach(sub -> sub.nodes().forEach(node -> {
            if (node instanceof TopologyDescription.Source source) {
                source.topicSet().stream().filter(topic -> topic.startsWith("t.")).forEach(read::add); // not the repartition topics
            }
        }));
        description.globalStores().forEach(store -> read.addAll(store.source().topicSet()));
        assertThat(read).isEqualTo(new TreeSet<>(topics.inputs()));
        assertThat(topics.inputs()).doesNotContain(topics.delivered(), topics.deadLetters(), topics.audit(), topics.alerts());
    }
}
