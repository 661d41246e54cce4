package io.smsreports.topology;

import static io.smsreports.topology.TopologyFixture.T0;
import static io.smsreports.topology.TopologyFixture.dispatch;
import static io.smsreports.topology.TopologyFixture.receipt;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDispatched;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Poison records go to the dead-letter topic with the reason, the original bytes and their origin; nothing stops. */
class DeadLetterTest {

    private final TopologyFixture fx = new TopologyFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private TestRecord<byte[], byte[]> onlyDeadLetter() {
        final List<TestRecord<byte[], byte[]>> records = fx.deadLetters.readRecordsToList();
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private static String header(final TestRecord<byte[], byte[]> record, final String name) {
        final Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldDeadLetterUndecodableBytesWithTheReasonAndOriginAndGoOn() {
        final byte[] junk = "{\"smsId\":\"s1\"}".getBytes(StandardCharsets.UTF_8);
        final RecordHeaders original = new RecordHeaders(new Header[] {new RecordHeader("trace-id", "abc".getBytes())});
        fx.rawDispatches.pipeInput(new TestRecord<>("s1".getBytes(), junk, original, T0));
        fx.pipe(dispatch("s2", "m", "ios", T0.plusSeconds(1)));

        final TestRecord<byte[], byte[]> dead = onlyDeadLetter();
        assertThat(dead.key()).isEqualTo("s1".getBytes());
        assertThat(dead.value()).as("the original bytes").isEqualTo(junk);
        assertThat(header(dead, DeadLetterHeaders.EXCEPTION)).isEqualTo("org.apache.kafka.common.errors.SerializationException");
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("Unknown magic byte 0x7b");
        assertThat(header(dead, DeadLetterHeaders.TOPIC)).isEqualTo("sms.dispatches");
        assertThat(header(dead, DeadLetterHeaders.PARTITION)).isEqualTo("0");
        assertThat(header(dead, DeadLetterHeaders.OFFSET)).isEqualTo("0");
        assertThat(header(dead, "trace-id")).as("original headers kept").isEqualTo("abc");
        assertThat(fx.totals("m").sent()).as("processing went on").isEqualTo(1);
        assertThat(deadLetterMetric("sms.dispatches")).isEqualTo(1.0);
    }

    @Test
    void shouldDeadLetterADispatchWithoutARequiredId() {
        fx.pipe(SmsDispatched.newBuilder(dispatch("s1", "m", "ios", T0)).setMessageId(" ").build());
        assertThat(header(onlyDeadLetter(), DeadLetterHeaders.MESSAGE)).isEqualTo("missing required id: messageId is empty");
        assertThat(fx.stats(" ")).isNull();
    }

    @Test
    void shouldDeadLetterARecordKeyedByAnotherId() {
        fx.dispatches.pipeInput("not-s1", dispatch("s1", "m", "ios", T0), T0);
        final TestRecord<byte[], byte[]> dead = onlyDeadLetter();
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("the key 'not-s1' is not the record's smsId 's1'");
        assertThat(header(dead, DeadLetterHeaders.EXCEPTION)).isEqualTo(InvalidRecordException.class.getName());
        assertThat(fx.stats("m")).isNull();
    }

    @Test
    void shouldDeadLetterTombstonesAndKeylessRecordsOnSmsTopics() {
        fx.rawReceipts.pipeInput("s1".getBytes(), null, T0);
        assertThat(header(onlyDeadLetter(), DeadLetterHeaders.MESSAGE)).contains("no value");
        fx.receipts.pipeInput(null, receipt("s1", ReceiptStatus.DELIVERED, T0, T0), T0);
        assertThat(header(onlyDeadLetter(), DeadLetterHeaders.MESSAGE)).contains("no key");
        fx.rawReceipts.pipeInput(new byte[] {(byte) 0xC3, (byte) 0x28}, new byte[] {0}, T0);
        assertThat(header(onlyDeadLetter(), DeadLetterHeaders.MESSAGE)).contains("not a UTF-8 string");
        assertThat(deadLetterMetric("sms.receipts")).isEqualTo(3.0);
        assertThat(deadLetterMetric("sms.dispatches")).as("each topic counts its own").isEqualTo(0.0);
        fx.rawCampaigns.pipeInput("m".getBytes(), "junk".getBytes(), T0);
        assertThat(deadLetterMetric("sms.campaigns")).isEqualTo(1.0);
        assertThat(deadLetterMetric("sms.receipts")).isEqualTo(3.0);
    }

    @Test
    void shouldDeadLetterAnUnknownReceiptStatusFromANewerWriter() {
        // A gateway on a newer schema with a status symbol this build does not know: not guessed, dead-lettered.
        final org.apache.avro.Schema newer = new org.apache.avro.Schema.Parser().parse(
                io.smsreports.events.DeliveryReceipt.getClassSchema().toString().replace("\"UNKNOWN\"]", "\"UNKNOWN\",\"BLOCKED\"]"));
        final org.apache.avro.generic.GenericRecord record = new org.apache.avro.generic.GenericData.Record(newer);
        record.put("smsId", "s1");
        record.put("provider", "p");
        record.put("status", new org.apache.avro.generic.GenericData.EnumSymbol(newer.getField("status").schema(), "BLOCKED"));
        record.put("providerStatus", "BLOCKED");
        record.put("receivedAt", T0.toEpochMilli());
        final byte[] bytes = genericBytes(newer, record);
        fx.rawReceipts.pipeInput("s1".getBytes(), bytes, T0);
        assertThat(header(onlyDeadLetter(), DeadLetterHeaders.MESSAGE)).contains("cannot be read as io.smsreports.events.DeliveryReceipt");
    }

    @Test
    void shouldDeadLetterABadCampaignButTreatATombstoneAsRemoval() {
        fx.rawCampaigns.pipeInput("m".getBytes(), "garbage".getBytes(), T0);
        assertThat(header(onlyDeadLetter(), DeadLetterHeaders.TOPIC)).isEqualTo("sms.campaigns");
        fx.rawCampaigns.pipeInput("m".getBytes(), null, T0);
        assertThat(fx.deadLetters.isEmpty()).isTrue();
    }

    private byte[] genericBytes(final org.apache.avro.Schema schema, final org.apache.avro.generic.GenericRecord record) {
        // Register the newer schema the way a gateway's serializer would, then write the wire format by hand.
        final int id = io.smsreports.registry.MockSchemaRegistry.clientForScope(fx.scope()).register("sms.receipts-value", schema);
        try {
            final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
            final org.apache.avro.io.BinaryEncoder encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
            new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(schema).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private double deadLetterMetric(final String topic) {
        for (final Map.Entry<MetricName, ? extends Metric> entry : fx.driver.metrics().entrySet()) {
            final MetricName name = entry.getKey();
            if (name.name().equals(PipelineMetrics.DEAD_LETTERS + "-total") && topic.equals(name.tags().get(PipelineMetrics.ENTITY_TAG))) {
                return ((Number) entry.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError("no dead-letter metric for " + topic + " among " + fx.driver.metrics().keySet());
    }
}
