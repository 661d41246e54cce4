package io.smsreports.state;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the expiry index: the deadline as 8 order-preserving bytes (big-endian with the sign bit
 * flipped, so byte order is numeric order for every long), then the smsId. A range scan from the start
 * to {@link #upTo(long)} yields every entry due by then, oldest first, without touching the others.
 */
public final class ExpiryKeys {

    private ExpiryKeys() {
    }

    public static Bytes of(final long deadline, final String smsId) {
        final byte[] id = smsId.getBytes(StandardCharsets.UTF_8);
        final byte[] key = new byte[8 + id.length];
        writeDeadline(key, deadline);
        System.arraycopy(id, 0, key, 8, id.length);
        return Bytes.wrap(key);
    }

    /** The lowest possible key. */
    public static Bytes lowest() {
        return Bytes.wrap(new byte[0]);
    }

    /** A key above every entry with a deadline at or before {@code deadline}. */
    public static Bytes upTo(final long deadline) {
        if (deadline == Long.MAX_VALUE) {
            final byte[] key = new byte[9];
            java.util.Arrays.fill(key, (byte) 0xFF);
            return Bytes.wrap(key);
        }
        final byte[] key = new byte[8];
        writeDeadline(key, deadline + 1);
        return Bytes.wrap(key);
    }

    public static long deadline(final Bytes key) {
        final byte[] bytes = key.get();
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value ^ Long.MIN_VALUE;
    }

    public static String smsId(final Bytes key) {
        final byte[] bytes = key.get();
        return new String(bytes, 8, bytes.length - 8, StandardCharsets.UTF_8);
    }

    private static void writeDeadline(final byte[] key, final long deadline) {
        final long flipped = deadline ^ Long.MIN_VALUE;
        for (int i = 0; i < 8; i++) {
            key[i] = (byte) (flipped >>> (56 - 8 * i));
        }
    }

    /**
     * The keys of up to {@code max} entries due by {@code upTo}, oldest first, collected before anything is changed (a store
     * is not changed while its iterator is open).
     */
    public static java.util.List<Bytes> due(final org.apache.kafka.streams.state.KeyValueStore<Bytes, byte[]> index, final long upTo,
            final int max) {
        final java.util.List<Bytes> due = new java.util.ArrayList<>(Math.min(max, 1_024));
        try (org.apache.kafka.streams.state.KeyValueIterator<Bytes, byte[]> it = index.range(lowest(), upTo(upTo))) {
            while (it.hasNext() && due.size() < max) {
                due.add(it.next().key);
            }
        }
        return due;
    }
}
