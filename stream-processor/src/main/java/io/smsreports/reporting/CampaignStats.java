package io.smsreports.reporting;

import io.smsreports.lifecycle.Transition;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The running counts of one campaign, per platform (rule 9: by the dispatch's platform), its reconciliation counters,
 * what its SMS cost (rule 15) and the recipients not sent to, by reason (rule 14). The campaign totals are the sum over
 * platforms.
 */
public record CampaignStats(Map<String, PlatformCounts> platforms, Reconciliation reconciliation, Costs costs, Map<String, Long> notSent,
        Engagement engagement) {

    public static final CampaignStats EMPTY = new CampaignStats(Map.of(), Reconciliation.ZERO, Costs.ZERO, Map.of(), Engagement.ZERO);

    public CampaignStats {
        platforms = Collections.unmodifiableMap(new TreeMap<>(platforms));
        notSent = Collections.unmodifiableMap(new TreeMap<>(notSent));
    }

    public CampaignStats(final Map<String, PlatformCounts> platforms, final Reconciliation reconciliation) {
        this(platforms, reconciliation, Costs.ZERO, Map.of(), Engagement.ZERO);
    }

    public CampaignStats(final Map<String, PlatformCounts> platforms, final Reconciliation reconciliation, final Costs costs) {
        this(platforms, reconciliation, costs, Map.of(), Engagement.ZERO);
    }

    /** Adds what one transition changed. */
    public CampaignStats apply(final Transition t) {
        if (t.isNotSentChange()) {
            return new CampaignStats(platforms, reconciliation, costs, plusReasons(notSent, Map.of(t.notSentReason(), (long) t.notSentDelta())),
                    engagement);
        }
        if (t.isClickChange()) {
            return new CampaignStats(platforms, reconciliation, costs, notSent, engagement.plus(Engagement.of(t, true)));
        }
        final String platform = t.dispatch().platform();
        final PlatformCounts c = platforms.getOrDefault(platform, PlatformCounts.ZERO);
        final boolean sent = t.has(Transition.SENT);
        final PlatformCounts updated = new PlatformCounts(
                c.sent() + (sent ? 1 : 0),
                c.delivered() + (t.has(Transition.DELIVERED) ? 1 : 0),
                c.failed() + (t.has(Transition.FAILED) ? 1 : 0),
                c.unconfirmed() + (t.has(Transition.UNCONFIRMED) ? 1 : 0) - (t.has(Transition.LATE) ? 1 : 0),
                c.segments() + (sent ? t.dispatch().segments() : 0));
        final Map<String, PlatformCounts> next = new TreeMap<>(platforms);
        next.put(platform, updated);
        return new CampaignStats(next, reconciliation.plus(new Reconciliation(t.duplicateReceipts(), t.conflictingFinals(),
                t.lateReceipt() ? 1 : 0, t.badPrices())), costs.plus(Costs.of(t)), notSent, engagement);
    }

    /** Both campaigns' counts, platform by platform, and their reconciliation counters added. */
    public CampaignStats plus(final CampaignStats other) {
        final Map<String, PlatformCounts> next = new TreeMap<>(platforms);
        other.platforms.forEach((platform, counts) -> next.merge(platform, counts, PlatformCounts::plus));
        return new CampaignStats(next, reconciliation.plus(other.reconciliation), costs.plus(other.costs), plusReasons(notSent, other.notSent),
                engagement.plus(other.engagement));
    }

    /** Counts by reason added; a reason whose count is back to 0 is dropped. */
    public static Map<String, Long> plusReasons(final Map<String, Long> a, final Map<String, Long> b) {
        if (b.isEmpty()) {
            return a;
        }
        final Map<String, Long> sum = new TreeMap<>(a);
        b.forEach((reason, n) -> sum.merge(reason, n, (x, y) -> x + y == 0 ? null : x + y));
        return sum;
    }

    /** Recipients not sent to, all reasons (rule 14). */
    public long notSentTotal() {
        return total(notSent);
    }

    /** The sum of counts by reason. */
    static long total(final Map<String, Long> byReason) {
        long total = 0;
        for (final long n : byReason.values()) {
            total += n;
        }
        return total;
    }

    public PlatformCounts totals() {
        PlatformCounts total = PlatformCounts.ZERO;
        for (final PlatformCounts counts : platforms.values()) {
            total = total.plus(counts);
        }
        return total;
    }
}
