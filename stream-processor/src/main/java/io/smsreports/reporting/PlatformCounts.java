package io.smsreports.reporting;

/**
 * Counts of one campaign on one platform (or totals). Pending is derived (rule 6) and never negative.
 *
 * @param sent        distinct smsIds dispatched (rule 1)
 * @param delivered   whose first final receipt was DELIVERED (rule 2)
 * @param failed      whose first final receipt was a final failure (rule 2)
 * @param unconfirmed without a final receipt at the receipt timeout, and none since (rule 5)
 * @param segments    SMS segments of the sent messages
 */
public record PlatformCounts(long sent, long delivered, long failed, long unconfirmed, long segments) {

    public static final PlatformCounts ZERO = new PlatformCounts(0, 0, 0, 0, 0);

    /** Rule 6: Sent − Delivered − Failed − Unconfirmed, never negative. */
    public long pending() {
        return Math.max(0, sent - delivered - failed - unconfirmed);
    }

    public PlatformCounts plus(final PlatformCounts other) {
        return new PlatformCounts(sent + other.sent, delivered + other.delivered, failed + other.failed,
                unconfirmed + other.unconfirmed, segments + other.segments);
    }
}
