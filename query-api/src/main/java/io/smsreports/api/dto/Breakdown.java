package io.smsreports.api.dto;

import java.util.List;
import java.util.Map;

/**
 * A campaign broken down by platform, country, operator, provider or route (provider/operator) ({@code GET /campaigns/{messageId}/breakdown}): the
 * rows' counts add up to the campaign's.
 */
public record Breakdown(String messageId, String by, List<Row> rows, Freshness freshness) {

    /**
     * @param deliveryRate    delivered / sent, null when nothing was sent
     * @param deliveredWithin per service level, the share of the row's Sent SMS delivered within it (null when none sent)
     * @param cost            what the row's Sent SMS cost (rule 15)
     * @param notSent         the row's recipients not sent to (rule 14; no provider or route row has any)
     * @param notSentByReason the same by reason
     * @param clicks          the row's clicks (rule 16; none in route rows), CTR = uniqueClicks / the row's delivered
     */
    public record Row(String key, long sent, long delivered, long failed, long unconfirmed, long pending, Double deliveryRate,
            Latency latency, Map<String, Double> deliveredWithin, Cost cost, long notSent, Map<String, Long> notSentByReason,
            CampaignReport.Engagement clicks) {
    }

    /** Dispatch-to-delivery latency percentiles of the row, null when nothing was delivered. */
    public record Latency(Long p50Ms, Long p95Ms) {
    }
}
