package io.smsreports.lifecycle;

import java.util.function.Predicate;

/**
 * Rule 13: the time a lifecycle task judges its deadlines by (receipt timeout, orphan hold, retention, and the alerts'
 * clock), so that the order in which its two inputs reach it changes no number.
 *
 * <p>It is the <em>lowest</em> time its inputs have reached: each input (the task's dispatches partition, its receipts
 * partition) has reached the largest guarded record time processed from it, and the watermark is the minimum over the
 * inputs that are active. Kafka Streams' stream time is the <em>largest</em> time over both, so when one input runs
 * ahead of the other (a sender's outbox publishing a backlog after the gateways' receipts, a replay, a topic restored
 * separately) a deadline judged on stream time would fire before the other input's records of that time had been seen.
 * This follows Flink's watermarks: bounded by the slowest input, with idleness.
 *
 * <p><b>Idleness.</b> An input that is caught up (consumer lag 0 on its partition, nothing parked by a stalled decode)
 * and has brought no record for {@code idleness} stops holding the watermark back: a campaign that stopped sending
 * must not stop its receipts from timing out. When both inputs are idle the watermark may also follow the wall clock,
 * {@code idleLag} behind (a margin for producer clock skew and delivery delay), so that SMS time out while nothing
 * arrives at all. Silence alone is not idleness: after a restart, an input whose first fetch is slow holds the
 * watermark back until it is known to be caught up.
 *
 * <p>The watermark never goes back. Its state (each input's reach, the idle floor and the watermark itself) is kept by
 * the caller with the task's other state and committed with its offsets; the wall-clock times of the last records are
 * not, so a restarted task waits a full idleness period before it calls an input idle.
 *
 * <p>Pure: no Kafka types. Not thread-safe: one task's stream thread uses it.
 */
public final class Watermark {

    /** The two inputs of a lifecycle task. */
    public enum Input {
        DISPATCHES, RECEIPTS
    }

    /** No time yet. */
    public static final long NONE = Long.MIN_VALUE;

    private final long idlenessMs;
    private final long idleLagMs;
    private final long[] reached = new long[Input.values().length];
    private final long[] lastRecordWall = new long[Input.values().length];
    private final boolean[] idle = new boolean[Input.values().length];
    private long idleFloor;
    private long value;

    /**
     * @param idleness  how long a caught-up input must have been silent to stop holding the watermark back
     * @param idleLag   how far behind the wall clock the watermark follows it while both inputs are idle
     * @param restored  the committed state ({@link #state()}), or {@link State#EMPTY}
     * @param wallClock the wall clock now: silence is counted from here
     */
    public Watermark(final java.time.Duration idleness, final java.time.Duration idleLag, final State restored, final long wallClock) {
        this.idlenessMs = idleness.toMillis();
        this.idleLagMs = idleLag.toMillis();
        reached[Input.DISPATCHES.ordinal()] = restored.dispatchesReached();
        reached[Input.RECEIPTS.ordinal()] = restored.receiptsReached();
        this.idleFloor = restored.idleFloor();
        this.value = restored.watermark();
        java.util.Arrays.fill(lastRecordWall, wallClock);
    }

    /**
     * What is committed of a watermark.
     *
     * @param dispatchesReached the largest guarded record time processed from the dispatches, or {@link #NONE}
     * @param receiptsReached   the same for the receipts
     * @param idleFloor         the wall clock − idleLag when both inputs were last idle, or {@link #NONE}
     * @param watermark         the watermark, or {@link #NONE}
     */
    public record State(long dispatchesReached, long receiptsReached, long idleFloor, long watermark) {
        public static final State EMPTY = new State(NONE, NONE, NONE, NONE);
    }

    public State state() {
        return new State(reached[Input.DISPATCHES.ordinal()], reached[Input.RECEIPTS.ordinal()], idleFloor, value);
    }

    /** The watermark: every deadline up to it is due. */
    public long now() {
        return value;
    }

    /** A record of {@code input} with guarded time {@code time} is being processed; returns the watermark. */
    public long onRecord(final Input input, final long time, final long wallClock) {
        final int i = input.ordinal();
        lastRecordWall[i] = wallClock;
        idle[i] = false;
        if (time > reached[i]) {
            reached[i] = time;
        }
        return advance();
    }

    /**
     * Re-judges which inputs are idle (called now and then, with a check of whether an input is caught up; the check is
     * asked only of inputs silent for the idleness period). Returns whether the watermark moved.
     */
    public boolean tick(final long wallClock, final Predicate<Input> caughtUp) {
        for (final Input input : Input.values()) {
            final int i = input.ordinal();
            idle[i] = wallClock - lastRecordWall[i] >= idlenessMs && caughtUp.test(input);
        }
        if (allIdle() && wallClock - idleLagMs > idleFloor) {
            idleFloor = wallClock - idleLagMs;
        }
        final long before = value;
        return advance() != before;
    }

    /** Whether {@code input} was idle at the last {@link #tick}. */
    public boolean idle(final Input input) {
        return idle[input.ordinal()];
    }

    private boolean allIdle() {
        for (final boolean each : idle) {
            if (!each) {
                return false;
            }
        }
        return true;
    }

    private long advance() {
        long candidate;
        if (allIdle()) {
            candidate = idleFloor;
            for (final long r : reached) {
                candidate = Math.max(candidate, r);
            }
        } else {
            candidate = Long.MAX_VALUE;
            for (int i = 0; i < reached.length; i++) {
                if (!idle[i]) {
                    candidate = Math.min(candidate, reached[i]);
                }
            }
        }
        if (candidate > value) {
            value = candidate;
        }
        return value;
    }
}
