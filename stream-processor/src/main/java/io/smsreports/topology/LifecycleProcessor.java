package io.smsreports.topology;

import io.smsreports.lifecycle.Dispatch;
import io.smsreports.lifecycle.FinalReceipt;
import io.smsreports.lifecycle.NotSent;
import io.smsreports.lifecycle.PersonIds;
import io.smsreports.lifecycle.SmsInput;
import io.smsreports.lifecycle.SmsLifecycle;
import io.smsreports.lifecycle.SmsState;
import io.smsreports.lifecycle.TimeGuard;
import io.smsreports.lifecycle.Transition;
import io.smsreports.lifecycle.Watermark;
import io.smsreports.reporting.PersonMessage;
import io.smsreports.reporting.PersonProfile;
import io.smsreports.state.ExpiryKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
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
 * <p>Time (rule 13): every deadline is judged on the task's {@link Watermark}, the lowest time its two inputs have
 * reached (an idle input excepted), kept in {@link StoreNames#LIFECYCLE_META} with the task's state; the lifecycle gets
 * each record's own time for everything else.
 *
 * <p>Outputs: a {@link Transition} for every change (to {@code sms.delivered} and the reports), and, in the
 * same task so in the same transaction, the person's message history ({@link StoreNames#PERSON_HISTORY},
 * {@link StoreNames#PEOPLE}).
 */
public final class LifecycleProcessor implements Processor<String, SmsInput, String, Transition> {

    /** Per-task: the watermark's idle floor (wall clock − idle lag when both inputs were last idle). */
    static final String IDLE_CLOCK_KEY = "idle-clock";
    /** Per-task: how far each input has come (the largest guarded record time processed from it). */
    static final String DISPATCHES_REACHED_KEY = "reached-dispatches";
    static final String RECEIPTS_REACHED_KEY = "reached-receipts";
    /** Per-task: the watermark (rule 13), committed with the offsets; the freshness of the reports. */
    public static final String WATERMARK_KEY = "watermark";
    /**
     * Per-task, written by versions before the watermark: the largest record time processed on either input, read once
     * to start the watermark where the old clock stood.
     */
    public static final String PROCESSED_TIME_KEY = "processed-time";
    /** Per-task count of inputs older than the SMS retention, ignored (rule 13: a replay of what was counted). */
    public static final String STALE_INPUTS_KEY = "stale-inputs";
    /** Per-task count of orphan receipts (rule 7); the global figure is the sum over tasks. */
    public static final String ORPHAN_RECEIPTS_KEY = "orphan-receipts";
    /** Per-task count of clicks for smsIds never dispatched (rule 16, as rule 7); the global figure is the sum over tasks. */
    public static final String ORPHAN_CLICKS_KEY = "orphan-clicks";
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
    private final Duration idleness;
    private final Duration idleLag;
    private final BiPredicate<TaskId, Watermark.Input> caughtUp;

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
    private Watermark watermark;
    private Watermark.State persisted;
    private final TaskClocks clocks;
    /** This task's watermark as the processor after this one (the deltas, the alerts' clock) reads it. */
    private TaskClocks.Clock sharedClock;
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
    private Sensor staleInputs;

    public LifecycleProcessor(final SmsLifecycle lifecycle, final TimeGuard timeGuard, final Duration scanInterval,
            final Duration scanBudget, final Duration idleness, final Duration idleLag, final BiPredicate<TaskId, Watermark.Input> caughtUp,
            final TaskClocks clocks) {
        this.lifecycle = lifecycle;
        this.timeGuard = timeGuard;
        this.caughtUp = caughtUp;
        this.clocks = clocks;
        this.scanInterval = scanInterval;
        this.scanBudgetMs = scanBudget.toMillis();
        this.idleness = idleness;
        this.idleLag = idleLag;
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
        this.persisted = restoredWatermark();
        this.watermark = new Watermark(idleness, idleLag, persisted, context.currentSystemTimeMs());
        this.sharedClock = clocks.of(context.taskId());
        sharedClock.set(watermark.now());
        this.clampedTimes = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LIFECYCLE, PipelineMetrics.CLAMPED_TIMES);
        this.orphanReceipts = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LIFECYCLE, PipelineMetrics.ORPHAN_RECEIPTS);
        this.duplicateReceipts = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LIFECYCLE, PipelineMetrics.DUPLICATE_RECEIPTS);
        this.conflictingFinals = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LIFECYCLE, PipelineMetrics.CONFLICTING_FINALS);
        this.lateReceipts = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LIFECYCLE, PipelineMetrics.LATE_RECEIPTS);
        this.duplicateDispatches = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LIFECYCLE, PipelineMetrics.DUPLICATE_DISPATCHES);
        this.expiredStates = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LIFECYCLE, PipelineMetrics.EXPIRED_STATES);
        this.staleInputs = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LIFECYCLE, PipelineMetrics.STALE_INPUTS);
        this.tickMs = Math.min(scanInterval.toMillis(), MAX_TICK_MS);
        context.schedule(Duration.ofMillis(tickMs), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    /** The committed watermark; from a version before it, the old clock (largest time processed, idle floor). */
    private Watermark.State restoredWatermark() {
        final Long idleFloor = meta.get(IDLE_CLOCK_KEY);
        final Long mark = meta.get(WATERMARK_KEY);
        if (mark == null) {
            final Long processed = meta.get(PROCESSED_TIME_KEY);
            final long old = processed == null ? Watermark.NONE : processed;
            return new Watermark.State(old, old, orNone(idleFloor), Math.max(old, orNone(idleFloor)));
        }
        return new Watermark.State(orNone(meta.get(DISPATCHES_REACHED_KEY)), orNone(meta.get(RECEIPTS_REACHED_KEY)), orNone(idleFloor),
                mark);
    }

    private static long orNone(final Long value) {
        return value == null ? Watermark.NONE : value;
    }

    /** Writes what changed of the watermark: a cached store, so one write per key and commit, not per record. */
    private void persistWatermark() {
        final Watermark.State now = watermark.state();
        putIfChanged(DISPATCHES_REACHED_KEY, persisted.dispatchesReached(), now.dispatchesReached());
        putIfChanged(RECEIPTS_REACHED_KEY, persisted.receiptsReached(), now.receiptsReached());
        putIfChanged(IDLE_CLOCK_KEY, persisted.idleFloor(), now.idleFloor());
        putIfChanged(WATERMARK_KEY, persisted.watermark(), now.watermark());
        persisted = now;
    }

    private void putIfChanged(final String key, final long before, final long after) {
        if (after != before) {
            meta.put(key, after);
        }
    }

    @Override
    public void process(final Record<String, SmsInput> record) {
        // Rule 12: times beyond belief are replaced before anything is filed or any clock moves.
        final long wallClock = context.currentSystemTimeMs();
        final long recordTime = Math.min(record.timestamp(), timeGuard.latest(wallClock));
        // A not-sent decision (rule 14) is the sender's output like a dispatch: it moves the dispatches' input of the watermark; a
        // click (rule 16) the receipts'.
        final boolean isDispatch = record.value() instanceof SmsInput.Dispatched || record.value() instanceof SmsInput.NotSentDecided;
        final long now = watermark.onRecord(isDispatch ? Watermark.Input.DISPATCHES : Watermark.Input.RECEIPTS, recordTime, wallClock);
        persistWatermark();
        sharedClock.set(now);
        final String smsId = record.key();
        final SmsState stored = states.get(smsId);
        final SmsLifecycle.Step step;
        final boolean clamped;
        if (record.value() instanceof SmsInput.Dispatched dispatched) {
            final Dispatch guarded = timeGuard.guard(dispatched.dispatch().withPublishedAt(recordTime), record.timestamp(), wallClock);
            clamped = guarded.dispatchedAt() != dispatched.dispatch().dispatchedAt();
            step = lifecycle.onDispatch(smsId, stored, guarded, now);
        } else if (record.value() instanceof SmsInput.Clicked clicked) {
            clamped = recordTime != record.timestamp();
            step = lifecycle.onClick(smsId, stored, clicked.click().arrivedAt(recordTime), now);
        } else if (record.value() instanceof SmsInput.NotSentDecided decided) {
            final NotSent guarded = timeGuard.guard(decided.notSent(), record.timestamp(), wallClock);
            clamped = guarded != decided.notSent();
            step = lifecycle.onNotSent(smsId, stored, guarded, now);
        } else {
            final FinalReceipt receipt = ((SmsInput.Received) record.value()).finalReceipt();
            final FinalReceipt guarded = receipt == null ? null : timeGuard.guard(receipt, record.timestamp(), wallClock);
            clamped = guarded != receipt;
            step = lifecycle.onReceipt(smsId, stored, guarded, recordTime, now);
        }
        if (clamped) {
            increment(CLAMPED_TIMES_KEY, 1);
            clampedTimes.record();
        }
        if (step.stale()) {
            increment(STALE_INPUTS_KEY, 1);
            staleInputs.record();
        }
        apply(smsId, stored, step, recordTime);
    }

    private void increment(final String key, final long by) {
        final Long count = meta.get(key);
        meta.put(key, (count == null ? 0 : count) + by);
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
            // An input stops holding the watermark back only when nothing is in flight on it: silent AND consumed.
            if (watermark.tick(wallClockTime, input -> caughtUp.test(context.taskId(), input))) {
                persistWatermark();
                sharedClock.set(watermark.now());
            }
            backlogged = expireDue(watermark.now(), scanBudgetMs);
        } else if (backlogged) {
            backlogged = expireDue(watermark.now(), Math.max(1, tickMs / 2));
        }
    }

    /**
     * Applies the deadlines that are due, oldest first, within {@code budgetMs}; returns whether some due ones are left
     * for the next tick.
     */
    private boolean expireDue(final long now, final long budgetMs) {
        final long started = System.nanoTime();
        while (true) {
            final List<Bytes> due = ExpiryKeys.due(index, now, SCAN_BATCH);
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
            increment(ORPHAN_RECEIPTS_KEY, step.orphanReceipts());
            count(orphanReceipts, step.orphanReceipts());
        }
        if (step.orphanClicks() > 0) {
            increment(ORPHAN_CLICKS_KEY, step.orphanClicks());
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
        if (transition.lateReceipt()) {
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
