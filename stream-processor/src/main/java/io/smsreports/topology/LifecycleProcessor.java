package io.smsreports.topology;

import io.smsreports.lifecycle.Dispatch;
import io.smsreports.lifecycle.FinalReceipt;
import io.smsreports.lifecycle.LifecycleClock;
import io.smsreports.lifecycle.PersonIds;
import io.smsreports.lifecycle.SmsInput;
import io.smsreports.lifecycle.SmsLifecycle;
import io.smsreports.lifecycle.SmsState;
import io.smsreports.lifecycle.TimeGuard;
import io.smsreports.lifecycle.Transition;
import io.smsreports.reporting.PersonMessage;
import io.smsreports.reporting.PersonProfile;
import io.smsreports.state.ExpiryKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Runs {@link SmsLifecycle} over the dispatches and receipts of one task's partitions, keyed by smsId.
 *
 * <p>Stores: {@link StoreNames#SMS_STATE} holds each smsId's state; {@link StoreNames#EXPIRY_INDEX} holds
 * one entry per state, ordered by the time it next needs attention. A wall-clock punctuation reads only the
 * due head of that index (a bounded range scan, never the whole store), so expiry costs the same with ten
 * thousand or ten million live SMS. An index entry is never later than its state's next deadline; it may be
 * earlier (after a final receipt the pending timeout entry stays and, when it fires, reschedules to the
 * retention deadline), which saves an index write on the hot path.
 *
 * <p>Outputs: a {@link Transition} for every change (to {@code sms.delivered} and the reports), and, in the
 * same task so in the same transaction, the person's message history ({@link StoreNames#PERSON_HISTORY},
 * {@link StoreNames#PEOPLE}).
 */
public final class LifecycleProcessor implements Processor<String, SmsInput, String, Transition> {

    static final String IDLE_CLOCK_KEY = "idle-clock";
    /**
     * The latest record time this task has processed: its clock, rather than Kafka Streams' stream time, which runs
     * ahead of what was processed while input is held back (a schema registry outage) and would then time out SMS whose
     * receipts are still held.
     */
    /** Per-task: the latest event time this task processed (its clock before the idle advance), committed with the offsets. */
    public static final String PROCESSED_TIME_KEY = "processed-time";
    /** Per-task count of orphan receipts (rule 7); the global figure is the sum over tasks. */
    public static final String ORPHAN_RECEIPTS_KEY = "orphan-receipts";
    /** Per-task count of input records whose event time was not believable and fell back (rule 12). */
    public static final String CLAMPED_TIMES_KEY = "clamped-times";
    private static final byte[] PRESENT = new byte[0];
    private static final int SCAN_BATCH = 1_000;
    private static final long DAY_MS = Duration.ofDays(1).toMillis();
    private static final int PROFILE_MEMO = 50_000;
    private static final long MAX_TICK_MS = 200;

    private final SmsLifecycle lifecycle;
    private final Duration scanInterval;
    private final long scanBudgetMs;
    private final long idleLagMs;
    private final Predicate<TaskId> caughtUp;

    private final TimeGuard timeGuard;
    /**
     * Profiles this task stored lately, by lookup key and day: the store holds them (written in this task's current or an
     * earlier committed transaction). Cleared on every init: a task revived after an aborted transaction starts over.
     */
    private final Map<String, PersonProfile> writtenProfiles = new LinkedHashMap<>(PROFILE_MEMO, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, PersonProfile> eldest) {
            return size() > PROFILE_MEMO;
        }
    };
    private ProcessorContext<String, Transition> context;
    private KeyValueStore<String, SmsState> states;
    private KeyValueStore<Bytes, byte[]> index;
    private KeyValueStore<String, Long> meta;
    private WindowStore<String, PersonMessage> personHistory;
    private WindowStore<String, PersonProfile> people;
    private LifecycleClock clock;
    private final TaskClocks clocks;
    /** This task's clock as the processor after this one (the deltas) reads it. */
    private TaskClocks.Clock sharedClock;
    private long processedTime;
    private long tickMs;
    private long lastScanAt = Long.MIN_VALUE / 2;
    private boolean backlogged;
    private Sensor orphanReceipts;
    private Sensor clampedTimes;
    private Sensor duplicateReceipts;
    private Sensor conflictingFinals;
    private Sensor lateReceipts;
    private Sensor duplicateDispatches;
    private Sensor expiredStates;

    public LifecycleProcessor(final SmsLifecycle lifecycle, final TimeGuard timeGuard, final Duration scanInterval,
            final Duration scanBudget, final Duration idleLag, final Predicate<TaskId> caughtUp, final TaskClocks clocks) {
        this.lifecycle = lifecycle;
        this.timeGuard = timeGuard;
        this.caughtUp = caughtUp;
        this.clocks = clocks;
        this.scanInterval = scanInterval;
        this.scanBudgetMs = scanBudget.toMillis();
        this.idleLagMs = idleLag.toMillis();
    }

    @Override
    public void init(final ProcessorContext<String, Transition> context) {
        this.context = context;
        writtenProfiles.clear(); // the stores may have been restored to an earlier commit
        this.states = context.getStateStore(StoreNames.SMS_STATE);
        this.index = context.getStateStore(StoreNames.EXPIRY_INDEX);
        this.meta = context.getStateStore(StoreNames.LIFECYCLE_META);
        this.personHistory = context.getStateStore(StoreNames.PERSON_HISTORY);
        this.people = context.getStateStore(StoreNames.PEOPLE);
        final Long processed = meta.get(PROCESSED_TIME_KEY);
        this.processedTime = processed == null ? Long.MIN_VALUE : processed;
        final Long idleClock = meta.get(IDLE_CLOCK_KEY);
        this.clock = new LifecycleClock(idleLagMs, idleClock == null ? Long.MIN_VALUE : idleClock);
        this.sharedClock = clocks.of(context.taskId());
        sharedClock.set(clock.now(processedTime));
        this.clampedTimes = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LIFECYCLE, PipelineMetrics.CLAMPED_TIMES);
        this.orphanReceipts = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LIFECYCLE, PipelineMetrics.ORPHAN_RECEIPTS);
        this.duplicateReceipts = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LIFECYCLE, PipelineMetrics.DUPLICATE_RECEIPTS);
        this.conflictingFinals = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LIFECYCLE, PipelineMetrics.CONFLICTING_FINALS);
        this.lateReceipts = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LIFECYCLE, PipelineMetrics.LATE_RECEIPTS);
        this.duplicateDispatches = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LIFECYCLE, PipelineMetrics.DUPLICATE_DISPATCHES);
        this.expiredStates = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LIFECYCLE, PipelineMetrics.EXPIRED_STATES);
        this.tickMs = Math.min(scanInterval.toMillis(), MAX_TICK_MS);
        context.schedule(Duration.ofMillis(tickMs), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(final Record<String, SmsInput> record) {
        clock.recordProcessed();
        // Rule 12: times beyond belief are replaced before anything is filed or any clock moves.
        final long wallClock = context.currentSystemTimeMs();
        final long recordTime = Math.min(record.timestamp(), timeGuard.latest(wallClock));
        if (recordTime > processedTime) {
            processedTime = recordTime;
            meta.put(PROCESSED_TIME_KEY, processedTime); // a cached store: one write per commit, not per record
        }
        final long now = clock.now(processedTime);
        sharedClock.set(now);
        final String smsId = record.key();
        final SmsState stored = states.get(smsId);
        final SmsLifecycle.Step step;
        final boolean clamped;
        if (record.value() instanceof SmsInput.Dispatched dispatched) {
            final Dispatch guarded = timeGuard.guard(dispatched.dispatch(), record.timestamp(), wallClock);
            clamped = guarded != dispatched.dispatch();
            step = lifecycle.onDispatch(smsId, stored, guarded, now);
        } else {
            final FinalReceipt receipt = ((SmsInput.Received) record.value()).finalReceipt();
            final FinalReceipt guarded = receipt == null ? null : timeGuard.guard(receipt, record.timestamp(), wallClock);
            clamped = guarded != receipt;
            step = lifecycle.onReceipt(smsId, stored, guarded, now);
        }
        if (clamped) {
            final Long count = meta.get(CLAMPED_TIMES_KEY);
            meta.put(CLAMPED_TIMES_KEY, (count == null ? 0 : count) + 1);
            clampedTimes.record();
        }
        apply(smsId, stored, step, recordTime);
    }

    /**
     * Every scan interval: the idle clock's tick and a scan of what is due. In between, every short tick, while a scan
     * left due deadlines behind (its budget ran out), another slice of them: a burst of due deadlines (a campaign's
     * timeouts, a backlog) drains at about half the thread's time, in slices short enough to keep commits and polls
     * going, instead of one budget per scan interval.
     */
    private void punctuate(final long wallClockTime) {
        if (wallClockTime - lastScanAt >= scanInterval.toMillis()) {
            lastScanAt = wallClockTime;
            // The clock may follow the wall clock only when nothing is in flight for this task: idle AND its input consumed.
            if (clock.tick(wallClockTime, () -> caughtUp.test(context.taskId()))) {
                meta.put(IDLE_CLOCK_KEY, clock.idleFloor());
                sharedClock.set(clock.now(processedTime));
            }
            backlogged = expireDue(clock.now(processedTime), scanBudgetMs);
        } else if (backlogged) {
            backlogged = expireDue(clock.now(processedTime), Math.max(1, tickMs / 2));
        }
    }

    /**
     * Applies the deadlines that are due, oldest first, within {@code budgetMs}; returns whether some due ones are left
     * for the next tick.
     */
    private boolean expireDue(final long now, final long budgetMs) {
        final long started = System.nanoTime();
        while (true) {
            final List<Bytes> due = new ArrayList<>(SCAN_BATCH);
            // Collect first, then modify: the store is not changed while its iterator is open.
            try (KeyValueIterator<Bytes, byte[]> it = index.range(ExpiryKeys.lowest(), ExpiryKeys.upTo(now))) {
                while (it.hasNext() && due.size() < SCAN_BATCH) {
                    due.add(it.next().key);
                }
            }
            for (final Bytes key : due) {
                index.delete(key);
                final String smsId = ExpiryKeys.smsId(key);
                final SmsState state = states.get(smsId);
                if (state == null || state.indexedAt() != ExpiryKeys.deadline(key)) {
                    continue; // a stale entry: its state is gone or was re-indexed
                }
                final SmsState unindexed = state.withIndexedAt(Long.MAX_VALUE);
                apply(smsId, unindexed, lifecycle.onTime(smsId, unindexed, now), now);
            }
            if (due.size() < SCAN_BATCH) {
                return false;
            }
            if ((System.nanoTime() - started) / 1_000_000 >= budgetMs) {
                return true;
            }
        }
    }

    private void apply(final String smsId, final SmsState stored, final SmsLifecycle.Step step, final long timestamp) {
        if (step.orphanReceipts() > 0) {
            final Long orphans = meta.get(ORPHAN_RECEIPTS_KEY);
            meta.put(ORPHAN_RECEIPTS_KEY, (orphans == null ? 0 : orphans) + step.orphanReceipts());
            count(orphanReceipts, step.orphanReceipts());
        }
        if (step.duplicateDispatch()) {
            duplicateDispatches.record();
        }
        final SmsState next = step.state() == null ? null : reindex(smsId, step.state());
        final long storedEntry = stored == null ? Long.MAX_VALUE : stored.indexedAt();
        if (storedEntry != Long.MAX_VALUE && (next == null || next.indexedAt() != storedEntry)) {
            index.delete(ExpiryKeys.of(storedEntry, smsId));
        }
        if (next == null) {
            if (stored != null) {
                states.delete(smsId);
                expiredStates.record();
            }
        } else if (!next.equals(stored)) {
            states.put(smsId, next);
        }
        for (final Transition transition : step.transitions()) {
            record(transition);
            if (transition.statusChanged()) {
                recordInHistory(transition);
            }
            context.forward(new Record<>(smsId, transition, timestamp));
        }
    }

    /** Adds an index entry when the state's next deadline is earlier than its current entry (or it has none). */
    private SmsState reindex(final String smsId, final SmsState state) {
        final long deadline = lifecycle.nextDeadline(state);
        if (deadline >= state.indexedAt()) {
            return state;
        }
        index.put(ExpiryKeys.of(deadline, smsId), PRESENT);
        return state.withIndexedAt(deadline);
    }

    private void record(final Transition transition) {
        count(duplicateReceipts, transition.duplicateReceipts());
        count(conflictingFinals, transition.conflictingFinals());
        if (transition.has(Transition.LATE)) {
            lateReceipts.record();
        }
    }

    /** A rate/total sensor's total counts recordings, not recorded values: one recording per unit. */
    private static void count(final Sensor sensor, final int units) {
        for (int i = 0; i < units; i++) {
            sensor.record();
        }
    }

    /** The person's message history and the identifier lookups, updated with the SMS's new status. */
    private void recordInHistory(final Transition t) {
        final Dispatch d = t.dispatch();
        final String personId = d.personId();
        final FinalReceipt f = t.finalReceipt();
        final PersonMessage message = new PersonMessage(t.smsId(), d.messageId(), t.outcome(),
                f == null ? null : f.status().name(), f == null ? null : f.errorCode(), f == null ? null : f.failReason(),
                d.platform(), d.provider(), d.dispatchedAt(), f == null ? null : f.finalAt());
        personHistory.put(PersonHistoryKeys.of(personId, t.smsId()), message, d.dispatchedAt()); // one entry per SMS: no read
        if (t.has(Transition.SENT)) {
            final PersonProfile profile = new PersonProfile(personId, d.externalId(), d.msisdn(), d.email());
            final long day = Math.floorDiv(d.dispatchedAt(), DAY_MS) * DAY_MS;
            for (final KeyValue<String, Long> lookup : lookupKeys(d, personId, day)) {
                // A person gets many SMS a day: the profile written for this lookup key and day is usually the same.
                // The memo of what this task wrote lately answers that without a store read; otherwise a read (a RocksDB
                // get on a cache miss) saves rewriting the same profile, its changelog record and its RocksDB write.
                final String memoKey = lookup.key + '@' + lookup.value;
                if (profile.equals(writtenProfiles.get(memoKey))) {
                    continue;
                }
                if (!profile.equals(people.fetch(lookup.key, lookup.value))) {
                    people.put(lookup.key, profile, lookup.value);
                }
                writtenProfiles.put(memoKey, profile);
            }
        }
    }

    private static List<KeyValue<String, Long>> lookupKeys(final Dispatch d, final String personId, final long day) {
        final List<KeyValue<String, Long>> keys = new ArrayList<>(3);
        keys.add(KeyValue.pair(personId, day));
        final String byMsisdn = PersonIds.forMsisdn(d.msisdn());
        if (!byMsisdn.equals(personId)) {
            keys.add(KeyValue.pair(byMsisdn, day));
        }
        if (d.email() != null) {
            keys.add(KeyValue.pair(PersonIds.forEmail(d.email()), day));
        }
        return keys;
    }
}
