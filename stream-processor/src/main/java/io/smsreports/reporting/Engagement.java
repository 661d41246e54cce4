package io.smsreports.reporting;

import io.smsreports.lifecycle.Transition;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Clicks on an SMS's tracked links (rule 16), summed like every other count: per campaign with its links, per breakdown row
 * without them. CTR = uniqueClicks / Delivered, computed when read. Replies and opt-outs (rule 17) per campaign only.
 *
 * @param totalClicks  human clicks, each clickId once
 * @param uniqueClicks Sent SMS with at least one human click
 * @param botClicks    clicks the tracker judged a bot's (link previews, scanners), each clickId once
 * @param links        per linkId: its url and the same three counts (unique: SMS with a human click on that link)
 * @param replies      distinct msisdns with a reply attributed to the campaign (rule 17)
 * @param optOuts      distinct msisdns with an attributed reply whose first word is a stop keyword (rule 17)
 */
public record Engagement(long totalClicks, long uniqueClicks, long botClicks, Map<String, LinkClicks> links, long replies,
        long optOuts) {

    public static final Engagement ZERO = new Engagement(0, 0, 0, Map.of());

    public Engagement(final long totalClicks, final long uniqueClicks, final long botClicks, final Map<String, LinkClicks> links) {
        this(totalClicks, uniqueClicks, botClicks, links, 0, 0);
    }

    /** What a change of one msisdn's replies adds to a campaign (rule 17). */
    public static Engagement ofReplies(final long replies, final long optOuts) {
        return new Engagement(0, 0, 0, Map.of(), replies, optOuts);
    }

    /** One link's clicks. */
    public record LinkClicks(String url, long totalClicks, long uniqueClicks, long botClicks) {
        LinkClicks plus(final LinkClicks other) {
            return new LinkClicks(url != null ? url : other.url, totalClicks + other.totalClicks, uniqueClicks + other.uniqueClicks,
                    botClicks + other.botClicks);
        }
    }

    public Engagement {
        links = Collections.unmodifiableMap(new TreeMap<>(links));
    }

    /** What one click change adds; with its link when {@code withLinks}. */
    public static Engagement of(final Transition t, final boolean withLinks) {
        if (!t.isClickChange()) {
            return ZERO;
        }
        final Transition.ClickChange c = t.click();
        final long total = c.bot() ? 0 : 1;
        final long bot = c.bot() ? 1 : 0;
        return new Engagement(total, c.firstHumanOfSms() ? 1 : 0, bot,
                withLinks ? Map.of(c.linkId(), new LinkClicks(c.url(), total, c.firstHumanOfLink() ? 1 : 0, bot)) : Map.of());
    }

    public Engagement plus(final Engagement other) {
        if (other.equals(ZERO)) {
            return this;
        }
        final Map<String, LinkClicks> sum = new TreeMap<>(links);
        other.links.forEach((link, clicks) -> sum.merge(link, clicks, LinkClicks::plus));
        return new Engagement(totalClicks + other.totalClicks, uniqueClicks + other.uniqueClicks, botClicks + other.botClicks, sum,
                replies + other.replies, optOuts + other.optOuts);
    }
}
