package io.smsreports.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {

    private static final Properties PROPERTIES = StreamsProperties.of(ProcessorConfig.from(Settings.of(Map.of()), false)
            .withConnections("k:9092", "mock://x"));

    @Test
    void theTransactionOutlastsARebalanceButNotTheSessionOfAnInstanceThatDied() {
        final StreamsConfig config = new StreamsConfig(PROPERTIES);
        final Map<String, Object> producer = config.getProducerConfigs("client");
        final Map<String, Object> consumer = config.getMainConsumerConfigs("group", "client", 0);
        final int transactionTimeout = Integer.parseInt(String.valueOf(producer.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)));
        final Map<String, Object> withDeserializers = new java.util.HashMap<>(consumer);
        withDeserializers.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        withDeserializers.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        final int sessionTimeout = new ConsumerConfig(withDeserializers).getInt(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
        assertThat(transactionTimeout).as("Kafka Streams' exactly-once default of 10 s was shorter than a rebalance under load")
                .isGreaterThanOrEqualTo(30_000);
        assertThat(transactionTimeout).as("the transaction of an instance that died is aborted before its tasks move")
                .isLessThan(sessionTimeout);
    }

    @Test
    void storesAreTransactionalAndQueriesReadCommittedState() {
        final StreamsConfig config = new StreamsConfig(PROPERTIES);
        assertThat(config.getBoolean(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG))
                .as("a task closed dirty keeps its committed state instead of being wiped and restored").isTrue();
        assertThat(config.defaultInteractiveQueryIsolationLevel()).as("the API never shows an uncommitted figure")
                .isEqualTo(org.apache.kafka.common.IsolationLevel.READ_COMMITTED);
    }
}
