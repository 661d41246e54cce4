package io.smsreports.api.dto;

import java.util.Map;

/**
 * A campaign's funnel ({@code GET /campaigns/{messageId}/funnel}, rule 14): the audience, the recipients the sender did not
 * send to and why, the Sent SMS and where they stand. {@code unaccounted} = audience − notSent − sent, shown when negative
 * too (then the campaign's audience figure is stale); null while the audience is unknown.
 *
 * @param audience        the campaign's target audience, null while its metadata is unknown
 * @param notSentByReason not sent, by reason (the {@code NotSentReason} names), reasons with none left out
 */
public record Funnel(String messageId, Long audience, long notSent, Map<String, Long> notSentByReason, long sent, long delivered,
        long failed, long unconfirmed, long pending, Long unaccounted, Freshness freshness) {
}
