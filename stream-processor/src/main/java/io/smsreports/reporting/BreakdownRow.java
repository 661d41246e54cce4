package io.smsreports.reporting;

import io.smsreports.lifecycle.Transition;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One row of a campaign's breakdown (a platform, a country, an operator or a provider): its counts as the campaign's
 * (rules 1-6), its delivery-latency histogram ({@link LatencyBuckets}), and how many SMS were delivered within each
 * delivery-time threshold, counted exactly (latency ≤ threshold), not read off the histogram.
 *
 * @param counts  sent, delivered, failed, unconfirmed, segments
 * @param latency latency bucket → Delivered SMS
 * @param within  threshold in ms → Delivered SMS whose latency is at most that
 * @param costs   what the row's SMS cost (rule 15)
 * @param notSent the row's recipients not sent to, by reason (rule 14)
 * @param clicks  the row's clicks (rule 16), without links
 */
public record BreakdownRow(PlatformCounts counts, Map<Integer, Long> latency, Map<Long, Long> within, Costs costs,
        Map<String, Long> notSent, Engagement clicks) {

    public static final BreakdownRow EMPTY = new BreakdownRow(PlatformCounts.ZERO, Map.of(), Map.of(), Costs.ZERO, Map.of(), Engagement.ZERO);

    public BreakdownRow {
        latency = Collections.unmodifiableSortedMap(new TreeMap<>(latency));
        within = Collections.unmodifiableSortedMap(new TreeMap<>(within));
        notSent = Collections.unmodifiableSortedMap(new TreeMap<>(notSent));
    }

    public BreakdownRow(final PlatformCounts counts, final Map<Integer, Long> latency, final Map<Long, Long> within, final Costs costs) {
        this(counts, latency, within, costs, Map.of(), Engagement.ZERO);
    }

    public BreakdownRow(final PlatformCounts counts, final Map<Integer, Long> latency, final Map<Long, Long> within, final Costs costs,
            final Map<String, Long> notSent) {
        this(counts, latency, within, costs, notSent, Engagement.ZERO);
    }

    /** Recipients of this row not sent to, all reasons (rule 14). */
    public long notSentTotal() {
        return CampaignStats.total(notSent);
    }

    /** Both rows added. */
    public BreakdownRow plus(final BreakdownRow other) {
        final Map<Integer, Long> buckets = new TreeMap<>(latency);
        other.latency.forEach((bucket, n) -> buckets.merge(bucket, n, Long::sum));
        final Map<Long, Long> delivered = new TreeMap<>(within);
        other.within.forEach((threshold, n) -> delivered.merge(threshold, n, Long::sum));
        return new BreakdownRow(counts.plus(other.counts), buckets, delivered, costs.plus(other.costs),
                CampaignStats.plusReasons(notSent, other.notSent), clicks.plus(other.clicks));
    }

    /** What one transition adds to its row, with the delivery-time thresholds (ms) counted. */
    public static BreakdownRow of(final Transition t, final List<Long> thresholdsMs) {
        if (t.isNotSentChange()) {
            return new BreakdownRow(PlatformCounts.ZERO, Map.of(), Map.of(), Costs.ZERO, Map.of(t.notSentReason(), (long) t.notSentDelta()));
        }
        if (t.isClickChange()) {
            return new BreakdownRow(PlatformCounts.ZERO, Map.of(), Map.of(), Costs.ZERO, Map.of(), Engagement.of(t, false));
        }
        final boolean sent = t.has(Transition.SENT);
        final PlatformCounts counts = new PlatformCounts(sent ? 1 : 0, t.has(Transition.DELIVERED) ? 1 : 0, t.has(Transition.FAILED) ? 1 : 0,
                (t.has(Transition.UNCONFIRMED) ? 1 : 0) - (t.has(Transition.LATE) ? 1 : 0), sent ? t.dispatch().segments() : 0);
        final Costs costs = Costs.of(t);
        if (!t.has(Transition.DELIVERED)) {
            return new BreakdownRow(counts, Map.of(), Map.of(), costs);
        }
        final Map<Long, Long> within = new TreeMap<>();
        for (final long threshold : thresholdsMs) {
            if (t.latencyMs() <= threshold) {
                within.put(threshold, 1L);
            }
        }
        return new BreakdownRow(counts, Map.of(LatencyBuckets.bucketOf(t.latencyMs()), 1L), within, costs);
    }

    /** The latency histogram as the quantile function wants it. */
    public SortedMap<Integer, Long> latencyBuckets() {
        return new TreeMap<>(latency);
    }
}
