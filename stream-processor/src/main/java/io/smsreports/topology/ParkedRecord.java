package io.smsreports.topology;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * An input record kept, undecoded and in arrival order, while the schema registry cannot be asked about it:
 * its original bytes, headers, timestamp and origin (for the dead-letter headers, should it turn out to be
 * poison once the registry answers).
 *
 * <p>Stored as Avro: a format version byte, then the record in the schema of that version, read with Avro's
 * schema resolution, so that a later version of the service reads what this one parked.
 */
record ParkedRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value, Headers headers) {

    private static final byte FORMAT_V1 = 1;
    private static final Schema HEADER = SchemaBuilder.record("ParkedHeader").namespace("io.smsreports.state")
            .fields().requiredString("key").optionalBytes("value").endRecord();
    static final Schema SCHEMA_V1 = SchemaBuilder.record("ParkedRecord").namespace("io.smsreports.state")
            .doc("An input record held while the schema registry is unreachable")
            .fields()
            .requiredString("topic")
            .requiredInt("partition")
            .requiredLong("offset")
            .requiredLong("timestamp")
            .optionalBytes("key")
            .optionalBytes("value")
            .name("headers").type().array().items(HEADER).noDefault()
            .endRecord();

    static final Serde<ParkedRecord> SERDE = Serdes.serdeFrom(ParkedRecord::serialize, ParkedRecord::deserialize);

    private static byte[] serialize(final String topic, final ParkedRecord parked) {
        if (parked == null) {
            return null;
        }
        final GenericRecord record = new GenericData.Record(SCHEMA_V1);
        record.put("topic", parked.topic);
        record.put("partition", parked.partition);
        record.put("offset", parked.offset);
        record.put("timestamp", parked.timestamp);
        record.put("key", parked.key == null ? null : ByteBuffer.wrap(parked.key));
        record.put("value", parked.value == null ? null : ByteBuffer.wrap(parked.value));
        final List<GenericRecord> headers = new ArrayList<>();
        for (final Header header : parked.headers) {
            final GenericRecord h = new GenericData.Record(HEADER);
            h.put("key", header.key());
            h.put("value", header.value() == null ? null : ByteBuffer.wrap(header.value()));
            headers.add(h);
        }
        record.put("headers", headers);
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64 + (parked.value == null ? 0 : parked.value.length));
        out.write(FORMAT_V1);
        try {
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(SCHEMA_V1).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static ParkedRecord deserialize(final String topic, final byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length == 0 || bytes[0] != FORMAT_V1) {
            throw new IllegalStateException("Unknown format version " + (bytes.length == 0 ? "(empty)" : bytes[0])
                    + " of a parked record: written by a newer version of SMS Reports?");
        }
        final GenericRecord record;
        try {
            final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, 1, bytes.length - 1, null);
            record = new GenericDatumReader<GenericRecord>(SCHEMA_V1, SCHEMA_V1).read(null, decoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        final Headers headers = new RecordHeaders();
        for (final Object h : (List<?>) record.get("headers")) {
            final GenericRecord header = (GenericRecord) h;
            headers.add(new RecordHeader(header.get("key").toString(), bytes((ByteBuffer) header.get("value"))));
        }
        return new ParkedRecord(record.get("topic").toString(), (Integer) record.get("partition"), (Long) record.get("offset"),
                (Long) record.get("timestamp"), bytes((ByteBuffer) record.get("key")), bytes((ByteBuffer) record.get("value")), headers);
    }

    private static byte[] bytes(final ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
