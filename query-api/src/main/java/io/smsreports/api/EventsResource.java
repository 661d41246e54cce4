package io.smsreports.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.smsreports.api.dto.DeliveredInsight;
import io.smsreports.events.AuditAction;
import io.smsreports.lifecycle.Outcome;
import io.smsreports.lifecycle.PersonIds;
import io.smsreports.query.PersonHit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** SMS Delivered event insight: counts by a dimension, and the newest rows, for a campaign or a person. */
public final class EventsResource {

    private static final List<String> GROUP_BY = List.of("externalId", "msisdn", "messageId");

    private final LocalReports local;
    private final Federation federation;
    private final AuditTrail audit;
    private final Duration historyRetention;
    private final Clock clock;

    EventsResource(final LocalReports local, final Federation federation, final AuditTrail audit,
            final Duration historyRetention, final Clock clock) {
        this.local = local;
        this.federation = federation;
        this.audit = audit;
        this.historyRetention = historyRetention;
        this.clock = clock;
    }

    /** Registers this resource's routes. */
    void register(final JavalinConfig config) {
        config.routes.get(QueryApi.PREFIX + "/events/sms-delivered", this::deliveredInsight);
    }

    private void deliveredInsight(final Context ctx) throws Exception {
        final String messageId = Params.optional(ctx, "messageId");
        final String externalId = Params.optional(ctx, "externalId");
        final String msisdn = Params.optional(ctx, "msisdn");
        final String groupBy = Params.choice(ctx, "groupBy", "messageId", GROUP_BY);
        final int limit = Params.integer(ctx, "limit", 100, 1, 1000);
        if (externalId != null && msisdn != null) {
            throw ApiException.badParameter("msisdn", "filter by externalId or by msisdn, not both: both name a person");
        }
        if (externalId == null && msisdn == null) {
            if (messageId == null) {
                throw ApiException.badParameter("messageId", "give at least one filter: messageId, externalId or msisdn");
            }
            federation.routedBy(ctx, messageId, () -> {
                if (!local.knows(messageId)) {
                    throw ApiErrors.unknownCampaign(messageId);
                }
                final DeliveredInsightAggregator insight = new DeliveredInsightAggregator(groupBy, limit, DeliveredInsightAggregator.MAX_GROUPS);
                local.eachDelivered(messageId, record -> insight.add(LocalReports.event(record)));
                final DeliveredInsight result = insight.result();
                audit.audited(ctx, AuditAction.EVENT_ROWS, messageId, result.items().size(), "groupBy=" + groupBy);
                ctx.json(result);
            });
            return;
        }
        final String key = externalId != null ? PersonIds.forExternalId(externalId) : PersonIds.forMsisdn(PeopleResource.normalizeMsisdn(msisdn));
        final PersonHit hit = federation.lookup(key);
        final DeliveredInsightAggregator insight = new DeliveredInsightAggregator(groupBy, limit, DeliveredInsightAggregator.MAX_GROUPS);
        if (hit != null) {
            final Instant now = Instant.now(clock);
            federation.messagesOf(hit.profile().personId(), now.minus(historyRetention), now).stream()
                    .filter(m -> m.status() == Outcome.DELIVERED && (messageId == null || messageId.equals(m.messageId())))
                    .sorted(Comparator.comparingLong(m -> m.finalAt() == null ? 0 : m.finalAt()))
                    .forEach(m -> insight.add(new DeliveredInsight.Event(m.smsId(), m.messageId(), hit.profile().msisdn(),
                            hit.profile().externalId(), hit.profile().email(), m.platform(), m.provider(),
                            Instant.ofEpochMilli(m.dispatchedAt()), Instant.ofEpochMilli(m.finalAt()),
                            Math.max(0, m.finalAt() - m.dispatchedAt()))));
        }
        final DeliveredInsight result = insight.result();
        audit.audited(ctx, AuditAction.EVENT_ROWS, key, result.items().size(), "groupBy=" + groupBy
                + (messageId == null ? "" : " messageId=" + messageId));
        ctx.json(result);
    }
}
