package io.smsreports.alerting;

import io.smsreports.lifecycle.Dispatch;
import io.smsreports.lifecycle.FinalReceipt;
import io.smsreports.lifecycle.Transition;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one SMS task adds to the alert buckets since its last delta, and how far its lifecycle clock has come: every
 * transition it made up to that clock is in this delta or an earlier one. A delta without buckets still carries the
 * clock (the watermark moves while a task has nothing to add).
 *
 * @param source the SMS task's input partition
 * @param clock  the task's lifecycle clock when the delta was cut
 * @param items  counts per scope and minute
 */
public record AlertDelta(int source, long clock, List<Item> items) {

    /** Counts of one scope in one minute (epoch minute of event time). */
    public record Item(Scope scope, long minute, AlertCounts counts) {
    }

    public AlertDelta {
        items = List.copyOf(items);
    }

    public static long minuteOf(final long epochMs) {
        return Math.floorDiv(epochMs, 60_000L);
    }

    /** Sums transitions per scope and minute. */
    public static final class Builder {

        private final long fastMs;
        private final Map<Scope, Map<Long, AlertCounts>> counts = new TreeMap<>();

        public Builder(final AlertRules rules) {
            this.fastMs = rules.implausibleWithin().toMillis();
        }

        /**
         * A Sent transition counts a dispatch in its campaign, provider and operator at the time it became known (its
         * {@link Dispatch#knownAt()}: dispatched and published); a transition to Delivered or Failed (late ones too)
         * counts a final receipt at the time it became known ({@link Transition#finalKnownAt()}: the receipt arrived and
         * its dispatch was known). Known-at times are the data's own, and a record is processed before its task's watermark
         * passes its time (the watermark is the slowest input's; within one input, times out of order by more than the
         * grace are the exception), so a minute is complete when the watermark has passed it by the grace, whatever the
         * order in which the two inputs arrive (rule 13). Duplicates, conflicting finals and timeouts are not receipts that arrived for the first
         * time and do not count.
         */
        public Builder add(final Transition t) {
            final Dispatch d = t.dispatch();
            if (t.has(Transition.SENT)) {
                final long minute = minuteOf(d.knownAt());
                for (final Scope scope : scopes(d, d.provider())) {
                    at(scope, minute).dispatch();
                }
            }
            if (t.has(Transition.DELIVERED) || t.has(Transition.FAILED)) {
                final FinalReceipt r = t.finalReceipt();
                final long minute = minuteOf(t.finalKnownAt());
                final String code = r.errorCode() != null ? r.errorCode() : r.status().name();
                for (final Scope scope : scopes(d, r.provider() != null ? r.provider() : d.provider())) {
                    at(scope, minute).fin(t.has(Transition.DELIVERED), code, t.latencyMs(), fastMs);
                }
            }
            return this;
        }

        private static List<Scope> scopes(final Dispatch d, final String provider) {
            final List<Scope> scopes = new java.util.ArrayList<>(3);
            scopes.add(Scope.campaign(d.messageId()));
            if (provider != null) {
                scopes.add(new Scope(Scope.Kind.PROVIDER, provider));
            }
            if (d.operator() != null) {
                scopes.add(new Scope(Scope.Kind.OPERATOR, d.operator()));
            }
            return scopes;
        }

        private AlertCounts at(final Scope scope, final long minute) {
            return counts.computeIfAbsent(scope, s -> new TreeMap<>()).computeIfAbsent(minute, m -> new AlertCounts());
        }

        public boolean isEmpty() {
            return counts.isEmpty();
        }

        public AlertDelta build(final int source, final long clock) {
            final List<Item> items = new java.util.ArrayList<>();
            counts.forEach((scope, minutes) -> minutes.forEach((minute, c) -> items.add(new Item(scope, minute, c))));
            return new AlertDelta(source, clock, items);
        }
    }
}
