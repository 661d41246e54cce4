package io.smsreports.api.dto;

import java.util.List;

/** A campaign's counts per platform, best delivery rate first ({@code GET /campaigns/{messageId}/platforms}). */
public record PlatformsReport(String messageId, List<Platform> platforms, Freshness freshness) {

    public record Platform(String platform, long sent, long delivered, long failed, long unconfirmed, long pending,
            Double deliveryRate) {
    }
}
