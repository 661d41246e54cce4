package io.smsreports.api.dto;

import java.time.Instant;
import java.util.List;

/**
 * A person's SMS in a time range, newest first ({@code GET /people/{personId}/messages}), and what they sent back in it
 * (rule 17: {@code replies}, newest first; {@code optedOutAt}: their latest opt-out in the range, null when none).
 */
public record PersonMessages(String personId, Instant from, Instant to, List<Item> items, List<Reply> replies, Instant optedOutAt) {

    /**
     * A message the person sent back.
     *
     * @param optOut       whether its first word is a stop keyword
     * @param smsId        the SMS it answers (the latest sent to them before it, within the reply window), null when none
     * @param campaignName that SMS's campaign's name, null when unknown
     */
    public record Reply(String inboundId, Instant receivedAt, String to, String body, boolean optOut, String smsId, String messageId,
            String campaignName) {
    }

    /**
     * @param status PENDING, DELIVERED, FAILED or UNCONFIRMED
     * @param category  a Failed SMS's failure category (rule 11), else null
     * @param permanent whether a Failed SMS's failure is permanent (rule 11), else null
     * @param finalAt when the final receipt says it was delivered or failed, null while there is none
     */
    public record Item(String smsId, String messageId, String campaignName, String status, String receiptStatus, String errorCode,
            String failReason, String category, Boolean permanent, String platform, String provider, Instant dispatchedAt,
            Instant finalAt) {
    }
}
