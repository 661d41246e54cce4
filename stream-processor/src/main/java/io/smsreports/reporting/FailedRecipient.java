package io.smsreports.reporting;

import io.smsreports.events.ReceiptStatus;

/** One failed SMS of a campaign, as the failed-users report and export show it. */
public record FailedRecipient(String smsId, String externalId, String msisdn, String email, String platform, String provider,
        ReceiptStatus status, String errorCode, String failReason, long failedAt) {
}
