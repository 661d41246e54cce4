package io.smsreports.reporting;

/** One SMS Delivered event of a campaign, as the event insight shows it. */
public record DeliveredRecord(String smsId, String messageId, String msisdn, String externalId, String email, String platform,
        String provider, long dispatchedAt, long deliveredAt, long latencyMs) {
}
