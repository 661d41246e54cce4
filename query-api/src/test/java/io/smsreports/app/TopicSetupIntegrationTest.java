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
        final Topics topics = Topics.prefixed("ok");
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
        final Topics topics = Topics.prefixed("bad");
        kafka.createTopics(TopicSetup.newTopics(topics, 6, (short) 1).stream()
                .map(t -> t.name().equals("bad.receipts") ? new NewTopic("bad.receipts", 3, (short) 1) : t).toList());
        try (Admin admin = kafka.admin()) {
            assertThatThrownBy(() -> TopicSetup.verify(admin, topics))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("bad.dispatches has 6 partitions but bad.receipts has 3")
                    .hasMessageContaining("must be co-partitioned")
                    .hasMessageContaining("Refusing to start");
        }
    }

    @Test
    void shouldRefuseToStartWhenNotSentOrClicksAreNotCoPartitionedWithTheDispatches() {
        for (final String role : java.util.List.of("not-sent", "clicks")) {
            final Topics topics = Topics.prefixed("odd-" + role);
            final String odd = "odd-" + role + "." + role;
            kafka.createTopics(TopicSetup.newTopics(topics, 4, (short) 1).stream()
                    .map(t -> t.name().equals(odd) ? new NewTopic(odd, 2, (short) 1) : t).toList());
            try (Admin admin = kafka.admin()) {
                assertThatThrownBy(() -> TopicSetup.verify(admin, topics))
                        .hasMessageContaining("odd-" + role + ".dispatches has 4 partitions but " + odd + " has 2")
                        .hasMessageContaining("Refusing to start");
            }
        }
    }

    @Test
    void shouldNameMissingTopics() {
        final Topics topics = Topics.prefixed("none");
        kafka.createTopic("none.dispatches", 1, Map.of());
        try (Admin admin = kafka.admin()) {
            assertThatThrownBy(() -> TopicSetup.verify(admin, topics))
                    .hasMessageContaining("Missing topic(s) [none.campaigns, none.receipts, none.delivered, none.dlq, none.alerts, "
                            + "none.not-sent, none.clicks, none.inbound]");
        }
    }
}
