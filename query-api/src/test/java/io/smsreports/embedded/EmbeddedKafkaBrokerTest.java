package io.smsreports.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class EmbeddedKafkaBrokerTest {

    @Test
    void shouldServeProduceAndConsumeOverTcpAndKeepDataAcrossARestart(@TempDir final Path dataDir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDirectory(dataDir).build().start()) {
            broker.createTopic("greetings", 3, Map.of());
            produce(broker.bootstrapServers(), "greetings", List.of("a", "b", "c"));
            assertThat(consumeAll(broker.bootstrapServers(), "greetings", 3)).containsExactlyInAnyOrder("a", "b", "c");
        }
        assertThat(dataDir.resolve("kafka/meta.properties")).exists();

        try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.builder().dataDirectory(dataDir).build().start()) {
            produce(restarted.bootstrapServers(), "greetings", List.of("d"));
            assertThat(consumeAll(restarted.bootstrapServers(), "greetings", 4)).containsExactlyInAnyOrder("a", "b", "c", "d");
            try (var admin = restarted.admin()) {
                assertThat(admin.describeTopics(List.of("greetings")).allTopicNames().get().get("greetings").partitions()).hasSize(3);
            }
        }
    }

    @Test
    void shouldDeleteATemporaryDataDirectoryOnClose() {
        final Path dir;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
            dir = broker.dataDirectory();
            assertThat(dir).exists();
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void shouldRefuseAPortInUseClearly() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(taken.getLocalPort()).build();
            assertThatThrownBy(broker::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Port " + taken.getLocalPort() + " is already in use: cannot start the embedded Kafka broker there. "
                            + "Stop what uses it or choose another port.");
            broker.close();
        }
    }

    @Test
    void shouldRefuseAForeignDataDirectoryClearly(@TempDir final Path dataDir) throws Exception {
        Files.createDirectories(dataDir.resolve("kafka"));
        Files.writeString(dataDir.resolve("kafka/notes.txt"), "my thesis");
        final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDirectory(dataDir).build();
        assertThatThrownBy(broker::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds files but no meta.properties")
                .hasMessageContaining(dataDir.resolve("kafka").toString());
        assertThat(dataDir.resolve("kafka/notes.txt")).hasContent("my thesis");
    }

    @Test
    void shouldRefuseACorruptMetaPropertiesClearly(@TempDir final Path dataDir) throws Exception {
        Files.createDirectories(dataDir.resolve("kafka"));
        Files.writeString(dataDir.resolve("kafka/meta.properties"), "version=0\nbroker.id=3\n");
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().dataDirectory(dataDir).build().start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not a KRaft broker's")
                .hasMessageContaining("Delete " + dataDir);
    }

    static void produce(final String bootstrap, final String topic, final List<String> values) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (final String value : values) {
                producer.send(new ProducerRecord<>(topic, value, value));
            }
            producer.flush();
        }
    }

    static List<String> consumeAll(final String bootstrap, final String topic, final int expected) {
        final List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
