package io.smsreports.api;

import com.fasterxml.jackson.core.type.TypeReference;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.smsreports.api.dto.CampaignReport;
import io.smsreports.api.dto.FailedUser;
import io.smsreports.api.dto.Page;
import io.smsreports.events.AuditAction;
import io.smsreports.query.CampaignOrder;
import io.smsreports.reporting.Dimension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Campaigns: the list, a campaign's report, platforms, timeline, heatmap, failed users; the alerts and the reconciliation. */
public final class CampaignsResource {

    private final LocalReports local;
    private final Federation federation;
    private final AuditTrail audit;
    private final java.time.Duration historyRetention;
    private final java.time.Clock clock;

    CampaignsResource(final LocalReports local, final Federation federation, final AuditTrail audit,
            final java.time.Duration historyRetention, final java.time.Clock clock) {
        this.historyRetention = historyRetention;
        this.clock = clock;
        this.local = local;
        this.federation = federation;
        this.audit = audit;
    }

    /** Registers this resource's routes. */
    void register(final JavalinConfig config) {
        config.routes.get(QueryApi.PREFIX + "/campaigns", this::campaigns);
        config.routes.get(QueryApi.PREFIX + "/campaigns/{messageId}", ctx -> federation.routed(ctx, () -> {
            final CampaignReport report = local.campaign(ctx.pathParam("messageId"));
            if (report == null) {
                throw ApiErrors.unknownCampaign(ctx.pathParam("messageId"));
            }
            ctx.json(report);
        }));
        config.routes.get(QueryApi.PREFIX + "/campaigns/{messageId}/platforms", ctx -> federation.routed(ctx, () ->
                ctx.json(local.platforms(ctx.pathParam("messageId")))));
        config.routes.get(QueryApi.PREFIX + "/campaigns/{messageId}/timeline", ctx -> {
            final Instant from = Params.instant(ctx, "from", Instant.EPOCH);
            final Instant to = Params.instant(ctx, "to", Instant.ofEpochMilli(Long.MAX_VALUE));
            if (!from.isBefore(to)) {
                throw ApiException.badParameter("from", "must be before 'to' (" + from + " is not before " + to + ")");
            }
            final String platform = Params.platform(ctx, "platform");
            federation.routed(ctx, () -> ctx.json(local.timeline(ctx.pathParam("messageId"), from, to, platform)));
        });
        config.routes.get(QueryApi.PREFIX + "/campaigns/{messageId}/breakdown", ctx -> {
            final List<String> dimensions = java.util.Arrays.stream(Dimension.values()).map(Dimension::label).toList();
            final String label = Params.choice(ctx, "by", null, dimensions);
            if (label == null) {
                throw ApiException.badParameter("by", "is required: one of " + dimensions);
            }
            final Dimension by = Dimension.valueOf(label.toUpperCase(java.util.Locale.ROOT));
            federation.routed(ctx, () -> ctx.json(local.breakdown(ctx.pathParam("messageId"), by)));
        });
        config.routes.get(QueryApi.PREFIX + "/campaigns/{messageId}/funnel", ctx -> federation.routed(ctx, () ->
                ctx.json(local.funnel(ctx.pathParam("messageId")))));
        config.routes.get(QueryApi.PREFIX + "/campaigns/{messageId}/links", ctx -> federation.routed(ctx, () ->
                ctx.json(local.links(ctx.pathParam("messageId")))));
        config.routes.get(QueryApi.PREFIX + "/campaigns/{messageId}/failures", ctx -> {
            final String by = Params.choice(ctx, "by", null, List.of("category", "errorCode", "provider", "operator"));
            if (by == null) {
                throw ApiException.badParameter("by", "is required: one of [category, errorCode, provider, operator]");
            }
            federation.routed(ctx, () -> ctx.json(local.failures(ctx.pathParam("messageId"), by)));
        });
        config.routes.get(QueryApi.PREFIX + "/campaigns/{messageId}/latency", ctx ->
                federation.routed(ctx, () -> ctx.json(local.latencyHistogram(ctx.pathParam("messageId")))));
        config.routes.get(QueryApi.PREFIX + "/campaigns/{messageId}/heatmap", ctx -> {
            // Over the history the heatmap can show (the hourly windows' retention), up to now and an hour ahead.
            final java.time.Instant now = clock.instant();
            final var zone = Params.wholeHourZone(ctx, "tz", now.minus(historyRetention), now.plus(java.time.Duration.ofHours(1)));
            federation.routed(ctx, () -> ctx.json(local.heatmap(ctx.pathParam("messageId"), zone)));
        });
        config.routes.get(QueryApi.PREFIX + "/campaigns/{messageId}/failed", ctx -> {
            final String[] cursor = Params.cursor(ctx, "cursor", 2);
            final int limit = Params.integer(ctx, "limit", 100, 1, 1000);
            final Long after = cursor == null ? null : Params.cursorLong(cursor[0], "cursor");
            federation.routed(ctx, () -> {
                final Page<io.smsreports.api.dto.FailedUser> page = local.failed(ctx.pathParam("messageId"), after,
                        cursor == null ? null : cursor[1], limit);
                audit.audited(ctx, AuditAction.FAILED_LIST, ctx.pathParam("messageId"), page.items().size(), "limit=" + limit);
                ctx.json(page);
            });
        });
        config.routes.get(QueryApi.PREFIX + "/alerts", ctx -> {
            final boolean open = "open".equals(Params.choice(ctx, "state", "open", List.of("open", "all")));
            final String messageId = Params.optional(ctx, "messageId");
            federation.routedToAlerts(ctx, () -> ctx.json(local.alerts(open, messageId)));
        });
        config.routes.get(QueryApi.PREFIX + "/reconciliation", ctx -> ctx.json(federation.fanOut(QueryApi.INTERNAL + "/reconciliation",
                new TypeReference<LocalReports.Reconciliation>() { }, local::reconciliation).stream()
                .reduce(new LocalReports.Reconciliation(0, 0, 0, 0), LocalReports.Reconciliation::plus)));
    }

    private void campaigns(final Context ctx) {
        final CampaignOrder after = campaignCursor(ctx);
        final int limit = Params.integer(ctx, "limit", 20, 1, 100);
        final String query = "?limit=" + (limit + 1) + (ctx.queryParam("cursor") == null ? "" : "&cursor=" + Federation.encode(ctx.queryParam("cursor")));
        final List<CampaignReport> merged = new ArrayList<>();
        federation.fanOut(QueryApi.INTERNAL + "/campaigns" + query, new TypeReference<List<CampaignReport>>() { }, () -> federation.localCampaignsPage(after, limit + 1))
                .forEach(merged::addAll);
        merged.sort(Comparator.comparing(CampaignsResource::orderOf));
        final List<CampaignReport> page = merged.subList(0, Math.min(limit, merged.size()));
        String next = null;
        if (merged.size() > limit) {
            final CampaignOrder last = orderOf(page.get(page.size() - 1));
            next = Params.encodeCursor(String.valueOf(last.createdAt()), last.messageId());
        }
        ctx.json(new Page<>(List.copyOf(page), next));
    }

    /** A listed campaign's position in the newest-first order. */
    static CampaignOrder orderOf(final CampaignReport report) {
        return new CampaignOrder(report.createdAt() == null ? CampaignOrder.UNKNOWN : report.createdAt().toEpochMilli(), report.messageId());
    }

    static CampaignOrder campaignCursor(final Context ctx) {
        final String[] cursor = Params.cursor(ctx, "cursor", 2);
        return cursor == null ? null : new CampaignOrder(Params.cursorLong(cursor[0], "cursor"), cursor[1]);
    }
}
