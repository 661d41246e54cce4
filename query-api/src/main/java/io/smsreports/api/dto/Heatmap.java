package io.smsreports.api.dto;

import java.time.LocalDate;
import java.util.List;

/** Delivered per hour as day × hour-of-day cells in a time zone ({@code GET /campaigns/{messageId}/heatmap}). */
public record Heatmap(String messageId, String timeZone, List<Cell> cells, Freshness freshness) {

    public record Cell(LocalDate day, int hour, long delivered) {
    }
}
