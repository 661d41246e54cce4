package io.smsreports.topology;

import io.smsreports.reporting.CampaignDelta;
import io.smsreports.reporting.Dimension;

/**
 * Keys of the stores that hold rows per campaign (breakdown rows, failure counts): the campaign, a NUL, the row's key
 * (a {@link CampaignDelta#breakdownKey} or a {@code FailureKey}). All rows of a campaign, or of one of its breakdowns,
 * share a key prefix.
 */
public final class CampaignKeys {

    private static final char SEPARATOR = '\u0000';

    private CampaignKeys() {
    }

    public static String of(final String messageId, final String rowKey) {
        return messageId + SEPARATOR + rowKey;
    }

    /** The prefix of every row of a campaign. */
    public static String prefix(final String messageId) {
        return of(messageId, "");
    }

    /** The prefix of every row of {@code dimension} of a campaign. */
    public static String prefix(final String messageId, final Dimension dimension) {
        return of(messageId, CampaignDelta.breakdownKey(dimension, ""));
    }

    /** The row key of a stored key (what follows the campaign). */
    public static String rowKeyOf(final String storedKey) {
        return storedKey.substring(storedKey.indexOf(SEPARATOR) + 1);
    }

    /** The breakdown row (e.g. an operator) of a stored breakdown key. */
    public static String breakdownRowOf(final String storedKey) {
        return CampaignDelta.rowOf(rowKeyOf(storedKey));
    }
}
