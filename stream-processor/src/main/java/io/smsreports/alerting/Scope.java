package io.smsreports.alerting;

import java.util.Objects;

/**
 * What an alert is about: a campaign (its messageId), a provider or an operator (MCC-MNC).
 *
 * @param kind what the key names
 * @param key  the messageId, provider or operator
 */
public record Scope(Kind kind, String key) implements Comparable<Scope> {

    public enum Kind {
        CAMPAIGN, PROVIDER, OPERATOR;

        /** The name in the API and on {@code sms.alerts}: lower case. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Scope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
    }

    public static Scope campaign(final String messageId) {
        return new Scope(Kind.CAMPAIGN, messageId);
    }

    @Override
    public int compareTo(final Scope other) {
        final int byKind = kind.compareTo(other.kind);
        return byKind != 0 ? byKind : key.compareTo(other.key);
    }

    @Override
    public String toString() {
        return kind.label() + " " + key;
    }
}
