package io.smsreports.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of this instance's tasks cannot decode their input now because a dependency of the decode path (the
 * schema registry) cannot answer, why, and how many records they hold back meanwhile. Thread-safe: the tasks of
 * every stream thread report here; the API's readiness check and the metrics read it.
 *
 * <p>Logs one WARN when the instance's decoding becomes stalled and one when it is whole again, not one per
 * record or per task.
 */
public final class DecodeStalls {

    private static final Logger LOG = LoggerFactory.getLogger(DecodeStalls.class);

    /** One stalled (task, topic), and when its task last said so (a task that moved away stops saying it). */
    public record Stall(TaskId task, String topic, String cause, Instant since, long parkedRecords, Instant seen) {
    }

    /** A stall not confirmed for this long belongs to a task that no longer runs here (moved, closed dirty). */
    static final Duration UNCONFIRMED_AFTER = Duration.ofSeconds(15);

    private final Clock clock;
    private final Map<String, Stall> stalls = new HashMap<>();
    private Instant stalledSince;
    private long transitions;

    public DecodeStalls() {
        this(Clock.systemUTC());
    }

    DecodeStalls(final Clock clock) {
        this.clock = clock;
    }

    synchronized void stalled(final TaskId task, final String topic, final String cause, final long parkedRecords) {
        final String key = key(task, topic);
        final Stall previous = stalls.get(key);
        stalls.put(key, new Stall(task, topic, cause, previous == null ? clock.instant() : previous.since(), parkedRecords, clock.instant()));
        if (stalledSince == null) {
            stalledSince = clock.instant();
            transitions++;
            LOG.warn("Decoding paused: {} (task {}, {}). Records are held in order and retried with backoff; nothing is skipped "
                    + "or dead-lettered. /ready answers 503 until it clears.", cause, task, topic);
        }
    }

    /** The task still holds {@code parkedRecords}: confirms its stall. */
    synchronized void parked(final TaskId task, final String topic, final long parkedRecords) {
        stalls.computeIfPresent(key(task, topic), (k, s) -> new Stall(s.task(), s.topic(), s.cause(), s.since(), parkedRecords,
                clock.instant()));
    }

    synchronized void cleared(final TaskId task, final String topic) {
        if (stalls.remove(key(task, topic)) != null) {
            resumeIfWhole();
        }
    }

    private void resumeIfWhole() {
        if (stalls.isEmpty() && stalledSince != null) {
            transitions++;
            LOG.warn("Decoding resumed after {} s: the schema registry answers again; the held records were processed in order.",
                    Duration.between(stalledSince, clock.instant()).toSeconds());
            stalledSince = null;
        }
    }

    /** Forgets a task that moved to another instance or closed (its held records stay in its store). */
    synchronized void closed(final TaskId task, final String topic) {
        if (stalls.remove(key(task, topic)) != null) {
            resumeIfWhole();
        }
    }

    /** Drops stalls their tasks stopped confirming. */
    private void expire() {
        final Instant limit = clock.instant().minus(UNCONFIRMED_AFTER);
        final boolean removed = stalls.values().removeIf(s -> s.seen().isBefore(limit));
        if (removed) {
            resumeIfWhole();
        }
    }

    /** Whether a task holds records back. */
    public synchronized boolean isStalled(final TaskId task) {
        expire();
        return stalls.values().stream().anyMatch(s -> s.task().equals(task));
    }

    /** Why decoding is stalled, naming the cause, since when and how many records wait; null when it is not. */
    public synchronized String problem() {
        expire();
        if (stalls.isEmpty()) {
            return null;
        }
        final Stall oldest = stalls.values().stream().min(Comparator.comparing(Stall::since)).orElseThrow();
        return "input decoding is paused since " + oldest.since() + " (" + stalls.size() + " task input(s), " + parkedRecords()
                + " record(s) held, none lost): " + oldest.cause();
    }

    /** Records held back by this instance's tasks. */
    public synchronized long parkedRecords() {
        expire();
        return stalls.values().stream().mapToLong(Stall::parkedRecords).sum();
    }

    /** Stalled (task, topic) pairs now. */
    public synchronized int stalledInputs() {
        expire();
        return stalls.size();
    }

    /** How often the instance went from whole to stalled or back (each logged once). */
    public synchronized long transitions() {
        return transitions;
    }

    private static String key(final TaskId task, final String topic) {
        return task + "/" + topic;
    }
}
