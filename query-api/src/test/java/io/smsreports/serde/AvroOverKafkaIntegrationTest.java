package io.smsreports.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.embedded.EmbeddedKafkaBroker;
import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDispatched;
import io.smsreports.registry.DevSchemaRegistryServer;
import io.smsreports.registry.SchemaRegistryClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Gateways and the sender use the SDK exactly like this: plain clients configured by class name, over TCP. */
@Tag("integration")
class AvroOverKafkaIntegrationTest {

    @Test
    void shouldProduceAndConsumeAvroRecordsThroughARealBrokerAndRegistry() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
             DevSchemaRegistryServer registry = DevSchemaRegistryServer.startEphemeral()) {
            kafka.createTopic("sms.receipts", 3, Map.of());
            final List<DeliveryReceipt> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sent.add(DeliveryReceipt.newBuilder().setSmsId("sms-" + i).setProvider("acme")
                        .setStatus(ReceiptStatus.values()[i % ReceiptStatus.values().length]).setProviderStatus("X" + i)
                        .setErrorCode(i % 2 == 0 ? null : "00" + i).setFailReason(null)
                        .setDoneAt(Instant.ofEpochMilli(1_700_000_000_000L + i)).setReceivedAt(Instant.ofEpochMilli(1_700_000_001_000L + i))
                        .build());
            }

            try (KafkaProducer<String, DeliveryReceipt> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, SpecificAvroSerializer.class.getName(),
                    AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()))) {
                for (final DeliveryReceipt receipt : sent) {
                    producer.send(new ProducerRecord<>("sms.receipts", receipt.getSmsId(), receipt));
                }
                producer.flush();
            }

            final List<DeliveryReceipt> received = new ArrayList<>();
            try (KafkaConsumer<String, DeliveryReceipt> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "avro-it",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, SpecificAvroDeserializer.class.getName(),
                    AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, DeliveryReceipt.class.getName(),
                    AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()))) {
                consumer.subscribe(List.of("sms.receipts"));
                final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (received.size() < sent.size() && System.nanoTime() < deadline) {
                    for (final ConsumerRecord<String, DeliveryReceipt> record : consumer.poll(Duration.ofMillis(200))) {
                        assertThat(record.key()).isEqualTo(record.value().getSmsId());
                        received.add(record.value());
                    }
                }
            }
            assertThat(received).containsExactlyInAnyOrderElementsOf(sent);

            // The bytes on the broker are Confluent wire format with the id the registry assigned.
            final int registeredId = SchemaRegistryClients.forUrl(registry.url()).getLatestSchema("sms.receipts-value").id();
            try (KafkaConsumer<String, byte[]> raw = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "avro-it-raw",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
                raw.subscribe(List.of("sms.receipts"));
                ConsumerRecord<String, byte[]> first = null;
                final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (first == null && System.nanoTime() < deadline) {
                    final var records = raw.poll(Duration.ofMillis(200));
                    if (!records.isEmpty()) {
                        first = records.iterator().next();
                    }
                }
                assertThat(first).isNotNull();
                assertThat(first.value()[0]).isEqualTo(WireFormat.MAGIC_BYTE);
                assertThat(WireFormat.schemaId("sms.receipts", first.value())).isEqualTo(registeredId);
            }
            assertThat(SchemaRegistryClients.forUrl(registry.url()).getSubjects()).containsExactly("sms.receipts-value");
        }
    }

    @Test
    void shouldCarryEveryDispatchFieldThroughTheBroker() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
             DevSchemaRegistryServer registry = DevSchemaRegistryServer.startEphemeral();
             SpecificAvroSerde<SmsDispatched> serde = SpecificAvroSerde.forValues(SmsDispatched.class,
                     Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()))) {
            kafka.createTopic("sms.dispatches", 1, Map.of());
            final SmsDispatched dispatch = SmsDispatched.newBuilder().setSmsId("s-1").setMessageId("m-1").setMsisdn("+905551112233")
                    .setExternalId("u-1").setEmail("u@example.com").setPlatform("ios").setProvider("acme").setCountry("TR")
                    .setOperator("286-02").setSegments(3).setDispatchedAt(Instant.parse("2026-11-27T10:00:00.123Z")).build();
            try (KafkaProducer<String, SmsDispatched> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), serde.serializer())) {
                producer.send(new ProducerRecord<>("sms.dispatches", "s-1", dispatch)).get();
            }
            try (KafkaConsumer<String, SmsDispatched> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "avro-it-2",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), serde.deserializer())) {
                consumer.subscribe(List.of("sms.dispatches"));
                SmsDispatched read = null;
                final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (read == null && System.nanoTime() < deadline) {
                    for (final var record : consumer.poll(Duration.ofMillis(200))) {
                        read = record.value();
                    }
                }
                assertThat(read).isEqualTo(dispatch);
            }
        }
    }
}
