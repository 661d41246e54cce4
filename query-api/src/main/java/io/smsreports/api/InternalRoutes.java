package io.smsreports.api;

import io.javalin.config.JavalinConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The local parts of lists, for the other instances ({@code /internal/v1}): reachable with the cluster secret only, and
 * bounded like the public routes.
 */
public final class InternalRoutes {

    private final LocalReports local;
    private final Federation federation;
    private final Duration historyRetention;
    private final Clock clock;

    InternalRoutes(final LocalReports local, final Federation federation, final Duration historyRetention, final Clock clock) {
        this.local = local;
        this.federation = federation;
        this.historyRetention = historyRetention;
        this.clock = clock;
    }

    /** Registers this resource's routes. */
    void register(final JavalinConfig config) {
        config.routes.get(QueryApi.INTERNAL + "/campaigns", ctx -> ctx.json(federation.localCampaignsPage(CampaignsResource.campaignCursor(ctx),
                Params.integer(ctx, "limit", 20, 1, 1001))));
        config.routes.get(QueryApi.INTERNAL + "/campaign-names", ctx -> ctx.json(local.campaignNames(
                List.of(Objects.requireNonNullElse(ctx.queryParam("ids"), "").split(",")))));
        config.routes.get(QueryApi.INTERNAL + "/people", ctx -> ctx.json(Federation.optional(local.person(Objects.requireNonNullElse(ctx.queryParam("key"), "")))));
        config.routes.get(QueryApi.INTERNAL + "/people/{personId}/messages", ctx -> {
            final Instant[] range = range(ctx);
            ctx.json(local.personMessages(ctx.pathParam("personId"), range[0], range[1]));
        });
        config.routes.get(QueryApi.INTERNAL + "/people/{personId}/replies", ctx -> {
            final Instant[] range = range(ctx);
            ctx.json(local.personReplies(ctx.pathParam("personId"), range[0], range[1]));
        });
        config.routes.get(QueryApi.INTERNAL + "/reconciliation", ctx -> ctx.json(local.reconciliation()));
        config.routes.get(QueryApi.INTERNAL + "/progress", ctx -> ctx.json(local.progress()));
    }

    /**
     * A person range, bounded like the public routes: both ends required, nothing older than the history retention. (The
     * range may span the retention: the SMS Delivered insight of a person reads their whole kept history.)
     */
    private Instant[] range(final io.javalin.http.Context ctx) {
        final Instant now = Instant.now(clock);
        final Instant from = Params.instant(ctx, "from", null);
        final Instant to = Params.instant(ctx, "to", null);
        if (from == null || to == null || !from.isBefore(to)) {
            throw ApiException.badParameter("from", "give 'from' before 'to'");
        }
        if (from.isBefore(now.minus(historyRetention).minus(Duration.ofMinutes(5)))) {
            throw ApiException.badParameter("from", from + " is older than the history retention");
        }
        return new Instant[] {from, to};
    }
}
