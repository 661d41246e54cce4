package io.smsreports.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDelivered;
import io.smsreports.events.SmsDispatched;
import io.smsreports.events.Topics;
import io.smsreports.registry.MockSchemaRegistry;
import io.smsreports.serde.SpecificAvroSerializer;
import io.smsreports.topology.EventSerdes;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

/** The DSL peer computes what it claims: finals joined to their dispatch, counted per campaign, platform, outcome and hour. */
class DslPeerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void shouldCountJoinedFinalsPerCampaignPlatformAndHourAndEmitTheDelivered() throws Exception {
        final Topics topics = Topics.defaults();
        final var registry = MockSchemaRegistry.clientForScope("dsl-peer-test");
        final EventSerdes serdes = EventSerdes.using(registry);
        final Properties props = DslPeer.properties(Map.of());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "peer-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("peer-test").toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(DslPeer.topology(topics, serdes, "out"), props, T0)) {
            final TestInputTopic<String, SmsDispatched> dispatches = driver.createInputTopic(topics.dispatches(), new StringSerializer(),
                    new SpecificAvroSerializer<>(registry, true)); // the sender registers the schemas
            final TestInputTopic<String, DeliveryReceipt> receipts = driver.createInputTopic(topics.receipts(), new StringSerializer(),
                    new SpecificAvroSerializer<>(registry, true));
            dispatches.pipeInput("a", dispatch("a", "m1", "ios"), T0);
            dispatches.pipeInput("b", dispatch("b", "m1", "ios"), T0.plusSeconds(1));
            dispatches.pipeInput("c", dispatch("c", "m2", null), T0.plusSeconds(2));
            receipts.pipeInput("a", receipt("a", ReceiptStatus.ACCEPTED), T0.plusSeconds(3)); // not final: not counted
            receipts.pipeInput("a", receipt("a", ReceiptStatus.DELIVERED), T0.plusSeconds(4));
            receipts.pipeInput("b", receipt("b", ReceiptStatus.UNDELIVERABLE), T0.plusSeconds(5));
            receipts.pipeInput("c", receipt("c", ReceiptStatus.DELIVERED), T0.plusSeconds(6));
            receipts.pipeInput("x", receipt("x", ReceiptStatus.DELIVERED), T0.plusSeconds(7)); // no dispatch: dropped by the join

            final WindowStore<String, Long> counts = driver.getWindowStore(DslPeer.COUNTS);
            final Map<String, Long> byKey = new TreeMap<>();
            try (var it = counts.all()) {
                it.forEachRemaining(kv -> byKey.merge(kv.key.key() + "@" + kv.key.window().startTime(), kv.value, Long::sum));
            }
            final String hour = T0.toString();
            assertThat(byKey).containsExactlyEntriesOf(new TreeMap<>(Map.of("m1|ios|delivered@" + hour, 1L, "m1|ios|failed@" + hour, 1L,
                    "m2|unknown|delivered@" + hour, 1L)));
            final var output = driver.createOutputTopic("out", new StringDeserializer(), serdes.delivered().deserializer());
            final Map<String, SmsDelivered> delivered = output.readKeyValuesToMap();
            assertThat(delivered).containsOnlyKeys("a", "c"); // b failed, x has no dispatch
            assertThat(delivered.get("c").getMessageId()).isEqualTo("m2");
            assertThat(delivered.get("a").getLatencyMs()).isEqualTo(4_000); // done 4 s after its dispatch
        }
    }

    private static SmsDispatched dispatch(final String smsId, final String messageId, final String platform) {
        return SmsDispatched.newBuilder().setSmsId(smsId).setMessageId(messageId).setMsisdn("+905550000000").setPlatform(platform)
                .setProvider("p").setCountry("TR").setSegments(1).setDispatchedAt(T0.plusSeconds(smsId.charAt(0) - 'a')).build();
    }

    private static DeliveryReceipt receipt(final String smsId, final ReceiptStatus status) {
        return DeliveryReceipt.newBuilder().setSmsId(smsId).setProvider("p").setStatus(status).setProviderStatus(status.name())
                .setDoneAt(T0.plusSeconds(4 + smsId.charAt(0) - 'a')).setReceivedAt(T0.plusSeconds(4 + smsId.charAt(0) - 'a')).build();
    }
}
