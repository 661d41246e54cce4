package io.smsreports.api.dto;

import java.util.List;
import java.util.Map;

/**
 * A campaign's delivery-latency distribution ({@code GET /campaigns/{messageId}/latency}): Delivered SMS per latency
 * bucket (log-linear: exact below 64 ms, then 32 buckets per power of two, so each bucket's bounds are within about 3 %),
 * with the share delivered within each service level, counted exactly.
 */
public record LatencyHistogram(String messageId, List<Bucket> buckets, Map<String, Double> deliveredWithin, Freshness freshness) {

    /** Delivered SMS whose latency is in [fromMs, toMs]. */
    public record Bucket(long fromMs, long toMs, long delivered) {
    }
}
