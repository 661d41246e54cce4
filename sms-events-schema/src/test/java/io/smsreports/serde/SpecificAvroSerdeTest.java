package io.smsreports.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsreports.events.Campaign;
import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDelivered;
import io.smsreports.events.SmsDispatched;
import io.smsreports.registry.MockSchemaRegistry;
import io.smsreports.registry.SchemaRegistryClient;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpecificAvroSerdeTest {

    private final String scope = "serde-test-" + UUID.randomUUID();
    private final Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    private <T extends SpecificRecord> T roundTrip(final Class<T> type, final T value, final String topic) {
        try (SpecificAvroSerde<T> serde = SpecificAvroSerde.forValues(type, config)) {
            final byte[] bytes = serde.serializer().serialize(topic, value);
            assertThat(bytes[0]).as("magic byte").isZero();
            return serde.deserializer().deserialize(topic, bytes);
        }
    }

    @Test
    void shouldRoundTripEverySchema() {
        assertThat(roundTrip(Campaign.class, SampleEvents.campaign(), "sms.campaigns")).isEqualTo(SampleEvents.campaign());
        assertThat(roundTrip(SmsDispatched.class, SampleEvents.dispatch(), "sms.dispatches")).isEqualTo(SampleEvents.dispatch());
        assertThat(roundTrip(DeliveryReceipt.class, SampleEvents.receipt(), "sms.receipts")).isEqualTo(SampleEvents.receipt());
        assertThat(roundTrip(SmsDelivered.class, SampleEvents.delivered(), "sms.delivered")).isEqualTo(SampleEvents.delivered());
    }

    @Test
    void shouldRegisterUnderTopicNameStrategySubjects() {
        roundTrip(SmsDispatched.class, SampleEvents.dispatch(), "sms.dispatches");
        roundTrip(DeliveryReceipt.class, SampleEvents.receipt(), "sms.receipts");
        final SchemaRegistryClient registry = MockSchemaRegistry.clientForScope(scope);
        assertThat(registry.getSubjects()).containsExactly("sms.dispatches-value", "sms.receipts-value");
        assertThat(registry.getLatestSchema("sms.receipts-value").schema()).isEqualTo(DeliveryReceipt.getClassSchema());
    }

    @Test
    void shouldWriteTheConfluentWireFormatByteForByte() {
        final DeliveryReceipt receipt = DeliveryReceipt.newBuilder()
                .setSmsId("s1").setProvider("p").setStatus(ReceiptStatus.DELIVERED).setProviderStatus("DELIVRD")
                .setErrorCode(null).setFailReason(null).setDoneAt(Instant.ofEpochMilli(1000)).setReceivedAt(Instant.ofEpochMilli(2000))
                .build();
        try (SpecificAvroSerde<DeliveryReceipt> serde = SpecificAvroSerde.forValues(DeliveryReceipt.class, config)) {
            final byte[] bytes = serde.serializer().serialize("sms.receipts", receipt);
            // Hand-encoded: magic 00, schema id 1 (first id of a fresh registry, big-endian), then Avro binary:
            // "s1" (zigzag length 2 = 04, 73 31), "p" (02 70), enum DELIVERED = index 2 (04),
            // "DELIVRD" (0e 44 45 4c 49 56 52 44), errorCode null (union branch 0: 00), failReason null (00),
            // doneAt = branch 1 (02) + zigzag varint of 1000 (d0 0f), receivedAt = zigzag varint of 2000 (a0 1f),
            // priceMicros null (00), currency null (00).
            assertThat(HexFormat.of().formatHex(bytes))
                    .isEqualTo("0000000001" + "047331" + "0270" + "04" + "0e44454c49565244" + "00" + "00" + "02d00f" + "a01f" + "00" + "00");
        }
    }

    @Test
    void shouldReadBytesWrittenWithAnOlderSchemaUsingTheNewerSchemasDefaults() {
        final byte[] oldBytes;
        try (SpecificAvroSerde<SmsDispatched> v1 = SpecificAvroSerde.forValues(SmsDispatched.class, config)) {
            oldBytes = v1.serializer().serialize("sms.dispatches", SampleEvents.dispatch());
        }
        // The newer schema is registered as version 2 of the subject: BACKWARD compatible.
        final SchemaRegistryClient registry = MockSchemaRegistry.clientForScope(scope);
        final int v2Id = registry.register("sms.dispatches-value", io.smsreports.events.v2.SmsDispatched.getClassSchema());
        assertThat(registry.getVersions("sms.dispatches-value")).containsExactly(1, 2);
        assertThat(v2Id).isNotEqualTo(WireFormat.schemaId("sms.dispatches", oldBytes));

        try (SpecificAvroSerde<io.smsreports.events.v2.SmsDispatched> v2 =
                     SpecificAvroSerde.forValues(io.smsreports.events.v2.SmsDispatched.class, config)) {
            final io.smsreports.events.v2.SmsDispatched read = v2.deserializer().deserialize("sms.dispatches", oldBytes);
            assertThat(read.getSmsId()).isEqualTo("sms-42");
            assertThat(read.getSegments()).isEqualTo(2);
            assertThat(read.getDispatchedAt()).isEqualTo(SampleEvents.T0);
            assertThat(read.getChannel()).as("added field takes its default").isEqualTo("sms");
            assertThat(read.getPriority()).isNull();
        }
    }

    @Test
    void shouldRejectAWrongMagicByteNamingIt() {
        try (SpecificAvroSerde<SmsDispatched> serde = SpecificAvroSerde.forValues(SmsDispatched.class, config)) {
            final byte[] bytes = serde.serializer().serialize("sms.dispatches", SampleEvents.dispatch());
            bytes[0] = 0x7b; // '{': somebody produced JSON
            assertThatThrownBy(() -> serde.deserializer().deserialize("sms.dispatches", bytes))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("Unknown magic byte 0x7b")
                    .hasMessageContaining("sms.dispatches");
        }
    }

    @Test
    void shouldRejectAnUnknownSchemaIdNamingIt() {
        try (SpecificAvroSerde<SmsDispatched> serde = SpecificAvroSerde.forValues(SmsDispatched.class, config)) {
            final byte[] bytes = serde.serializer().serialize("sms.dispatches", SampleEvents.dispatch());
            bytes[1] = 0x00;
            bytes[2] = 0x00;
            bytes[3] = 0x30;
            bytes[4] = 0x39; // id 12345
            assertThatThrownBy(() -> serde.deserializer().deserialize("sms.dispatches", bytes))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("Unknown schema id 12345");
        }
    }

    @Test
    void shouldRejectTruncatedAndTrailingBytes() {
        try (SpecificAvroSerde<SmsDispatched> serde = SpecificAvroSerde.forValues(SmsDispatched.class, config)) {
            final byte[] bytes = serde.serializer().serialize("sms.dispatches", SampleEvents.dispatch());
            final byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
            assertThatThrownBy(() -> serde.deserializer().deserialize("sms.dispatches", truncated))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("Corrupt Avro data");
            final byte[] trailing = java.util.Arrays.copyOf(bytes, bytes.length + 2);
            assertThatThrownBy(() -> serde.deserializer().deserialize("sms.dispatches", trailing))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("trailing bytes");
            assertThatThrownBy(() -> serde.deserializer().deserialize("sms.dispatches", new byte[] {0, 0}))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("too short");
        }
    }

    @Test
    void shouldRejectAWriterSchemaTheClassCannotRead() {
        try (SpecificAvroSerde<Campaign> campaigns = SpecificAvroSerde.forValues(Campaign.class, config);
             SpecificAvroSerde<SmsDispatched> dispatches = SpecificAvroSerde.forValues(SmsDispatched.class, config)) {
            final byte[] campaignBytes = campaigns.serializer().serialize("sms.campaigns", SampleEvents.campaign());
            assertThatThrownBy(() -> dispatches.deserializer().deserialize("sms.campaigns", campaignBytes))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("cannot be read as io.smsreports.events.SmsDispatched");
        }
    }

    @Test
    void shouldFailOnlyWithSerializationExceptionsOnRandomCorruption() {
        try (SpecificAvroSerde<SmsDispatched> serde = SpecificAvroSerde.forValues(SmsDispatched.class, config)) {
            final byte[] valid = serde.serializer().serialize("sms.dispatches", SampleEvents.dispatch());
            final Random random = new Random(42);
            int rejected = 0;
            for (int i = 0; i < 20_000; i++) {
                final byte[] corrupt = valid.clone();
                final int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    corrupt[WireFormat.HEADER_SIZE + random.nextInt(corrupt.length - WireFormat.HEADER_SIZE)] = (byte) random.nextInt();
                }
                try {
                    assertThat(serde.deserializer().deserialize("sms.dispatches", corrupt)).isNotNull();
                } catch (SerializationException expected) {
                    rejected++;
                }
            }
            assertThat(rejected).as("most random corruptions are detected").isGreaterThan(1000);
        }
    }

    @Test
    void shouldPassNullsThrough() {
        try (SpecificAvroSerde<SmsDispatched> serde = SpecificAvroSerde.forValues(SmsDispatched.class, config)) {
            assertThat(serde.serializer().serialize("sms.dispatches", null)).isNull();
            assertThat(serde.deserializer().deserialize("sms.dispatches", null)).isNull();
        }
    }

    @Test
    void shouldNotRegisterWhenAutoRegisterIsOff() {
        final Map<String, Object> noRegister = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope,
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false");
        try (SpecificAvroSerde<SmsDispatched> serde = SpecificAvroSerde.forValues(SmsDispatched.class, noRegister)) {
            assertThatThrownBy(() -> serde.serializer().serialize("sms.dispatches", SampleEvents.dispatch()))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("look up")
                    .hasMessageContaining("sms.dispatches-value");
            MockSchemaRegistry.clientForScope(scope).register("sms.dispatches-value", SmsDispatched.getClassSchema());
            assertThat(serde.deserializer().deserialize("sms.dispatches",
                    serde.serializer().serialize("sms.dispatches", SampleEvents.dispatch()))).isEqualTo(SampleEvents.dispatch());
        }
    }

    @Test
    void shouldBeConfigurableByClassNameAsPlainKafkaClientsDo() {
        final SpecificAvroDeserializer<SmsDelivered> deserializer = new SpecificAvroDeserializer<>();
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope,
                AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, SmsDelivered.class.getName()), false);
        final SpecificAvroSerializer<SmsDelivered> serializer = new SpecificAvroSerializer<>();
        serializer.configure(config, false);
        assertThat(deserializer.deserialize("sms.delivered", serializer.serialize("sms.delivered", SampleEvents.delivered())))
                .isEqualTo(SampleEvents.delivered());
        serializer.close();
        deserializer.close();
    }
}
