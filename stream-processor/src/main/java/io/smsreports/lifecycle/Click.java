package io.smsreports.lifecycle;

import io.smsreports.events.SmsLinkClicked;
import java.util.Objects;

/**
 * A click on a tracked link of an SMS (rule 16), with when it arrived (its record's guarded time): where it belongs is decided
 * by that time once the dispatch is known, as for receipts (rule 13).
 *
 * @param bot whether the tracker judged it a bot (a link preview, a scanner): counted in {@code botClicks} only
 */
public record Click(String clickId, String linkId, String url, long clickedAt, boolean bot, long arrivedAt) {

    public Click {
        Objects.requireNonNull(clickId, "clickId");
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(url, "url");
    }

    /** The click as its event says, arrived at {@code arrivedAt}. */
    public static Click from(final SmsLinkClicked event, final long arrivedAt) {
        return new Click(event.getClickId(), event.getLinkId(), event.getUrl(), event.getClickedAt().toEpochMilli(), event.getBot(),
                arrivedAt);
    }

    /** The same click, arrived at {@code time} (its record's guarded time). */
    public Click arrivedAt(final long time) {
        return time == arrivedAt ? this : new Click(clickId, linkId, url, clickedAt, bot, time);
    }
}
