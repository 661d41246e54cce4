package io.smsreports.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class SendFailuresTest {

    private static final ProducerRecord<byte[], byte[]> RECORD = new ProducerRecord<>("sms.delivered", new byte[] {1}, new byte[] {2});

    @Test
    void aRetriableSendErrorFailsTheThreadWhereKafkaStreamsWouldMarkTheTaskCorrupted() {
        final TimeoutException expired = new TimeoutException("Expiring 12 record(s) for sms.delivered-3: 120001 ms has passed");
        assertThat(new DefaultProductionExceptionHandler().handleError(null, RECORD, expired).result())
                .as("the default, whose task-corruption path commits part of the task's work").isEqualTo(Result.RETRY);
        assertThat(new SendFailures().handleError(null, RECORD, expired).result()).isEqualTo(Result.FAIL);
        assertThat(new SendFailures().handleError(null, RECORD, new NotEnoughReplicasException("2 of 3")).result()).isEqualTo(Result.FAIL);
        assertThat(new SendFailures().handleError(null, RECORD, new RecordTooLargeException("2 MB")).result()).isEqualTo(Result.FAIL);
    }

    @Test
    void theFailedThreadIsReplacedWhenTheCauseIsTransientSoTheInstanceKeepsRunning() {
        // What the record collector throws at the next send or commit after FAIL: a StreamsException caused by the send error.
        final StreamsException failedSend = new StreamsException("Error encountered sending record to topic sms.delivered",
                new TimeoutException("Expiring 12 record(s)"));
        assertThat(StreamThreadFailures.standard().handle(failedSend)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(new StreamThreadFailures(5, Duration.ofMinutes(10), java.time.Clock.systemUTC())
                .handle(new StreamsException("Error encountered sending record", new RecordTooLargeException("2 MB"))))
                .as("a record that can never be written is not retried by replacing threads")
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void everyInstanceUsesIt() {
        assertThat(StreamsProperties.of(ProcessorConfig.from(Settings.of(Map.of()), false).withConnections("k:9092", "mock://x")))
                .containsEntry(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, SendFailures.class);
    }
}
