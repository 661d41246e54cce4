package io.smsreports.topology;

/**
 * Headers of a record in the dead-letter topic. The names are those of Kafka Streams' own dead-letter
 * queue (KIP-1034), so that tooling written for it reads ours. The key and value are the original bytes,
 * and the original headers are kept.
 */
public final class DeadLetterHeaders {
    /** The kind of error, e.g. {@code org.apache.kafka.common.errors.SerializationException}. */
    public static final String EXCEPTION = "__streams.errors.exception";
    /** Why the record could not be processed, in words. */
    public static final String MESSAGE = "__streams.errors.message";
    public static final String TOPIC = "__streams.errors.topic";
    public static final String PARTITION = "__streams.errors.partition";
    public static final String OFFSET = "__streams.errors.offset";

    private DeadLetterHeaders() {
    }
}
