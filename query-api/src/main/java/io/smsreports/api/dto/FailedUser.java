package io.smsreports.api.dto;

import java.time.Instant;

/** One failed SMS of a campaign ({@code GET /campaigns/{messageId}/failed}). */
public record FailedUser(String smsId, String externalId, String msisdn, String email, String platform, String provider,
        String status, String errorCode, String failReason, Instant failedAt) {
}
