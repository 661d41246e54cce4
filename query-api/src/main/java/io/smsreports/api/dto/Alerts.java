package io.smsreports.api.dto;

import java.util.List;

/**
 * Delivery alerts ({@code GET /alerts}), newest first: the same fields as {@code DeliveryAlert} on {@code sms.alerts}, as
 * each alert stands now (opened, or resolved with the time it cleared).
 */
public record Alerts(List<Item> items) {

    /**
     * @param window  the rule's window, ISO-8601 (e.g. {@code PT15M})
     * @param observed the rule's figure when the alert opened; {@code baseline} what it was compared with, or null
     */
    public record Item(String alertId, String state, String rule, String scope, String key, String errorCode, double observed,
            Double baseline, String window, String openedAt, String resolvedAt, String message) {
    }
}
