package io.smsreports.topology;

import io.smsreports.reporting.CampaignDelta;
import io.smsreports.reporting.Dimension;

/**
 * Keys of the breakdown store: the campaign, a NUL, the dimension, a NUL, the row ({@link CampaignDelta#breakdownKey}).
 * One campaign's rows of one dimension are the key prefix {@link #prefix}.
 */
public final class BreakdownKeys {

    private BreakdownKeys() {
    }

    public static String of(final String messageId, final String breakdownKey) {
        return messageId + '\u0000' + breakdownKey;
    }

    /** The prefix of every row of {@code dimension} of a campaign. */
    public static String prefix(final String messageId, final Dimension dimension) {
        return of(messageId, CampaignDelta.breakdownKey(dimension, ""));
    }

    /** The row key (e.g. an operator) of a stored key. */
    public static String rowOf(final String storedKey) {
        return CampaignDelta.rowOf(storedKey.substring(storedKey.indexOf('\u0000') + 1));
    }
}
