package io.smsreports.api.dto;

import java.time.Instant;
import java.util.List;

/**
 * SMS Delivered events counted by one dimension, and the events themselves, newest first
 * ({@code GET /events/sms-delivered}).
 *
 * @param totalDelivered events matching the filters
 * @param totalGroups    groups before {@code limit} cut the list
 * @param groupsTruncated whether there were more distinct groups than one request counts exactly; the rest are in
 *                        the {@code (other)} group
 */
public record DeliveredInsight(String groupBy, long totalDelivered, long totalGroups, List<Group> groups, List<Event> items,
        boolean groupsTruncated) {

    public record Group(String key, long delivered) {
    }

    /** An SMS Delivered event, as on the {@code sms.delivered} topic. */
    public record Event(String smsId, String messageId, String msisdn, String externalId, String email, String platform,
            String provider, Instant dispatchedAt, Instant deliveredAt, long latencyMs) {
    }
}
