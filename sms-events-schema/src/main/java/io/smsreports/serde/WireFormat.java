package io.smsreports.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: byte 0 is the magic byte {@code 0}, bytes 1-4 the schema id (big-endian int),
 * then the Avro binary encoding of the value with that schema.
 */
public final class WireFormat {

    /** The first byte of every record in the Confluent wire format. */
    public static final byte MAGIC_BYTE = 0x0;
    /** Magic byte and schema id. */
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /**
     * The schema id of a record in the wire format.
     *
     * @throws SerializationException if the bytes are too short or do not start with the magic byte
     */
    public static int schemaId(final String topic, final byte[] bytes) {
        if (bytes.length < HEADER_SIZE) {
            throw new SerializationException("Record on topic '" + topic + "' is " + bytes.length + " byte(s) long, too short "
                    + "for the Confluent wire format (magic byte, 4-byte schema id, Avro data)");
        }
        if (bytes[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format("Unknown magic byte 0x%02x on topic '%s': expected 0x00 (Confluent "
                    + "wire format). The producer did not use a schema-registry Avro serializer.", bytes[0], topic));
        }
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    /** Writes the header for {@code schemaId} at the start of {@code buffer}. */
    static void writeHeader(final byte[] buffer, final int schemaId) {
        buffer[0] = MAGIC_BYTE;
        buffer[1] = (byte) (schemaId >>> 24);
        buffer[2] = (byte) (schemaId >>> 16);
        buffer[3] = (byte) (schemaId >>> 8);
        buffer[4] = (byte) schemaId;
    }
}
