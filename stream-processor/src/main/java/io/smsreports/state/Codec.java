package io.smsreports.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The reading half of the hand-written positional format that versions before the Avro state format wrote
 * (variable-length integers, zigzag for signed values, length-prefixed UTF-8 strings with a null marker, after a
 * version byte 1). Only {@link LegacyStateCodec} uses it, to read what an earlier version left in a store.
 */
final class Codec {

    private Codec() {
    }

    /** Reads values back in the order they were written; any inconsistency is a {@link SerializationException}. */
    static final class Reader {
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
