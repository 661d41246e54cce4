package io.smsreports.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The compatibility levels of the Confluent Schema Registry. SMS Reports requires BACKWARD or stricter. */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(final boolean backward, final boolean forward, final boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** A new schema must read data written with the existing one(s). */
    public boolean backward() {
        return backward;
    }

    /** Existing schema(s) must read data written with the new one. */
    public boolean forward() {
        return forward;
    }

    /** Checked against every existing version, not only the latest. */
    public boolean transitive() {
        return transitive;
    }

    /**
     * Parses a level name, case-insensitively.
     *
     * @throws IllegalArgumentException naming the legal values
     */
    public static CompatibilityLevel parse(final String value) {
        if (value != null) {
            for (final CompatibilityLevel level : values()) {
                if (level.name().equalsIgnoreCase(value.trim())) {
                    return level;
                }
            }
        }
        throw new IllegalArgumentException("unknown compatibility level '" + value + "', expected one of "
                + Arrays.stream(values()).map(l -> l.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
