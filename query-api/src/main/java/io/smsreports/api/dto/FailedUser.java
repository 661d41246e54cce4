package io.smsreports.api.dto;

import java.time.Instant;

/**
 * One failed SMS of a campaign ({@code GET /campaigns/{messageId}/failed}), with its category and permanent flag (rule 11),
 * and what it cost when it failed (rule 15; null when it had no known price).
 */
public record FailedUser(String smsId, String externalId, String msisdn, String email, String platform, String provider,
        String status, String errorCode, String failReason, String category, boolean permanent, Instant failedAt, Long priceMicros,
        String currency) {
}
