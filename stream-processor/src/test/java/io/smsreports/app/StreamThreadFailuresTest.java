package io.smsreports.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailuresTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-04T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    /** What the chaos suite saw: a commit during a broker kill, wrapped by the stream thread. */
    private static Throwable commitDuringBrokerKill() {
        return new StreamsException("Error encountered trying to commit a transaction",
                new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state."));
    }

    @Test
    void aTransientKafkaFaultReplacesTheThreadAndAnythingElseShutsTheInstanceDown() {
        final StreamThreadFailures failures = new StreamThreadFailures(5, Duration.ofMinutes(10), clock);
        assertThat(failures.handle(commitDuringBrokerKill())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(failures.handle(new StreamsException(new TimeoutException("metadata"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(failures.handle(new StreamsException(new IllegalStateException("a bug"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(failures.handle(new SerializationException("not a transient fault")))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(failures.handle(new NullPointerException()))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void aTransientFaultThatKeepsComingBackShutsTheInstanceDownUntilTheWindowHasPassed() {
        final StreamThreadFailures failures = new StreamThreadFailures(3, Duration.ofMinutes(10), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(failures.handle(commitDuringBrokerKill())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            now.set(now.get().plusSeconds(60));
        }
        assertThat(failures.handle(commitDuringBrokerKill())).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        now.set(now.get().plus(Duration.ofMinutes(8)));
        assertThat(failures.handle(commitDuringBrokerKill())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
}
