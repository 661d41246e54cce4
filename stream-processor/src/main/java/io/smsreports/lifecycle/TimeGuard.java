package io.smsreports.lifecycle;

import java.time.Duration;

/**
 * Rule 12: an event time is believed only within [now − history retention, now + allowed clock skew], now being the
 * wall clock of the instance that processes it. Outside that range the time falls back to the next candidate (a
 * receipt's doneAt → its receivedAt → the record's timestamp; a dispatch's dispatchedAt → the record's timestamp), and
 * when none is believable it is clamped to the nearest end of the range. The SMS is still counted (it is a real SMS):
 * only where its time is filed changes, so that no single record moves a windowed store's retention clock (dropping
 * months of history) or the lifecycle's clock (timing out every SMS of a task).
 *
 * <p>Pure: no Kafka types.
 */
public final class TimeGuard {

    private final long skewMs;
    private final long retentionMs;

    public TimeGuard(final Duration allowedSkew, final Duration historyRetention) {
        this.skewMs = allowedSkew.toMillis();
        this.retentionMs = historyRetention.toMillis();
    }

    /** Whether {@code time} is believable at wall-clock {@code now}. */
    public boolean believable(final long time, final long now) {
        return time <= now + skewMs && time >= now - retentionMs;
    }

    /** The first believable candidate, else the last one clamped into the believable range. */
    public long guard(final long now, final long... candidates) {
        for (final long candidate : candidates) {
            if (believable(candidate, now)) {
                return candidate;
            }
        }
        final long last = candidates[candidates.length - 1];
        return Math.max(now - retentionMs, Math.min(now + skewMs, last));
    }

    /** The latest time a record may move a clock to at wall-clock {@code now}. */
    public long latest(final long now) {
        return now + skewMs;
    }

    /** The dispatch with a believable {@code dispatchedAt} (the same instance when it already is one). */
    public Dispatch guard(final Dispatch d, final long recordTimestamp, final long now) {
        final long at = guard(now, d.dispatchedAt(), recordTimestamp);
        return d.withDispatchedAt(at);
    }

    /** The not-sent decision with a believable {@code decidedAt} (the same instance when it already is). */
    public NotSent guard(final NotSent n, final long recordTimestamp, final long now) {
        return n.withDecidedAt(guard(now, n.decidedAt(), recordTimestamp));
    }

    /** The receipt with believable {@code finalAt} and {@code receivedAt} (the same instance when both already are). */
    public FinalReceipt guard(final FinalReceipt f, final long recordTimestamp, final long now) {
        final long receivedAt = guard(now, f.receivedAt(), recordTimestamp);
        final long finalAt = guard(now, f.finalAt(), f.receivedAt(), recordTimestamp);
        return receivedAt == f.receivedAt() && finalAt == f.finalAt() ? f : f.withTimes(finalAt, receivedAt);
    }
}
