package io.smsreports.reporting;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One campaign's counts in one UTC hour, per platform (rule 8): Sent in the hour of {@code dispatchedAt},
 * Delivered and Failed in the hour of the final receipt's {@code doneAt} (else {@code receivedAt}).
 */
public record HourlyCounts(Map<String, Counts> platforms) {

    /** Sent, delivered and failed in one hour on one platform. */
    public record Counts(long sent, long delivered, long failed) {
        public static final Counts ZERO = new Counts(0, 0, 0);

        public Counts plus(final Counts other) {
            return new Counts(sent + other.sent, delivered + other.delivered, failed + other.failed);
        }
    }

    public static final HourlyCounts EMPTY = new HourlyCounts(Map.of());
    public static final long HOUR_MS = 3_600_000L;

    public HourlyCounts {
        platforms = Collections.unmodifiableMap(new TreeMap<>(platforms));
    }

    public HourlyCounts add(final String platform, final Counts delta) {
        final Map<String, Counts> next = new TreeMap<>(platforms);
        next.merge(platform, delta, Counts::plus);
        return new HourlyCounts(next);
    }

    /** Both hours' counts, platform by platform. */
    public HourlyCounts plus(final HourlyCounts other) {
        final Map<String, Counts> next = new TreeMap<>(platforms);
        other.platforms.forEach((platform, counts) -> next.merge(platform, counts, Counts::plus));
        return new HourlyCounts(next);
    }

    public Counts totals() {
        Counts total = Counts.ZERO;
        for (final Counts counts : platforms.values()) {
            total = total.plus(counts);
        }
        return total;
    }

    /** The start of the UTC hour holding {@code epochMillis}. */
    public static long hourOf(final long epochMillis) {
        return Math.floorDiv(epochMillis, HOUR_MS) * HOUR_MS;
    }
}
