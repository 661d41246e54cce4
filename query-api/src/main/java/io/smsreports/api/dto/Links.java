package io.smsreports.api.dto;

import java.util.List;

/**
 * A campaign's clicks per tracked link ({@code GET /campaigns/{messageId}/links}, rule 16), most unique clicks first.
 */
public record Links(String messageId, List<Link> links, Freshness freshness) {

    /**
     * @param uniqueClicks Sent SMS with a human click on this link
     * @param ctr          uniqueClicks / the campaign's delivered, null when nothing was delivered
     */
    public record Link(String linkId, String url, long totalClicks, long uniqueClicks, long botClicks, Double ctr) {
    }
}
