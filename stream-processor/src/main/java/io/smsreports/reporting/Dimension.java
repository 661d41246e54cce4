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
    PROVIDER,
    /** The route: the provider and the recipient's operator, {@code provider/operator} (rule 15's scorecard). */
    ROUTE;

    public static final String UNKNOWN = "unknown";

    /** The row of a dispatch. */
    public String keyOf(final Dispatch d) {
        return switch (this) {
            case PLATFORM -> orUnknown(d.platform());
            case COUNTRY -> orUnknown(d.country());
            case OPERATOR -> orUnknown(d.operator());
            case PROVIDER -> orUnknown(d.provider());
            case ROUTE -> orUnknown(d.provider()) + ROUTE_SEPARATOR + orUnknown(d.operator());
        };
    }

    /** Between the provider and the operator of a route's key. */
    public static final String ROUTE_SEPARATOR = "/";

    /** A route's key as {provider, operator} (split at the last separator: an operator is an MCC-MNC, never holds one). */
    public static String[] splitRoute(final String route) {
        final int at = route.lastIndexOf(ROUTE_SEPARATOR);
        return at < 0 ? new String[] {route, UNKNOWN} : new String[] {route.substring(0, at), route.substring(at + 1)};
    }

    private static String orUnknown(final String value) {
        return value == null || value.isBlank() ? UNKNOWN : value.trim();
    }

    /** The name the API uses ({@code ?by=}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
