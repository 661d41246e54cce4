package io.smsreports.reporting;

import io.smsreports.lifecycle.Dispatch;
import java.util.Locale;

/**
 * What a campaign's delivery can be broken down by, each from the dispatch (so that every SMS falls in exactly one row
 * of each dimension, and every breakdown's totals equal the campaign's). An absent value is the row {@code unknown}.
 */
public enum Dimension {
    /** The dispatch's platform (normalized, as rule 9). */
    PLATFORM,
    /** The recipient's country as the sender gave it (ISO 3166 alpha-2). */
    COUNTRY,
    /** The recipient's mobile operator (MCC-MNC). */
    OPERATOR,
    /** The SMS provider the sender handed the SMS to. */
    PROVIDER;

    public static final String UNKNOWN = "unknown";

    /** The row of a dispatch. */
    public String keyOf(final Dispatch d) {
        final String value = switch (this) {
            case PLATFORM -> d.platform();
            case COUNTRY -> d.country();
            case OPERATOR -> d.operator();
            case PROVIDER -> d.provider();
        };
        return value == null || value.isBlank() ? UNKNOWN : value.trim();
    }

    /** The name the API uses ({@code ?by=}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
