package io.smsreports.api.dto;

import java.time.Instant;
import java.util.List;

/** A person's SMS in a time range, newest first ({@code GET /people/{personId}/messages}). */
public record PersonMessages(String personId, Instant from, Instant to, List<Item> items) {

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
