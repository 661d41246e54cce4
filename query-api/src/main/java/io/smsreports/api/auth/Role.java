package io.smsreports.api.auth;

import java.util.Locale;

/**
 * What a token may read. Each role includes the ones below it.
 * <ul>
 *   <li>{@link #VIEWER}: campaign figures, breakdowns, timeline, heatmap, alerts, reconciliation: no personal data;</li>
 *   <li>{@link #ANALYST}: also personal data: failed users and their exports, people, message history, SMS Delivered rows;</li>
 *   <li>{@link #ADMIN}: also operations (the audit trail).</li>
 * </ul>
 */
public enum Role {
    VIEWER, ANALYST, ADMIN;

    /** Whether this role may do what {@code needed} may. */
    public boolean includes(final Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The role's name as written in the tokens file and shown to users. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the valid roles */
    public static Role parse(final String text) {
        for (final Role role : values()) {
            if (role.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "' (viewer, analyst or admin)");
    }
}
