package io.smsreports.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsreports.embedded.EmbeddedKafkaBroker;
import io.smsreports.events.Topics;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class TopicSetupIntegrationTest {

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaBroker.builder().build().start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void shouldAcceptCoPartitionedTopicsAndReturnTheirPartitionCount() {
        final Topics topics = new Topics("ok.campaigns", "ok.dispatches", "ok.receipts", "ok.delivered", "ok.dlq");
        kafka.createTopics(TopicSetup.newTopics(topics, 4, (short) 1));
        try (Admin admin = kafka.admin()) {
            assertThat(TopicSetup.verify(admin, topics)).isEqualTo(4);
            assertThat(admin.describeConfigs(java.util.List.of(new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "ok.campaigns"))).all().get().values().iterator().next()
                    .get("cleanup.policy").value()).isEqualTo("compact");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldRefuseToStartWhenDispatchesAndReceiptsAreNotCoPartitioned() {
        final Topics topics = new Topics("bad.campaigns", "bad.dispatches", "bad.receipts", "bad.delivered", "bad.dlq");
        kafka.createTopics(java.util.List.of(new NewTopic("bad.campaigns", 1, (short) 1), new NewTopic("bad.dispatches", 6, (short) 1),
                new NewTopic("bad.receipts", 3, (short) 1), new NewTopic("bad.delivered", 1, (short) 1), new NewTopic("bad.dlq", 1, (short) 1)));
        try (Admin admin = kafka.admin()) {
            assertThatThrownBy(() -> TopicSetup.verify(admin, topics))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("bad.dispatches has 6 partitions but bad.receipts has 3")
                    .hasMessageContaining("must be co-partitioned")
                    .hasMessageContaining("Refusing to start");
        }
    }

    @Test
    void shouldNameMissingTopics() {
        final Topics topics = new Topics("none.campaigns", "none.dispatches", "none.receipts", "none.delivered", "none.dlq");
        kafka.createTopic("none.dispatches", 1, Map.of());
        try (Admin admin = kafka.admin()) {
            assertThatThrownBy(() -> TopicSetup.verify(admin, topics))
                    .hasMessageContaining("Missing topic(s) [none.campaigns, none.receipts, none.delivered, none.dlq]");
        }
    }
}
