package io.smsreports.api.dto;

import java.time.Instant;
import java.util.Map;

/**
 * A campaign's summary and core metrics ({@code GET /campaigns/{messageId}}). Summary fields are null while
 * the campaign's metadata has not been received (its SMS are counted all the same). {@code deliveredWithin}: per
 * delivery-time service level ("5s", "30s", "300s"), the share of Sent SMS delivered at most that long after their
 * dispatch, null when nothing was sent. {@code cost}: what the Sent SMS cost (rule 15). {@code notSent}: recipients of the
 * audience the sender decided not to send to (rule 14; by reason in {@code /funnel}).
 */
public record CampaignReport(String messageId, String name, String messageType, String text, String creator, String method,
        String status, Instant createdAt, Instant startedAt, Instant endedAt, Metrics metrics, Latency latency,
        Map<String, Double> deliveredWithin, Freshness freshness, Reconciliation reconciliation, Cost cost, long notSent,
        Engagement engagement) {

    /**
     * Clicks on the campaign's tracked links (rule 16).
     *
     * @param totalClicks  human clicks, each clickId once
     * @param uniqueClicks Sent SMS with a human click
     * @param botClicks    clicks judged a bot's (link previews, scanners)
     * @param ctr          uniqueClicks / delivered, null when nothing was delivered
     * @param replies      distinct msisdns that replied to the campaign's SMS within the reply window (rule 17)
     * @param optOuts      distinct msisdns whose reply's first word is a stop keyword (rule 17)
     * @param optOutRate   optOuts / delivered, null when nothing was delivered
     */
    public record Engagement(long totalClicks, long uniqueClicks, long botClicks, Double ctr, long replies, long optOuts,
            Double optOutRate) {
    }

    /**
     * @param targetAudience the campaign's target audience, null when unknown
     * @param deliveryRate   delivered / sent, null when nothing was sent
     * @param failureRate    failed / sent, null when nothing was sent
     * @param reach          sent / targetAudience, null when the target is unknown or zero
     */
    public record Metrics(Long targetAudience, long sent, long delivered, long failed, long unconfirmed, long pending, long segments,
            Double deliveryRate, Double failureRate, Double reach) {
    }

    /** Dispatch-to-delivery latency percentiles, null when nothing was delivered. */
    public record Latency(Long p50Ms, Long p95Ms, Long p99Ms) {
    }

    /** @param badPrices prices ignored as not believable (negative, unknown currency, a currency change): their SMS counted all the same */
    public record Reconciliation(long duplicateReceipts, long conflictingFinals, long lateReceipts, long badPrices) {
    }
}
