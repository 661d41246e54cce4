package io.smsreports.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.slf4j.Marker;

/**
 * Keeps the console of the embedded mode readable under exactly-once processing with transactions v2
 * (KIP-890, the default of Kafka 4): when a transaction starts right after the previous one committed, the
 * broker may answer the first produce requests of the new one with {@code CONCURRENT_TRANSACTIONS} while it
 * writes the commit markers, and the requests already in flight behind them with an out-of-order sequence
 * (the mechanism of KAFKA-14920). The producer retries both, in order, and the batches are written exactly
 * once; the broker nevertheless logs each at ERROR with a stack trace and the producer at WARN.
 *
 * <p>This filter drops exactly those two records (the broker's {@link OutOfOrderSequenceException} on an
 * append, and the producer's "retrying" warning for those two errors); everything else,
 * including a non-retried sequence error, is logged as usual. Exactness across these retries is what the
 * crash-recovery and launcher tests check.
 */
public final class RetriedTransactionNoiseFilter extends TurboFilter {

    /** Kafka's loggers hand over messages already formatted ({@code params} null), the throwable apart. */
    @Override
    public FilterReply decide(final Marker marker, final Logger logger, final Level level, final String format, final Object[] params,
            final Throwable t) {
        if (format == null || level == null || !level.isGreaterOrEqual(Level.WARN)) {
            return FilterReply.NEUTRAL;
        }
        final String name = logger.getName();
        if (name.equals("kafka.server.ReplicaManager") && t instanceof OutOfOrderSequenceException
                && format.contains("Error processing append operation")) {
            return FilterReply.DENY;
        }
        if (name.equals("org.apache.kafka.clients.producer.internals.Sender") && format.contains("retrying")
                && (format.endsWith("Error: CONCURRENT_TRANSACTIONS") || format.endsWith("Error: OUT_OF_ORDER_SEQUENCE_NUMBER"))) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
