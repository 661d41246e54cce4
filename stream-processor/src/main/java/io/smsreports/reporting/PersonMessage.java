package io.smsreports.reporting;

import io.smsreports.lifecycle.Outcome;

/**
 * One SMS in a person's message history.
 *
 * @param finalAt when its final receipt says it was delivered or failed, or null while it has none
 */
public record PersonMessage(String smsId, String messageId, Outcome status, String receiptStatus, String errorCode,
        String failReason, String platform, String provider, long dispatchedAt, Long finalAt) {
}
