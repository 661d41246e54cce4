package io.smsreports.api.dto;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The route scorecard ({@code GET /routes}): every provider × operator route that sent SMS in the dispatch hours starting
 * in [from, to), with what became of them. Rows are cohorts of dispatch hours: an SMS counts in the hour it was dispatched, and its later
 * outcome (delivered, failed, Unconfirmed, re-priced) lands there too.
 */
public record Routes(Instant from, Instant to, List<Route> routes, Freshness freshness) {

    /**
     * @param route           {@code provider/operator} ({@code (unknown)} for a missing part), the {@code by=route} breakdown's key
     * @param deliveryRate    delivered / sent, null when nothing was sent
     * @param deliveredWithin per service level, the share of the Sent SMS delivered within it
     * @param hours           per dispatch hour with SMS sent, in time order: the delivery rate over time
     */
    public record Route(String route, String provider, String operator, long sent, long delivered, long failed, long unconfirmed,
            long pending, Double deliveryRate, Breakdown.Latency latency, Map<String, Double> deliveredWithin, Cost cost,
            List<Hour> hours) {
    }

    /** One dispatch hour of a route. */
    public record Hour(Instant hour, long sent, long delivered, long failed, Double deliveryRate) {
    }
}
