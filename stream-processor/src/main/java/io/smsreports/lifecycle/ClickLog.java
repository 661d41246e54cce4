package io.smsreports.lifecycle;

import java.util.ArrayList;
import java.util.List;

/**
 * The clicks of one smsId (rule 16): those counted for its dispatched SMS (kept to tell a repeated clickId and the first human
 * click of the SMS and of each link), and those waiting for a dispatch, before it (held like early receipts, rule 4) or after
 * the dispatched SMS's retention (not its clicks, rule 13). A link of an SMS is clicked a handful of times at most.
 *
 * @param counted clicks counted for the dispatched SMS, in the order they were applied
 * @param held    clicks waiting for a dispatch, in the order they were processed
 */
public record ClickLog(List<Click> counted, List<Click> held) {

    public static final ClickLog EMPTY = new ClickLog(List.of(), List.of());

    public ClickLog {
        counted = List.copyOf(counted);
        held = List.copyOf(held);
    }

    public boolean isEmpty() {
        return counted.isEmpty() && held.isEmpty();
    }

    /** Whether a click with this id is counted or held already. */
    boolean seen(final String clickId) {
        for (final Click c : counted) {
            if (c.clickId().equals(clickId)) {
                return true;
            }
        }
        for (final Click c : held) {
            if (c.clickId().equals(clickId)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a human click on the SMS ({@code linkId} null) or on that link of it is counted already. */
    boolean humanClicked(final String linkId) {
        for (final Click c : counted) {
            if (!c.bot() && (linkId == null || c.linkId().equals(linkId))) {
                return true;
            }
        }
        return false;
    }

    ClickLog count(final Click click) {
        final List<Click> next = new ArrayList<>(counted);
        next.add(click);
        return new ClickLog(next, held);
    }

    ClickLog hold(final Click click) {
        final List<Click> next = new ArrayList<>(held);
        next.add(click);
        return new ClickLog(counted, next);
    }

    ClickLog withHeld(final List<Click> newHeld) {
        return new ClickLog(counted, newHeld);
    }

    /** The earliest arrival of a held click, or Long.MAX_VALUE. */
    long heldSince() {
        long since = Long.MAX_VALUE;
        for (final Click c : held) {
            since = Math.min(since, c.arrivedAt());
        }
        return since;
    }

    /** This log, or null when it holds nothing. */
    ClickLog orNull() {
        return isEmpty() ? null : this;
    }
}
