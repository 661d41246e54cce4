package io.smsreports.lifecycle;

import java.util.function.BooleanSupplier;

/**
 * The time the lifecycle's deadlines are judged by, per task: the task's stream time (the latest record time the
 * lifecycle has processed, in the order it processed them: not Kafka Streams' stream time, which also counts records
 * held back by a registry outage and so runs ahead of what was processed), raised to
 * {@code wall clock − idleLag} while the task is idle.
 *
 * <p>Why stream time: the outcome of an SMS then depends on the data, not on processing speed. A backlog
 * replayed after an outage, or a restore, reaches the same counts a live run would have. Why the idle
 * advance: stream time only moves when records arrive, and a campaign whose traffic stopped would otherwise
 * never see its SMS time out. A task counts as idle when it processed no record during a whole punctuation
 * interval <em>and</em> its input is consumed (consumer lag 0 on its partitions, nothing held back by a stalled
 * decode): only then is nothing in flight for it, so that wall-clock time minus a margin for producer clock skew
 * and delivery delay ({@code idleLag}) is a safe lower bound for the timestamps still to come. "No record in one
 * interval" alone is not enough: after a restart, a task whose first fetch is slow would otherwise jump to the
 * wall clock and time out a backlog it has not read yet. A busy or lagging task is never advanced by the wall clock.
 *
 * <p>The clock never goes backwards: the idle advance is persisted, and the processed time is
 * kept in the same store, both committed with the offsets.
 */
public final class LifecycleClock {

    private final long idleLagMs;
    private long idleFloor;
    private long recordsSinceTick;

    public LifecycleClock(final long idleLagMs, final long restoredIdleFloor) {
        this.idleLagMs = idleLagMs;
        this.idleFloor = restoredIdleFloor;
    }

    /** The clock, given the task's current stream time. */
    public long now(final long streamTime) {
        return Math.max(streamTime, idleFloor);
    }

    public void recordProcessed() {
        recordsSinceTick++;
    }

    /**
     * Called at every punctuation with a check of whether the task's input is fully consumed (asked only when no
     * record was processed since the last tick). Returns true when the idle floor moved (the caller persists it).
     */
    public boolean tick(final long wallClock, final BooleanSupplier inputConsumed) {
        final boolean idle = recordsSinceTick == 0;
        recordsSinceTick = 0;
        if (!idle || !inputConsumed.getAsBoolean()) {
            return false;
        }
        final long candidate = wallClock - idleLagMs;
        if (candidate > idleFloor) {
            idleFloor = candidate;
            return true;
        }
        return false;
    }

    public long idleFloor() {
        return idleFloor;
    }
}
