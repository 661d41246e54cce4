package io.smsreports.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A compact binary encoding for the pipeline's internal state and repartition records: variable-length
 * integers (zigzag for signed values), length-prefixed UTF-8 strings with a null marker. Every encoded
 * value starts with a format version byte so that a later release can read what an earlier one wrote.
 */
public final class Codec {

    private Codec() {
    }

    /** Appends values to a growable buffer. Not thread-safe; one per encoding. */
    public static final class Writer {
        private byte[] buffer;
        private int position;

        public Writer(final int initialCapacity) {
            this.buffer = new byte[Math.max(16, initialCapacity)];
        }

        public Writer version(final int version) {
            return byteValue(version);
        }

        public Writer byteValue(final int value) {
            ensure(1);
            buffer[position++] = (byte) value;
            return this;
        }

        public Writer bool(final boolean value) {
            return byteValue(value ? 1 : 0);
        }

        /** A non-negative int, 1-5 bytes. */
        public Writer varint(final int value) {
            ensure(5);
            int v = value;
            while ((v & ~0x7F) != 0) {
                buffer[position++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buffer[position++] = (byte) v;
            return this;
        }

        /** Any long, zigzag-encoded, 1-10 bytes. */
        public Writer varlong(final long value) {
            ensure(10);
            long v = (value << 1) ^ (value >> 63);
            while ((v & ~0x7FL) != 0) {
                buffer[position++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buffer[position++] = (byte) v;
            return this;
        }

        /** A fixed 8-byte big-endian long (sorts like the number when non-negative). */
        public Writer fixedLong(final long value) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buffer[position++] = (byte) (value >>> shift);
            }
            return this;
        }

        /** A string or null. */
        public Writer string(final String value) {
            if (value == null) {
                return varint(0);
            }
            final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            varint(bytes.length + 1);
            return raw(bytes);
        }

        public Writer raw(final byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buffer, position, bytes.length);
            position += bytes.length;
            return this;
        }

        public byte[] toByteArray() {
            return Arrays.copyOf(buffer, position);
        }

        private void ensure(final int extra) {
            if (position + extra > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + extra));
            }
        }
    }

    /** Reads values back in the order they were written; any inconsistency is a {@link SerializationException}. */
    public static final class Reader {
        private final byte[] buffer;
        private final String what;
        private int position;

        public Reader(final byte[] buffer, final String what) {
            this.buffer = buffer;
            this.what = what;
        }

        /** Reads the version byte and checks it is one this code understands. */
        public int version(final int maxKnown) {
            final int version = byteValue();
            if (version < 1 || version > maxKnown) {
                throw new SerializationException("Unknown format version " + version + " of " + what
                        + " (this build reads up to " + maxKnown + "): written by a newer SMS Reports?");
            }
            return version;
        }

        public int byteValue() {
            require(1);
            return buffer[position++] & 0xFF;
        }

        public boolean bool() {
            return byteValue() != 0;
        }

        public int varint() {
            int result = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                final int b = byteValue();
                result |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw corrupt("varint too long");
        }

        public long varlong() {
            long raw = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                final int b = byteValue();
                raw |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return (raw >>> 1) ^ -(raw & 1);
                }
            }
            throw corrupt("varlong too long");
        }

        public long fixedLong() {
            require(8);
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (buffer[position++] & 0xFF);
            }
            return value;
        }

        public String string() {
            final int length = varint();
            if (length == 0) {
                return null;
            }
            require(length - 1);
            final String value = new String(buffer, position, length - 1, StandardCharsets.UTF_8);
            position += length - 1;
            return value;
        }

        /** Checks every byte was consumed. */
        public void end() {
            if (position != buffer.length) {
                throw corrupt((buffer.length - position) + " trailing byte(s)");
            }
        }

        private void require(final int count) {
            if (count < 0 || position + count > buffer.length) {
                throw corrupt("truncated");
            }
        }

        private SerializationException corrupt(final String why) {
            return new SerializationException("Corrupt " + what + ": " + why + " at byte " + position + " of " + buffer.length);
        }
    }
}
