package io.smsreports.app;

import io.smsreports.privacy.PersonalData;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a record the producer could not write means: the stream thread fails and is replaced ({@link StreamThreadFailures}
 * replaces it when the cause is a transient Kafka fault), so that every task of the thread is closed dirty, the open
 * transaction is aborted and the tasks resume from their last commit. Nothing is skipped and nothing is retried in place.
 *
 * <p>Why not Kafka Streams' default: for a retriable error (a delivery timeout, not enough replicas) the default answers
 * {@code RETRY}, which marks the sending task corrupted. Kafka Streams then <em>commits the thread's other tasks</em>
 * before it closes the corrupted one and aborts (TaskManager.handleCorruption). Under exactly_once_v2 all tasks of a
 * thread share one transaction, so that commit also commits every record the corrupted task had already written in it —
 * its state store changelogs — without its input offsets and without what it still held for its own commit (the partial
 * sums {@code CampaignDeltaProcessor} forwards at commit). The task is then processed again from its last commit against
 * state that already has those SMS: they are taken for duplicates and never counted. Failing the thread aborts the whole
 * transaction instead, as a crash would: exact.
 */
public final class SendFailures implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SendFailures.class);

    @Override
    public Response handleError(final ErrorHandlerContext context, final ProducerRecord<byte[], byte[]> record,
            final Exception exception) {
        LOG.warn("A record for {} could not be written ({}); the stream thread stops and its tasks resume from their last "
                + "commit", record == null ? "an output" : record.topic(), PersonalData.redacted(exception).toString());
        return Response.fail();
    }

    @Override
    public void configure(final Map<String, ?> configs) {
        // nothing to configure
    }
}
