package io.smsreports.api.dto;

import java.time.Instant;
import java.util.List;

/** Hourly counts of a campaign, hours with activity only, oldest first ({@code GET /campaigns/{messageId}/timeline}). */
public record Timeline(String messageId, String platform, List<Bucket> buckets, Freshness freshness) {

    public record Bucket(Instant hour, long sent, long delivered, long failed) {
    }
}
