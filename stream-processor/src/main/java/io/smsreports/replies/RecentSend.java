package io.smsreports.replies;

/** An SMS that became Sent, as the msisdn's replies need it: which campaign, when. */
public record RecentSend(String smsId, String messageId, String platform, long dispatchedAt) {

    /** Later first: by dispatch time, then smsId (the same choice in every order). */
    boolean isLaterThan(final RecentSend other) {
        return dispatchedAt != other.dispatchedAt ? dispatchedAt > other.dispatchedAt : smsId.compareTo(other.smsId) > 0;
    }
}
