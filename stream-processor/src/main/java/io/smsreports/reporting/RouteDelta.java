package io.smsreports.reporting;

import io.smsreports.lifecycle.Transition;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a batch of one SMS task's transitions adds to the route scorecard ({@code GET /routes}): per route (provider ×
 * operator, {@link Dimension#ROUTE}) and per hour of the SMS's dispatch, the same row a breakdown keeps (counts, latency,
 * delivered-within, costs). Rows are cohorts of dispatch hours: an hour's row holds the SMS dispatched in it, and every
 * later change of theirs (delivered, failed, Unconfirmed, re-priced) lands in it, so a range of hours is the traffic
 * sent in it and what became of it.
 *
 * @param rows route → epoch hour (ms) → row
 */
public record RouteDelta(Map<String, Map<Long, BreakdownRow>> rows) {

    private static final long HOUR = 3_600_000L;

    public RouteDelta {
        final Map<String, Map<Long, BreakdownRow>> copy = new TreeMap<>();
        rows.forEach((route, hours) -> copy.put(route, Collections.unmodifiableMap(new TreeMap<>(hours))));
        rows = Collections.unmodifiableMap(copy);
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** This delta's rows of one route, one delta per route (each is sent to the route's own task). */
    public List<Map.Entry<String, RouteDelta>> byRoute() {
        return rows.entrySet().stream().map(e -> Map.entry(e.getKey(), new RouteDelta(Map.of(e.getKey(), e.getValue())))).toList();
    }

    /** Sums transitions per route and dispatch hour. */
    public static final class Builder {
        private final List<Long> thresholdsMs;
        private final Map<String, Map<Long, BreakdownRow>> rows = new TreeMap<>();

        /** @param thresholdsMs the delivery-time thresholds counted per row */
        public Builder(final List<Long> thresholdsMs) {
            this.thresholdsMs = List.copyOf(thresholdsMs);
        }

        public Builder add(final Transition t) {
            final long hour = Math.floorDiv(t.dispatch().dispatchedAt(), HOUR) * HOUR;
            rows.computeIfAbsent(Dimension.ROUTE.keyOf(t.dispatch()), r -> new TreeMap<>())
                    .merge(hour, BreakdownRow.of(t, thresholdsMs), BreakdownRow::plus);
            return this;
        }

        public RouteDelta build() {
            return new RouteDelta(rows);
        }
    }
}
