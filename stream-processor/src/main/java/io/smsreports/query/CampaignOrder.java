package io.smsreports.query;

/** The position of a campaign in the newest-first campaign list: createdAt descending (unknown last), then messageId. */
public record CampaignOrder(long createdAt, String messageId) implements Comparable<CampaignOrder> {

    /** The createdAt of a campaign whose metadata is not known. */
    public static final long UNKNOWN = Long.MIN_VALUE;

    @Override
    public int compareTo(final CampaignOrder other) {
        final int byTime = Long.compare(other.createdAt, createdAt);
        return byTime != 0 ? byTime : messageId.compareTo(other.messageId);
    }
}
