package io.smsreports.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes and validates raw records of one input topic. A valid record goes on keyed by its id. A poison
 * record goes on with its original key and value bytes, its original headers plus {@link DeadLetterHeaders}
 * naming the error and the source topic, partition and offset, to be written to the dead-letter topic;
 * it is counted in the {@code dead-letter-records} metric. Nothing is dropped, and nothing stops the pipeline.
 */
final class DecodeProcessor<V> implements Processor<byte[], byte[], String, Decoded<V>> {

    private static final Logger LOG = LoggerFactory.getLogger(DecodeProcessor.class);

    private final Ingestion.Decoder<V> decoder;
    private final String topic;
    private ProcessorContext<String, Decoded<V>> context;
    private Sensor deadLetters;

    DecodeProcessor(final Ingestion.Decoder<V> decoder, final String topic) {
        this.decoder = decoder;
        this.topic = topic;
    }

    @Override
    public void init(final ProcessorContext<String, Decoded<V>> context) {
        this.context = context;
        this.deadLetters = PipelineMetrics.counter(context.metrics(), topic, PipelineMetrics.DEAD_LETTERS);
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final String error;
        final String errorType;
        try {
            final Ingestion.Valid<V> valid = decoder.decode(topic, record.key(), record.value());
            context.forward(record.withKey(valid.key()).withValue(Decoded.valid(valid.value())));
            return;
        } catch (InvalidRecordException | SerializationException e) {
            error = e.getMessage();
            errorType = e.getClass().getName();
        }
        final RecordMetadata source = context.recordMetadata().orElse(null);
        final Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(DeadLetterHeaders.EXCEPTION, bytes(errorType));
        headers.add(DeadLetterHeaders.MESSAGE, bytes(error));
        headers.add(DeadLetterHeaders.TOPIC, bytes(source == null ? topic : source.topic()));
        headers.add(DeadLetterHeaders.PARTITION, bytes(source == null ? "-1" : String.valueOf(source.partition())));
        headers.add(DeadLetterHeaders.OFFSET, bytes(source == null ? "-1" : String.valueOf(source.offset())));
        deadLetters.record();
        LOG.warn("Poison record on {} partition {} offset {} sent to the dead-letter topic: {}", topic,
                source == null ? "?" : source.partition(), source == null ? "?" : source.offset(), error);
        context.forward(new Record<>((String) null, Decoded.poison(record.key(), record.value()), record.timestamp(), headers));
    }

    private static byte[] bytes(final String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }
}
