package io.smsreports.lifecycle;

/**
 * The time the lifecycle's deadlines are judged by, per task: the task's stream time, raised to
 * {@code wall clock − idleLag} while the task is idle.
 *
 * <p>Why stream time: the outcome of an SMS then depends on the data, not on processing speed. A backlog
 * replayed after an outage, or a restore, reaches the same counts a live run would have. Why the idle
 * advance: stream time only moves when records arrive, and a campaign whose traffic stopped would otherwise
 * never see its SMS time out. A task counts as idle when it processed no record during a whole punctuation
 * interval; then nothing is in flight for it, so wall-clock time minus a margin for producer clock skew and
 * delivery delay ({@code idleLag}) is a safe lower bound for the timestamps still to come. A busy task
 * (for instance one catching up on a backlog) is never advanced by the wall clock.
 *
 * <p>The clock never goes backwards: the idle advance is persisted, and Kafka Streams restores stream time
 * from its committed offsets.
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
     * Called at every punctuation. Returns true when the idle floor moved (the caller persists it).
     */
    public boolean tick(final long wallClock) {
        final boolean idle = recordsSinceTick == 0;
        recordsSinceTick = 0;
        if (!idle) {
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
