package io.smsreports.alerting;

import java.util.Objects;

/**
 * One alert as it stands: OPENED, or RESOLVED with the time it cleared. Its id is a function of the rule, the scope,
 * the error code (failure spikes) and the minute it opened, so a replay of the same input yields the same ids.
 *
 * @param alertId    stable id
 * @param state      OPENED or RESOLVED
 * @param rule       which rule
 * @param scope      what it is about
 * @param errorCode  the error code of a failure spike, else null
 * @param observed   the rule's figure in the window when it opened (a rate, a share, a count)
 * @param baseline   the figure it was compared with (the baseline rate or share), or null when the rule has none
 * @param windowMs   the rule's window
 * @param openedAt   event time the condition was first seen (the end of the minute judged)
 * @param resolvedAt event time it cleared, or null while open
 * @param message    for people; no personal data
 */
public record Alert(String alertId, State state, Rule rule, Scope scope, String errorCode, double observed, Double baseline,
        long windowMs, long openedAt, Long resolvedAt, String message) {

    public enum State { OPENED, RESOLVED }

    public enum Rule {
        DELIVERY_RATE_DROP("delivery-rate-drop"), FAILURE_SPIKE("failure-spike"), RECEIPTS_STALLED("receipts-stalled"),
        IMPLAUSIBLE_RECEIPTS("implausible-receipts");

        private final String label;

        Rule(final String label) {
            this.label = label;
        }

        /** The name in the API and on {@code sms.alerts}. */
        public String label() {
            return label;
        }
    }

    public Alert {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(message, "message");
    }

    /** What identifies an episode's condition: the rule, the scope and (spikes) the code. */
    public String conditionKey() {
        return conditionKey(rule, scope, errorCode);
    }

    static String conditionKey(final Rule rule, final Scope scope, final String errorCode) {
        return rule.label() + "|" + scope.kind().label() + "|" + scope.key() + (errorCode == null ? "" : "|" + errorCode);
    }

    Alert resolved(final long at, final String why) {
        return new Alert(alertId, State.RESOLVED, rule, scope, errorCode, observed, baseline, windowMs, openedAt, at,
                message + " Resolved: " + why);
    }
}
