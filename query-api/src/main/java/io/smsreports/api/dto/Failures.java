package io.smsreports.api.dto;

import java.util.List;

/**
 * A campaign's Failed SMS grouped by category, error code, provider or operator ({@code GET /campaigns/{messageId}/failures}):
 * per key the Failed SMS, how many of them are permanent failures (rule 11), and the key's share of all failures.
 */
public record Failures(String messageId, String by, List<Row> rows, Freshness freshness) {

    public record Row(String key, long failed, long permanent, double share) {
    }
}
