package io.smsreports.confluent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsreports.events.Campaign;
import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.SmsDelivered;
import io.smsreports.events.SmsDispatched;
import io.smsreports.registry.IncompatibleSchemaException;
import io.smsreports.registry.RestSchemaRegistryClient;
import io.smsreports.registry.SchemaRegistryClientConfig;
import io.smsreports.serde.AvroSerdeConfig;
import io.smsreports.serde.SpecificAvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The SDK against the real thing: Apache Kafka and Confluent Schema Registry in containers. Needs a Docker
 * engine; without one JUnit reports the class as skipped ("disabledWithoutDocker"), and the same behaviour
 * is covered against the dev registry and the embedded broker by the default test path.
 */
@Tag("integration")
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class ConfluentSchemaRegistryCompatibilityTest {

    private static final Network NETWORK = Network.newNetwork();

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0")
            .withNetwork(NETWORK)
            .withListener("kafka:19092");

    @Container
    static final GenericContainer<?> SCHEMA_REGISTRY = new GenericContainer<>("confluentinc/cp-schema-registry:7.9.0")
            .withNetwork(NETWORK)
            .withExposedPorts(8081)
            .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
            .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
            .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
            .dependsOn(KAFKA)
            .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(2)));

    private static String registryUrl() {
        return "http://" + SCHEMA_REGISTRY.getHost() + ":" + SCHEMA_REGISTRY.getMappedPort(8081);
    }

    @Test
    void shouldRegisterLookUpAndEnforceCompatibilityOnConfluentSchemaRegistry() {
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrls(registryUrl()))) {
            for (final Schema schema : List.of(Campaign.getClassSchema(), SmsDispatched.getClassSchema(),
                    DeliveryReceipt.getClassSchema(), SmsDelivered.getClassSchema())) {
                final String subject = schema.getName() + "-value";
                final int id = client.register(subject, schema);
                try (RestSchemaRegistryClient fresh = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrls(registryUrl()))) {
                    assertThat(fresh.getId(subject, schema)).isEqualTo(id);
                    assertThat(fresh.getSchemaById(id)).isEqualTo(schema);
                    assertThat(fresh.getLatestSchema(subject).version()).isEqualTo(1);
                }
            }
            assertThat(client.testCompatibility("SmsDispatched-value", io.smsreports.events.v2.SmsDispatched.getClassSchema())).isTrue();
            final Schema breaking = SchemaBuilder.record("DeliveryReceipt").namespace("io.smsreports.events").fields()
                    .requiredString("smsId").requiredString("carrierRoute").endRecord();
            assertThat(client.testCompatibility("DeliveryReceipt-value", breaking)).isFalse();
            assertThatThrownBy(() -> client.register("DeliveryReceipt-value", breaking)).isInstanceOf(IncompatibleSchemaException.class);
        }
    }

    @Test
    void shouldRoundTripThroughKafkaWithConfluentSchemaRegistry() {
        final Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl());
        final SmsDispatched dispatch = SmsDispatched.newBuilder().setSmsId("s-1").setMessageId("m-1").setMsisdn("+905551112233")
                .setProvider("acme").setDispatchedAt(Instant.parse("2026-11-27T10:00:00Z")).build();
        try (SpecificAvroSerde<SmsDispatched> serde = SpecificAvroSerde.forValues(SmsDispatched.class, serdeConfig);
             KafkaProducer<String, SmsDispatched> producer = new KafkaProducer<>(
                     Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers()), new StringSerializer(), serde.serializer());
             KafkaConsumer<String, SmsDispatched> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers(),
                     ConsumerConfig.GROUP_ID_CONFIG, "confluent-compat",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), serde.deserializer())) {
            producer.send(new ProducerRecord<>("sms.dispatches", "s-1", dispatch));
            producer.flush();
            consumer.subscribe(List.of("sms.dispatches"));
            SmsDispatched read = null;
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read == null && System.nanoTime() < deadline) {
                for (final var record : consumer.poll(Duration.ofMillis(500))) {
                    read = record.value();
                }
            }
            assertThat(read).isEqualTo(dispatch);
        }
    }
}
