package io.smsreports.topology;

import io.smsreports.privacy.PersonalData;
import io.smsreports.serde.RegistryUnreachableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes and validates raw records of its input topics (each with its own decoder). A valid record goes on keyed by its id. A poison
 * record goes on with its original key and value bytes, its original headers plus {@link DeadLetterHeaders}
 * naming the error and the source topic, partition and offset, to be written to the dead-letter topic;
 * it is counted in the {@code dead-letter-records} metric.
 *
 * <p><b>Transient is not poison.</b> When the schema registry cannot answer ({@link RegistryUnreachableException}),
 * the record is not judged: it is parked, undecoded, in this task's backlog store (changelogged, so in the same
 * transaction as the input offsets: exact under crashes and rebalances), and so is every later record of this
 * input until the backlog is empty again, keeping their order. A wall-clock punctuation retries the oldest
 * parked record with exponential backoff and, once the registry answers, drains the backlog in order, a bounded
 * slice per punctuation so commits stay short. The stream thread keeps polling and committing meanwhile: no
 * transaction or poll timeout fires, nothing is skipped, nothing goes to the dead-letter topic. The stall is
 * reported to {@link DecodeStalls} ({@code /ready} and metrics).
 */
final class DecodeProcessor<V> implements Processor<byte[], byte[], String, Decoded<V>> {

    private static final Logger LOG = LoggerFactory.getLogger(DecodeProcessor.class);
    static final Duration RETRY_TICK = Duration.ofMillis(100);
    static final long INITIAL_BACKOFF_MS = 200;
    static final long MAX_BACKOFF_MS = 5_000;
    private static final int DRAIN_BATCH = 500;
    private static final long DRAIN_BUDGET_MS = 300;

    private final Map<String, Ingestion.Decoder<V>> decoders;
    private final String topic; // the input's name in logs and stalls: a topic, or "sms-inputs"
    private final String backlogStore;
    private final DecodeStalls stalls;
    private final Map<String, Sensor> deadLetters = new HashMap<>();
    private ProcessorContext<String, Decoded<V>> context;
    private KeyValueStore<Long, ParkedRecord> backlog;
    private TaskId task;
    private long parked;
    private long nextSequence;
    private long backoffMs = INITIAL_BACKOFF_MS;
    private long nextAttemptAt;
    private long drained;

    DecodeProcessor(final Map<String, Ingestion.Decoder<V>> decoders, final String name, final String backlogStore,
            final DecodeStalls stalls) {
        this.decoders = Map.copyOf(decoders);
        this.topic = name;
        this.backlogStore = backlogStore;
        this.stalls = stalls;
    }

    @Override
    public void init(final ProcessorContext<String, Decoded<V>> context) {
        this.context = context;
        this.task = context.taskId();
        for (final String input : decoders.keySet()) {
            deadLetters.put(input, PipelineMetrics.counter(context.metrics(), input, PipelineMetrics.DEAD_LETTERS));
        }
        this.backlog = context.getStateStore(backlogStore);
        // The store is the truth: Kafka Streams re-initialises the same processor when it revives a task (EOS after a
        // failed commit), with the store restored to the last commit.
        parked = 0;
        nextSequence = 0;
        backoffMs = INITIAL_BACKOFF_MS;
        nextAttemptAt = 0;
        drained = 0;
        try (KeyValueIterator<Long, ParkedRecord> it = backlog.all()) {
            while (it.hasNext()) {
                nextSequence = it.next().key + 1;
                parked++;
            }
        }
        if (parked > 0) {
            // Held before a restart or a move of this task: keep holding until the registry answers for the oldest.
            stalls.stalled(task, topic, "records held from before a restart or rebalance wait for the schema registry", parked);
        } else {
            stalls.closed(task, topic); // whatever an earlier incarnation of this task reported
        }
        context.schedule(RETRY_TICK, PunctuationType.WALL_CLOCK_TIME, this::retryParked);
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final RecordMetadata source = context.recordMetadata().orElse(null);
        final ParkedRecord raw = new ParkedRecord(source == null ? topic : source.topic(), source == null ? -1 : source.partition(),
                source == null ? -1 : source.offset(), record.timestamp(), record.key(), record.value(), record.headers());
        if (parked > 0) {
            park(raw); // behind older held records: order is kept
            return;
        }
        try {
            emit(raw);
        } catch (RegistryUnreachableException e) {
            park(raw);
            backoffMs = INITIAL_BACKOFF_MS;
            nextAttemptAt = context.currentSystemTimeMs() + backoffMs;
            drained = 0;
            stalls.stalled(task, topic, e.getMessage(), parked);
        }
    }

    @Override
    public void close() {
        stalls.closed(task, topic);
    }

    private void park(final ParkedRecord raw) {
        backlog.put(nextSequence++, raw);
        parked++;
        if ((parked & 1023) == 0) {
            stalls.parked(task, topic, parked);
        }
    }

    /** Retries the oldest held record when its backoff is over; once one decodes, drains in order within a budget. */
    private void retryParked(final long wallClock) {
        if (parked == 0) {
            return;
        }
        if (wallClock < nextAttemptAt) {
            stalls.parked(task, topic, parked); // still stalled, still here
            return;
        }
        final long started = System.nanoTime();
        while (parked > 0) {
            final List<KeyValue<Long, ParkedRecord>> batch = new ArrayList<>(DRAIN_BATCH);
            try (KeyValueIterator<Long, ParkedRecord> it = backlog.all()) {
                while (it.hasNext() && batch.size() < DRAIN_BATCH) {
                    batch.add(it.next());
                }
            }
            if (batch.isEmpty()) {
                parked = 0; // the store is the truth (never reached while the count is kept right)
                break;
            }
            for (final KeyValue<Long, ParkedRecord> held : batch) {
                try {
                    emit(held.value);
                } catch (RegistryUnreachableException e) {
                    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
                    nextAttemptAt = wallClock + backoffMs;
                    stalls.stalled(task, topic, e.getMessage(), parked);
                    return;
                }
                backlog.delete(held.key);
                parked--;
                drained++;
            }
            if ((System.nanoTime() - started) / 1_000_000 >= DRAIN_BUDGET_MS) {
                stalls.parked(task, topic, parked);
                return; // the rest at the next tick: keeps this transaction and the thread's poll loop short
            }
        }
        nextSequence = 0;
        backoffMs = INITIAL_BACKOFF_MS;
        stalls.cleared(task, topic);
        LOG.info("Task {} processed the {} record(s) of {} it held while the schema registry was unreachable", task, drained, topic);
    }

    /**
     * Decodes one record and forwards it (valid, or poison for the dead-letter topic).
     *
     * @throws RegistryUnreachableException when it cannot be decided now
     */
    private void emit(final ParkedRecord raw) {
        final String error;
        final String errorType;
        try {
            final Ingestion.Decoder<V> decoder = decoders.get(raw.topic());
            if (decoder == null) {
                throw new InvalidRecordException("no decoder for topic " + raw.topic());
            }
            final Ingestion.Valid<V> valid = decoder.decode(raw.topic(), raw.key(), raw.value());
            context.forward(new Record<>(valid.key(), Decoded.valid(valid.value()), raw.timestamp(), raw.headers()));
            return;
        } catch (InvalidRecordException | SerializationException e) {
            error = e.getMessage();
            errorType = e.getClass().getName();
        }
        final Headers headers = new RecordHeaders(raw.headers().toArray());
        headers.add(DeadLetterHeaders.EXCEPTION, bytes(errorType));
        headers.add(DeadLetterHeaders.MESSAGE, bytes(error));
        headers.add(DeadLetterHeaders.TOPIC, bytes(raw.topic()));
        headers.add(DeadLetterHeaders.PARTITION, bytes(String.valueOf(raw.partition())));
        headers.add(DeadLetterHeaders.OFFSET, bytes(String.valueOf(raw.offset())));
        final Sensor counter = deadLetters.get(raw.topic());
        if (counter != null) {
            counter.record();
        }
        // The headers keep the whole reason; the log line never shows a key or an id (a sender may key by MSISDN).
        LOG.warn("Poison record on {} partition {} offset {} sent to the dead-letter topic: {}", raw.topic(),
                raw.partition(), raw.offset(), PersonalData.mask(error));
        context.forward(new Record<>((String) null, Decoded.poison(raw.key(), raw.value()), raw.timestamp(), headers));
    }

    private static byte[] bytes(final String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }
}
