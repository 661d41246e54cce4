package io.smsreports.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The route scorecard ({@code GET /routes}, rule 15): provider × operator routes over a range of dispatch hours, from
 * every instance's route partitions (each route is summed in one task, two-phase like the campaigns).
 */
public final class RoutesResource {

    /** The range when none is given: the last day, up to the end of the current hour. */
    static final Duration DEFAULT_RANGE = Duration.ofDays(1);

    private final Federation federation;
    private final Duration historyRetention;
    private final Clock clock;

    RoutesResource(final Federation federation, final Duration historyRetention, final Clock clock) {
        this.federation = federation;
        this.historyRetention = historyRetention;
        this.clock = clock;
    }

    /** Registers this resource's routes. */
    void register(final JavalinConfig config) {
        config.routes.get(QueryApi.PREFIX + "/routes", ctx -> {
            final Instant[] range = range(ctx);
            ctx.json(federation.routes(range[0], range[1]));
        });
        config.routes.get(QueryApi.INTERNAL + "/routes", ctx -> {
            final Instant[] range = range(ctx);
            ctx.json(federation.localRouteRows(range[0], range[1]));
        });
    }

    /** The default range [from, to) at {@code now}: the 24 dispatch hours up to and including the current one. */
    public static Instant[] lastDay(final Instant now) {
        final Instant to = now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        return new Instant[] {to.minus(DEFAULT_RANGE), to};
    }

    /** [from, to): given, or the last day; from before to, within the history retention. */
    private Instant[] range(final Context ctx) {
        final Instant now = clock.instant();
        final Instant[] lastDay = lastDay(now);
        final Instant to = Params.instant(ctx, "to", lastDay[1]);
        final Instant from = Params.instant(ctx, "from", to.minus(DEFAULT_RANGE));
        if (!from.isBefore(to)) {
            throw ApiException.badParameter("from", "must be before 'to' (" + from + " is not before " + to + ")");
        }
        if (from.isBefore(now.minus(historyRetention).minus(Duration.ofHours(1)))) {
            throw ApiException.badParameter("from", from + " is older than the history retention (" + historyRetention + ")");
        }
        return new Instant[] {from, to};
    }
}
