package io.smsreports.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.embedded.EmbeddedKafkaBroker;
import io.smsreports.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code sms.delivered} reaches its consumers in a codec every mainstream client decodes with its defaults: kafkajs
 * implements only gzip (LZ4, Snappy and ZSTD need plugins: "LZ4 compression not implemented"), Java and librdkafka read
 * all. The service's producer writes lz4; the topic's {@code compression.type=gzip} makes the broker store, and so serve,
 * gzip batches. Checked on the batches as they lie in the broker's log, which is what any consumer fetches.
 */
@Tag("integration")
class DeliveredTopicCompressionIntegrationTest {

    private static final Topics TOPICS = Topics.defaults();

    @Test
    void shouldServeSmsDeliveredInACodecEveryClientReadsByDefault() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
            broker.createTopics(TopicSetup.newTopics(TOPICS, 1, (short) 1));
            produceLikeTheService(broker, TOPICS.delivered(), 200);
            assertThat(batchCodecs(broker, TOPICS.delivered())).isNotEmpty().containsOnly(CompressionType.GZIP);
            assertThat(readWithDefaults(broker, TOPICS.delivered())).isEqualTo(200);
        }
    }

    @Test
    void shouldAlignATopicAnEarlierVersionCreated() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start(); Admin admin = broker.admin()) {
            broker.createTopics(List.of(new NewTopic(TOPICS.delivered(), 1, (short) 1))); // no compression.type: the producer's lz4
            produceLikeTheService(broker, TOPICS.delivered(), 10);
            assertThat(TopicSetup.deliveredCompression(admin, TOPICS)).isEqualTo("producer");
            assertThat(batchCodecs(broker, TOPICS.delivered())).containsOnly(CompressionType.LZ4); // what kafkajs cannot read

            TopicSetup.alignDeliveredCompression(admin, TOPICS);
            assertThat(TopicSetup.deliveredCompression(admin, TOPICS)).isEqualTo(TopicSetup.DELIVERED_COMPRESSION);
            produceLikeTheService(broker, TOPICS.delivered(), 10);
            final List<CompressionType> codecs = batchCodecs(broker, TOPICS.delivered());
            assertThat(codecs.get(codecs.size() - 1)).as("batches written from then on").isEqualTo(CompressionType.GZIP);
        }
    }

    /**
     * The real thing: kafkajs 2 with its defaults reads {@code sms.delivered}, and crashes, as users reported, on a topic
     * that keeps the producer's lz4. Needs Node.js and kafkajs ({@code .ci/run} installs both); skipped, saying why,
     * without them.
     */
    @Test
    void shouldBeReadByAKafkajsConsumerWithItsDefaults() throws Exception {
        final Path kafkajs = Path.of(System.getenv().getOrDefault("SMS_TEST_KAFKAJS_DIR",
                System.getProperty("user.home") + "/.cache/sms-reports/kafkajs"));
        Assumptions.assumeTrue(Files.isDirectory(kafkajs.resolve("node_modules").resolve("kafkajs")) && run(kafkajs, "node", "--version")
                .startsWith("v"), "Node.js and kafkajs are not installed in " + kafkajs + " (.ci/run installs them)");
        try (var script = getClass().getResourceAsStream("/kafkajs/read.js")) {
            Files.write(kafkajs.resolve("read.js"), script.readAllBytes());
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
            broker.createTopics(TopicSetup.newTopics(TOPICS, 1, (short) 1));
            broker.createTopics(List.of(new NewTopic("earlier.delivered", 1, (short) 1)));
            produceLikeTheService(broker, TOPICS.delivered(), 50);
            produceLikeTheService(broker, "earlier.delivered", 50);
            assertThat(run(kafkajs, "node", "read.js", broker.bootstrapServers(), TOPICS.delivered())).contains("read 50").doesNotContain("crashed");
            assertThat(run(kafkajs, "node", "read.js", broker.bootstrapServers(), "earlier.delivered"))
                    .contains("LZ4 compression not implemented");
        }
    }

    private static String run(final Path directory, final String... command) throws IOException, InterruptedException {
        final Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return "not runnable: " + e.getMessage();
        }
        final String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    /** As the service's producer: lz4 (StreamsProperties), batched. */
    private static void produceLikeTheService(final EmbeddedKafkaBroker broker, final String topic, final int records) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(), ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.LINGER_MS_CONFIG, 20),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, "sms-" + i, "{\"smsId\":\"sms-" + i + "\",\"messageId\":\"m-1\"}"));
            }
            producer.flush();
        }
    }

    /** The compression of every record batch in the topic's log segments on the broker's disk. */
    private static List<CompressionType> batchCodecs(final EmbeddedKafkaBroker broker, final String topic) throws IOException {
        final List<CompressionType> codecs = new ArrayList<>();
        final List<Path> segments;
        try (Stream<Path> files = Files.walk(broker.dataDirectory())) {
            segments = files.filter(f -> f.getParent().getFileName().toString().startsWith(topic + "-") && f.toString().endsWith(".log"))
                    .sorted().toList();
        }
        for (final Path segment : segments) {
            try (FileRecords records = FileRecords.open(segment.toFile())) {
                for (final RecordBatch batch : records.batches()) {
                    codecs.add(batch.compressionType());
                }
            }
        }
        return codecs;
    }

    private static int readWithDefaults(final EmbeddedKafkaBroker broker, final String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()), new StringDeserializer(), new StringDeserializer())) {
            final TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            int read = 0;
            for (int empty = 0; empty < 5; ) {
                final int n = consumer.poll(Duration.ofMillis(500)).count();
                read += n;
                empty = n == 0 ? empty + 1 : 0;
            }
            return read;
        }
    }
}
