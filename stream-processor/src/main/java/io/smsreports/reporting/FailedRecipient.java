package io.smsreports.reporting;

import io.smsreports.events.ReceiptStatus;

/**
 * One failed SMS of a campaign, as the failed-users report and export show it.
 *
 * @param priceMicros what the SMS cost when it failed (rule 15), null when it had no known price
 * @param currency    the price's ISO 4217 code, null with it
 */
public record FailedRecipient(String smsId, String externalId, String msisdn, String email, String platform, String provider,
        ReceiptStatus status, String errorCode, String failReason, long failedAt, Long priceMicros, String currency) {

    /** Without a price (rows written before rule 15, or an SMS without one). */
    public FailedRecipient(final String smsId, final String externalId, final String msisdn, final String email, final String platform,
            final String provider, final ReceiptStatus status, final String errorCode, final String failReason, final long failedAt) {
        this(smsId, externalId, msisdn, email, platform, provider, status, errorCode, failReason, failedAt, null, null);
    }
}
