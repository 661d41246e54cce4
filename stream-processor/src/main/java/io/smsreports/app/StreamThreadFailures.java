package io.smsreports.app;

import io.smsreports.privacy.PersonalData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stream thread's death means for the instance. A broker fault can end a thread with an error Kafka
 * Streams does not handle itself: a commit that fails with {@code InvalidTxnStateException} while a broker of the
 * transaction's partitions is killed, a timeout that outlived every retry. Such a fault is transient: the
 * thread is replaced, its tasks closed dirty and resumed from their last committed transaction (exactly-once, so
 * no count moves). Anything else — a bug, a corrupt store — shuts the instance down rather than retrying the
 * same record in a loop, and so does a transient fault that keeps coming back (more than {@code budget}
 * replacements within {@code window}), so that an operator sees a dead instance instead of one that never
 * moves.
 */
public final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailures.class);

    private final int budget;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> replacements = new ArrayDeque<>();

    public StreamThreadFailures(final int budget, final Duration window, final Clock clock) {
        this.budget = budget;
        this.window = window;
        this.clock = clock;
    }

    /** Five replacements within ten minutes: a broker restart costs one or two. */
    public static StreamThreadFailures standard() {
        return new StreamThreadFailures(5, Duration.ofMinutes(10), Clock.systemUTC());
    }

    /** Whether the failure's cause chain holds a Kafka client error that a fresh thread (and producer) outlives. */
    static boolean isTransient(final Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException
                    || t instanceof InvalidTxnStateException
                    || t instanceof TransactionAbortedException
                    || t instanceof ProducerFencedException
                    || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(final Throwable failure) {
        if (!isTransient(failure)) {
            LOG.error("Stream processing failed; shutting this instance down so that it restarts from its last commit",
                    PersonalData.redacted(failure));
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        final Instant now = clock.instant();
        while (!replacements.isEmpty() && replacements.peekFirst().isBefore(now.minus(window))) {
            replacements.removeFirst();
        }
        if (replacements.size() >= budget) {
            LOG.error("A stream thread failed on a transient Kafka fault for the {}th time within {}; shutting this "
                    + "instance down", budget + 1, window, PersonalData.redacted(failure));
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        LOG.warn("A stream thread failed on a transient Kafka fault; replacing it (its tasks resume from their last "
                + "committed transaction; {} of {} replacements within {})", replacements.size(), budget, window,
                PersonalData.redacted(failure));
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
