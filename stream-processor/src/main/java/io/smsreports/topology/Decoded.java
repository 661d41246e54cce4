package io.smsreports.topology;

/**
 * One input record after decoding: the valid value, or the original bytes of a poison record on their way
 * to the dead-letter topic (the reason travels in the record's headers).
 *
 * @param <V> the decoded type
 */
record Decoded<V>(V value, byte[] poisonKey, byte[] poisonValue, boolean isPoison) {

    static <V> Decoded<V> valid(final V value) {
        return new Decoded<>(value, null, null, false);
    }

    static <V> Decoded<V> poison(final byte[] key, final byte[] value) {
        return new Decoded<>(null, key, value, true);
    }
}
