package io.smsreports.reporting;

/**
 * A recipient of a campaign the sender did not send to (rule 14), as the not-sent export lists it; or, with {@code removed},
 * the removal of that row (a dispatch of the same SMS came, or a later decision replaced it).
 *
 * @param reason    the {@code NotSentReason} by name
 * @param decidedAt when the sender decided (the row's time in the store)
 */
public record NotSentRecipient(String smsId, String externalId, String msisdn, String email, String platform, String country,
        String operator, String reason, long decidedAt, boolean removed) {
}
