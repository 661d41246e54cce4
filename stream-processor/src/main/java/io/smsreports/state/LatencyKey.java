package io.smsreports.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Key of one latency bucket of one campaign: the messageId's UTF-8 bytes, a NUL separator, and the bucket
 * as two big-endian bytes. All buckets of a campaign share the prefix {@link #PREFIX_SERIALIZER} writes,
 * in bucket order. (messageIds never contain NUL: ingestion rejects them.)
 */
public record LatencyKey(String messageId, int bucket) {

    public static final Serde<LatencyKey> SERDE = Serdes.serdeFrom(
            (topic, key) -> key == null ? null : key.toBytes(),
            (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

    /** Serializes a messageId as the prefix of all its bucket keys. */
    public static final Serializer<String> PREFIX_SERIALIZER = (topic, messageId) -> {
        final byte[] id = messageId.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(id, id.length + 1);
    };

    public byte[] toBytes() {
        final byte[] id = messageId.getBytes(StandardCharsets.UTF_8);
        final byte[] key = Arrays.copyOf(id, id.length + 3);
        key[id.length + 1] = (byte) (bucket >>> 8);
        key[id.length + 2] = (byte) bucket;
        return key;
    }

    static LatencyKey fromBytes(final byte[] bytes) {
        final int idLength = bytes.length - 3;
        return new LatencyKey(new String(bytes, 0, idLength, StandardCharsets.UTF_8),
                ((bytes[idLength + 1] & 0xFF) << 8) | (bytes[idLength + 2] & 0xFF));
    }
}
