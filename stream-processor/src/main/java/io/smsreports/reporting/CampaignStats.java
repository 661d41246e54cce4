package io.smsreports.reporting;

import io.smsreports.lifecycle.Transition;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The running counts of one campaign, per platform (rule 9: by the dispatch's platform), its reconciliation counters,
 * and what its SMS cost (rule 15). The campaign totals are the sum over platforms.
 */
public record CampaignStats(Map<String, PlatformCounts> platforms, Reconciliation reconciliation, Costs costs) {

    public static final CampaignStats EMPTY = new CampaignStats(Map.of(), Reconciliation.ZERO, Costs.ZERO);

    public CampaignStats {
        platforms = Collections.unmodifiableMap(new TreeMap<>(platforms));
    }

    public CampaignStats(final Map<String, PlatformCounts> platforms, final Reconciliation reconciliation) {
        this(platforms, reconciliation, Costs.ZERO);
    }

    /** Adds what one transition changed. */
    public CampaignStats apply(final Transition t) {
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
                t.lateReceipt() ? 1 : 0, t.badPrices())), costs.plus(Costs.of(t)));
    }

    /** Both campaigns' counts, platform by platform, and their reconciliation counters added. */
    public CampaignStats plus(final CampaignStats other) {
        final Map<String, PlatformCounts> next = new TreeMap<>(platforms);
        other.platforms.forEach((platform, counts) -> next.merge(platform, counts, PlatformCounts::plus));
        return new CampaignStats(next, reconciliation.plus(other.reconciliation), costs.plus(other.costs));
    }

    public PlatformCounts totals() {
        PlatformCounts total = PlatformCounts.ZERO;
        for (final PlatformCounts counts : platforms.values()) {
            total = total.plus(counts);
        }
        return total;
    }
}
