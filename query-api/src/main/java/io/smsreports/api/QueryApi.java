package io.smsreports.api;

import com.fasterxml.jackson.core.type.TypeReference;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.smsreports.api.LocalReports.CampaignOrder;
import io.smsreports.api.LocalReports.PersonHit;
import io.smsreports.api.dto.CampaignReport;
import io.smsreports.api.dto.DeliveredInsight;
import io.smsreports.api.dto.Page;
import io.smsreports.api.dto.Person;
import io.smsreports.api.dto.PersonMessages;
import io.smsreports.export.ExportFormat;
import io.smsreports.export.FailedUsersExport;
import io.smsreports.export.IdColumn;
import io.smsreports.lifecycle.Outcome;
import io.smsreports.lifecycle.PersonIds;
import io.smsreports.reporting.PersonMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import io.smsreports.api.audit.AuditLog;
import io.smsreports.api.auth.Access;
import io.smsreports.events.AuditAction;
import io.smsreports.privacy.PersonalData;
import io.smsreports.api.auth.Authenticator;
import io.smsreports.api.auth.Principal;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API ({@code /api/v1}) over the state of the embedded Kafka Streams instance.
 *
 * <p>Any instance answers any query. A campaign's endpoints are answered by the instance that owns the
 * campaign's partition: another instance forwards the request there (once, with a bounded timeout) and
 * relays the answer, streamed. Lists (campaigns, people, messages, event insight by person, reconciliation)
 * are assembled from every instance's local part. The {@code /internal/v1} routes serve those local parts to
 * the other instances and are not part of the public API.
 *
 * <p>Errors are JSON {@code {"error", "detail"}}: 400 naming the parameter, 404 for an unknown campaign or
 * person, 503 with {@code Retry-After} while state is restoring, rebalancing, or an owner is unreachable.
 */
public final class QueryApi {

    public static final String PREFIX = "/api/v1";
    static final String INTERNAL = "/internal/v1";
    private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);
    private static final Duration MAX_PERSON_RANGE = Duration.ofDays(30);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
    private static final List<String> ID_COLUMNS = List.of("externalId", "msisdn", "email");
    private static final List<String> GROUP_BY = List.of("externalId", "msisdn", "messageId");

    private final KafkaStreams streams;
    private final LocalReports local;
    private final Cluster cluster;
    private final InstanceClient client;
    private final Duration historyRetention;
    private final Clock clock;
    private final PrometheusMeterRegistry metrics;
    private final Supplier<String> pipelineProblem;
    private final Authenticator auth;
    private final AuditLog audit;
    private final ExportLimiter exports;
    private final List<String> routes = new java.util.concurrent.CopyOnWriteArrayList<>();

    public QueryApi(final KafkaStreams streams, final LocalReports local, final Cluster cluster, final InstanceClient client,
            final Duration historyRetention, final Clock clock, final PrometheusMeterRegistry metrics,
            final Supplier<String> pipelineProblem, final Authenticator auth, final AuditLog audit, final ExportLimiter exports) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.local = Objects.requireNonNull(local, "local");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.client = Objects.requireNonNull(client, "client");
        this.historyRetention = Objects.requireNonNull(historyRetention, "historyRetention");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.pipelineProblem = Objects.requireNonNull(pipelineProblem, "pipelineProblem");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.exports = Objects.requireNonNull(exports, "exports");
    }

    /**
     * What every route requires (DESIGN, Security): personal data (identifiers of recipients) needs the analyst role,
     * operations the admin role, the rest the viewer role; the internal routes only the cluster secret. A route missing
     * here is closed; {@code RouteAccessTest} fails when one is added without an entry.
     */
    public static final Map<String, Access> POLICY = Map.ofEntries(
            Map.entry("/health", Access.PUBLIC),
            Map.entry("/ready", Access.PUBLIC),
            Map.entry("/metrics", Access.PUBLIC),
            Map.entry(PREFIX + "/openapi.json", Access.VIEWER),
            Map.entry(PREFIX + "/whoami", Access.VIEWER),
            Map.entry(PREFIX + "/campaigns", Access.VIEWER),
            Map.entry(PREFIX + "/campaigns/{messageId}", Access.VIEWER),
            Map.entry(PREFIX + "/campaigns/{messageId}/platforms", Access.VIEWER),
            Map.entry(PREFIX + "/campaigns/{messageId}/timeline", Access.VIEWER),
            Map.entry(PREFIX + "/campaigns/{messageId}/heatmap", Access.VIEWER),
            Map.entry(PREFIX + "/reconciliation", Access.VIEWER),
            Map.entry(PREFIX + "/campaigns/{messageId}/failed", Access.ANALYST),
            Map.entry(PREFIX + "/campaigns/{messageId}/failed/export", Access.ANALYST),
            Map.entry(PREFIX + "/people", Access.ANALYST),
            Map.entry(PREFIX + "/people/{personId}/messages", Access.ANALYST),
            Map.entry(PREFIX + "/events/sms-delivered", Access.ANALYST),
            Map.entry(PREFIX + "/audit", Access.ADMIN),
            Map.entry(INTERNAL + "/campaigns", Access.CLUSTER),
            Map.entry(INTERNAL + "/campaign-names", Access.CLUSTER),
            Map.entry(INTERNAL + "/people", Access.CLUSTER),
            Map.entry(INTERNAL + "/people/{personId}/messages", Access.CLUSTER),
            Map.entry(INTERNAL + "/orphans", Access.CLUSTER));

    /** Registers the routes, error handling and JSON mapping on a Javalin configuration. */
    public void configure(final JavalinConfig config) {
        config.events.handlerAdded(handler -> {
            if (handler.getHttpMethod().isHttpMethod()) {
                routes.add(handler.getPath()); // endpoints, not before/after handlers
            }
        });
        config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
        config.http.defaultContentType = "application/json";
        config.router.ignoreTrailingSlashes = true;
        config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.error(), e.getMessage(), e.retryAfterSeconds()));
        config.routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                e.getStatus() == 404 ? "not found" : "request rejected", e.getStatus() == 404 ? "No route " + ctx.method() + " "
                + ctx.path() + "; the API is under " + PREFIX + " (see " + PREFIX + "/openapi.json)" : e.getMessage(), null));
        // Rebalances are normal (DESIGN, Faults): a store that is migrating, restoring or not assigned here is a 503 with
        // Retry-After wherever the read happens (streams.store() or any read on the store), never a 500 and never a trace.
        config.routes.exception(InvalidStateStoreException.class, (e, ctx) -> storeUnavailable(ctx, e));
        config.routes.exception(Exception.class, (e, ctx) -> {
            final InvalidStateStoreException storeFault = causeOfType(e, InvalidStateStoreException.class);
            if (storeFault != null) {
                storeUnavailable(ctx, storeFault);
                return;
            }
            // The route template, not the path: paths carry personal data (a person's msisdn or email).
            LOG.error("Unexpected failure on {} {}", ctx.method(), routeOf(ctx), PersonalData.redacted(e));
            error(ctx, 500, "internal error", "The request failed unexpectedly; the failure is logged.", null);
        });
        config.requestLogger.http((ctx, ms) -> {
            final String route = routeOf(ctx);
            Timer.builder("http.server.requests").tag("method", ctx.method().name()).tag("route", route)
                    .tag("status", String.valueOf(ctx.statusCode())).register(metrics)
                    .record(Duration.ofNanos((long) (ms * 1_000_000)));
        });

        // Every matched request is checked before its handler: 401/403 in the JSON error shape (DESIGN, Security).
        config.routes.beforeMatched(ctx -> {
            final String route = routeOf(ctx);
            if (!"unmatched".equals(route)) {
                auth.check(ctx, route);
            }
        });

        config.routes.get("/health", this::health);
        config.routes.get("/ready", this::ready);
        config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        config.routes.get(PREFIX + "/openapi.json", this::openApi);
        config.routes.get(PREFIX + "/audit", ctx -> {
            final int limit = Params.integer(ctx, "limit", 100, 1, 1000);
            ctx.json(Map.of("items", audit.latest(limit).stream().map(AuditEntry::of).toList()));
        });
        config.routes.get(PREFIX + "/whoami", ctx -> {
            final Principal principal = Authenticator.principal(ctx);
            ctx.json(Map.of("name", principal.name(), "role", principal.role().label()));
        });

        config.routes.get(PREFIX + "/campaigns", this::campaigns);
        config.routes.get(PREFIX + "/campaigns/{messageId}", ctx -> routed(ctx, () -> {
            final CampaignReport report = local.campaign(ctx.pathParam("messageId"));
            if (report == null) {
                throw unknownCampaign(ctx.pathParam("messageId"));
            }
            ctx.json(report);
        }));
        config.routes.get(PREFIX + "/campaigns/{messageId}/platforms", ctx -> routed(ctx, () ->
                ctx.json(local.platforms(ctx.pathParam("messageId")))));
        config.routes.get(PREFIX + "/campaigns/{messageId}/timeline", ctx -> {
            final Instant from = Params.instant(ctx, "from", Instant.EPOCH);
            final Instant to = Params.instant(ctx, "to", Instant.ofEpochMilli(Long.MAX_VALUE));
            if (!from.isBefore(to)) {
                throw ApiException.badParameter("from", "must be before 'to' (" + from + " is not before " + to + ")");
            }
            final String platform = Params.platform(ctx, "platform");
            routed(ctx, () -> ctx.json(local.timeline(ctx.pathParam("messageId"), from, to, platform)));
        });
        config.routes.get(PREFIX + "/campaigns/{messageId}/heatmap", ctx -> {
            final var zone = Params.zone(ctx, "tz");
            routed(ctx, () -> ctx.json(local.heatmap(ctx.pathParam("messageId"), zone)));
        });
        config.routes.get(PREFIX + "/campaigns/{messageId}/failed", ctx -> {
            final String[] cursor = Params.cursor(ctx, "cursor", 2);
            final int limit = Params.integer(ctx, "limit", 100, 1, 1000);
            final Long after = cursor == null ? null : Params.cursorLong(cursor[0], "cursor");
            routed(ctx, () -> {
                final Page<io.smsreports.api.dto.FailedUser> page = local.failed(ctx.pathParam("messageId"), after,
                        cursor == null ? null : cursor[1], limit);
                audited(ctx, AuditAction.FAILED_LIST, ctx.pathParam("messageId"), page.items().size(), "limit=" + limit);
                ctx.json(page);
            });
        });
        config.routes.get(PREFIX + "/campaigns/{messageId}/failed/export", this::export);
        config.routes.get(PREFIX + "/people", this::findPerson);
        config.routes.get(PREFIX + "/people/{personId}/messages", this::personMessages);
        config.routes.get(PREFIX + "/events/sms-delivered", this::deliveredInsight);
        config.routes.get(PREFIX + "/reconciliation", ctx -> ctx.json(Map.of("orphanReceipts",
                fanOut(INTERNAL + "/orphans", new TypeReference<Long>() { }, local::orphanReceipts).stream().mapToLong(Long::longValue).sum())));

        // The local parts of lists, for the other instances.
        config.routes.get(INTERNAL + "/campaigns", ctx -> ctx.json(localCampaignsPage(campaignCursor(ctx),
                Params.integer(ctx, "limit", 20, 1, 1001))));
        config.routes.get(INTERNAL + "/campaign-names", ctx -> ctx.json(local.campaignNames(
                List.of(Objects.requireNonNullElse(ctx.queryParam("ids"), "").split(",")))));
        config.routes.get(INTERNAL + "/people", ctx -> ctx.json(optional(local.person(Objects.requireNonNullElse(ctx.queryParam("key"), "")))));
        config.routes.get(INTERNAL + "/people/{personId}/messages", ctx -> {
            // Bounded like the public routes: both ends required, nothing older than the history retention. (The range
            // may span the retention: the SMS Delivered insight of a person reads their whole kept history.)
            final Instant now = Instant.now(clock);
            final Instant from = Params.instant(ctx, "from", null);
            final Instant to = Params.instant(ctx, "to", null);
            if (from == null || to == null || !from.isBefore(to)) {
                throw ApiException.badParameter("from", "give 'from' before 'to'");
            }
            if (from.isBefore(now.minus(historyRetention).minus(Duration.ofMinutes(5)))) {
                throw ApiException.badParameter("from", from + " is older than the history retention");
            }
            ctx.json(local.personMessages(ctx.pathParam("personId"), from, to));
        });
        config.routes.get(INTERNAL + "/orphans", ctx -> ctx.json(local.orphanReceipts()));
    }

    /** The internal routes registered. */
    public List<String> internalRoutes() {
        return routes.stream().filter(path -> path.startsWith(INTERNAL)).distinct().sorted().toList();
    }

    /** The public routes registered (the {@code /internal} ones excluded), for documentation checks. */
    public List<String> publicRoutes() {
        return routes.stream().filter(path -> !path.startsWith(INTERNAL)).distinct().sorted().toList();
    }

    // ---- health ----

    private void health(final Context ctx) {
        final KafkaStreams.State state = streams.state();
        final boolean alive = state != KafkaStreams.State.ERROR && state != KafkaStreams.State.NOT_RUNNING
                && state != KafkaStreams.State.PENDING_ERROR;
        ctx.status(alive ? 200 : 503).json(Map.of("status", alive ? "UP" : "DOWN", "streams", state.name()));
    }

    private void ready(final Context ctx) {
        final String problem = readinessProblem();
        if (problem == null) {
            ctx.json(Map.of("status", "READY", "streams", streams.state().name()));
        } else {
            ctx.header("Retry-After", "2").status(503).json(Map.of("status", "NOT_READY", "streams", streams.state().name(),
                    "detail", problem));
        }
    }

    /**
     * Why this instance cannot answer every public route now, or null when it can: stream processing not started
     * (waiting for the registry) or not RUNNING (rebalancing, restoring), input decoding paused (registry outage), or
     * the cluster's metadata not known yet. An instance that owns no task of some store is ready: it forwards and fans
     * out to the owners.
     */
    public String readinessProblem() {
        final String pipeline = pipelineProblem.get();
        if (pipeline != null) {
            return pipeline;
        }
        final KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            return "stream processing is " + state;
        }
        try {
            cluster.instances();
            return null;
        } catch (ApiException e) {
            return e.getMessage();
        }
    }

    private void openApi(final Context ctx) throws IOException {
        try (InputStream spec = QueryApi.class.getResourceAsStream("/openapi.json")) {
            if (spec == null) {
                throw new IOException("openapi.json is missing from the classpath");
            }
            ctx.contentType("application/json").result(spec.readAllBytes());
        }
    }

    // ---- campaigns ----

    private void campaigns(final Context ctx) {
        final CampaignOrder after = campaignCursor(ctx);
        final int limit = Params.integer(ctx, "limit", 20, 1, 100);
        final String query = "?limit=" + (limit + 1) + (ctx.queryParam("cursor") == null ? "" : "&cursor=" + encode(ctx.queryParam("cursor")));
        final List<CampaignReport> merged = new ArrayList<>();
        fanOut(INTERNAL + "/campaigns" + query, new TypeReference<List<CampaignReport>>() { }, () -> localCampaignsPage(after, limit + 1))
                .forEach(merged::addAll);
        merged.sort(Comparator.comparing(CampaignOrder::of));
        final List<CampaignReport> page = merged.subList(0, Math.min(limit, merged.size()));
        String next = null;
        if (merged.size() > limit) {
            final CampaignOrder last = CampaignOrder.of(page.get(page.size() - 1));
            next = Params.encodeCursor(String.valueOf(last.createdAt()), last.messageId());
        }
        ctx.json(new Page<>(List.copyOf(page), next));
    }

    /** This instance's part of the campaign list: none when it runs no reporting task (more instances than partitions). */
    private List<CampaignReport> localCampaignsPage(final CampaignOrder after, final int limit) {
        return cluster.hostsActive(io.smsreports.topology.StoreNames.CAMPAIGN_STATS) ? local.campaignsPage(after, limit) : List.of();
    }

    private static CampaignOrder campaignCursor(final Context ctx) {
        final String[] cursor = Params.cursor(ctx, "cursor", 2);
        return cursor == null ? null : new CampaignOrder(Params.cursorLong(cursor[0], "cursor"), cursor[1]);
    }

    private void export(final Context ctx) throws Exception {
        final ExportFormat format = ExportFormat.valueOf(Params.choice(ctx, "format", "csv", List.of("csv", "xlsx")).toUpperCase());
        final List<IdColumn> ids = Params.subset(ctx, "ids", ID_COLUMNS, ID_COLUMNS).stream().map(IdColumn::valueOf).toList();
        if (!auth.fromCluster(ctx)) {
            exports.acquire(Authenticator.principal(ctx).name()); // counted where the user asked, not again at the owner
        }
        routed(ctx, () -> {
            final String messageId = ctx.pathParam("messageId");
            if (!local.knows(messageId)) {
                throw unknownCampaign(messageId);
            }
            final String file = "failed-users-" + messageId.replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                    + FILE_TIME.format(Instant.now(clock)) + "." + format.extension();
            ctx.contentType(format.contentType());
            ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
            final long rows = FailedUsersExport.write(format, ids, sink -> local.eachFailed(messageId, sink), ctx.outputStream());
            audited(ctx, AuditAction.EXPORT_FAILED, messageId, rows, "format=" + format.extension() + " ids=" + ids);
            LOG.info("Exported {} failed users of {} as {}", rows, messageId, format);
        });
    }

    // ---- people ----

    private void findPerson(final Context ctx) {
        final String externalId = Params.optional(ctx, "externalId");
        final String msisdn = Params.optional(ctx, "msisdn");
        final String email = Params.optional(ctx, "email");
        final int given = (externalId == null ? 0 : 1) + (msisdn == null ? 0 : 1) + (email == null ? 0 : 1);
        if (given != 1) {
            throw ApiException.badParameter(given == 0 ? "externalId" : "msisdn",
                    "give exactly one of externalId, msisdn or email" + (given == 0 ? "" : " (got " + given + ")"));
        }
        final String key = externalId != null ? PersonIds.forExternalId(externalId)
                : msisdn != null ? PersonIds.forMsisdn(normalizeMsisdn(msisdn)) : PersonIds.forEmail(email);
        final PersonHit hit = lookup(key);
        audited(ctx, AuditAction.PERSON_LOOKUP, key, hit == null ? 0 : 1, null); // a lookup that finds nobody is a probe too
        if (hit == null) {
            throw ApiException.notFound("unknown person", "Nobody was sent an SMS with "
                    + (externalId != null ? "externalId '" + externalId + "'" : msisdn != null ? "msisdn '" + normalizeMsisdn(msisdn) + "'"
                    : "email '" + email + "'") + " in the last " + historyRetention.toDays() + " days");
        }
        ctx.json(person(hit));
    }

    private void personMessages(final Context ctx) {
        final String personId = ctx.pathParam("personId");
        if (!personId.startsWith(PersonIds.EXTERNAL_PREFIX) && !personId.startsWith(PersonIds.MSISDN_PREFIX)
                || personId.length() <= 4) {
            throw ApiException.badParameter("personId", "must look like ext:<externalId> or tel:<msisdn> (as GET " + PREFIX
                    + "/people returns it), was '" + personId + "'");
        }
        final Instant[] range = personRange(ctx);
        final Instant from = range[0];
        final Instant to = range[1];
        if (lookup(personId) == null) {
            throw ApiException.notFound("unknown person", "No person '" + personId + "' was sent an SMS in the last "
                    + historyRetention.toDays() + " days");
        }
        final List<PersonMessage> messages = messagesOf(personId, from, to);
        final Map<String, String> names = campaignNames(messages.stream().map(PersonMessage::messageId).distinct().toList());
        final List<PersonMessages.Item> items = messages.stream()
                .sorted(Comparator.comparingLong(PersonMessage::dispatchedAt).reversed().thenComparing(PersonMessage::smsId))
                .map(m -> LocalReports.item(m, names.get(m.messageId())))
                .toList();
        audited(ctx, AuditAction.PERSON_MESSAGES, personId, items.size(), "from=" + from + " to=" + to);
        ctx.json(new PersonMessages(personId, from, to, items));
    }

    /** The [from, to] of a person's messages: at most 30 days, none older than the history retention; else 400. */
    private Instant[] personRange(final Context ctx) {
        final Instant now = Instant.now(clock).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        final Instant to = Params.instant(ctx, "to", now);
        final Instant from = Params.instant(ctx, "from", to.minus(MAX_PERSON_RANGE));
        if (!from.isBefore(to)) {
            throw ApiException.badParameter("from", "must be before 'to' (" + from + " is not before " + to + ")");
        }
        if (Duration.between(from, to).compareTo(MAX_PERSON_RANGE) > 0) {
            throw ApiException.badParameter("from", "the range from " + from + " to " + to + " is " + Duration.between(from, to).toDays()
                    + " days; at most " + MAX_PERSON_RANGE.toDays() + " days may be asked at once");
        }
        final Instant oldest = now.minus(historyRetention);
        if (from.isBefore(oldest)) {
            throw ApiException.badParameter("from", from + " is older than " + historyRetention.toDays()
                    + " days (6 months): message history is kept that long, so 'from' must lie within the last "
                    + historyRetention.toDays() + " days");
        }
        return new Instant[] {from, to};
    }

    // ---- SMS Delivered event insight ----

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
            routedBy(ctx, messageId, () -> {
                if (!local.knows(messageId)) {
                    throw unknownCampaign(messageId);
                }
                final Insight insight = new Insight(groupBy, limit);
                local.eachDelivered(messageId, record -> insight.add(LocalReports.event(record)));
                final DeliveredInsight result = insight.result();
                audited(ctx, AuditAction.EVENT_ROWS, messageId, result.items().size(), "groupBy=" + groupBy);
                ctx.json(result);
            });
            return;
        }
        final String key = externalId != null ? PersonIds.forExternalId(externalId) : PersonIds.forMsisdn(normalizeMsisdn(msisdn));
        final PersonHit hit = lookup(key);
        final Insight insight = new Insight(groupBy, limit);
        if (hit != null) {
            final Instant now = Instant.now(clock);
            messagesOf(hit.profile().personId(), now.minus(historyRetention), now).stream()
                    .filter(m -> m.status() == Outcome.DELIVERED && (messageId == null || messageId.equals(m.messageId())))
                    .sorted(Comparator.comparingLong(m -> m.finalAt() == null ? 0 : m.finalAt()))
                    .forEach(m -> insight.add(new DeliveredInsight.Event(m.smsId(), m.messageId(), hit.profile().msisdn(),
                            hit.profile().externalId(), hit.profile().email(), m.platform(), m.provider(),
                            Instant.ofEpochMilli(m.dispatchedAt()), Instant.ofEpochMilli(m.finalAt()),
                            Math.max(0, m.finalAt() - m.dispatchedAt()))));
        }
        final DeliveredInsight result = insight.result();
        audited(ctx, AuditAction.EVENT_ROWS, key, result.items().size(), "groupBy=" + groupBy
                + (messageId == null ? "" : " messageId=" + messageId));
        ctx.json(result);
    }

    /** Counts delivered events by one dimension and keeps the newest {@code limit} of them. */
    private static final class Insight {
        private final String groupBy;
        private final int limit;
        private final Map<String, Long> counts = new HashMap<>();
        private final Deque<DeliveredInsight.Event> newest = new ArrayDeque<>();
        private long total;

        Insight(final String groupBy, final int limit) {
            this.groupBy = groupBy;
            this.limit = limit;
        }

        /** Events must come oldest first. */
        void add(final DeliveredInsight.Event event) {
            total++;
            final String key = switch (groupBy) {
                case "externalId" -> event.externalId();
                case "msisdn" -> event.msisdn();
                default -> event.messageId();
            };
            counts.merge(key == null ? "(none)" : key, 1L, Long::sum);
            newest.addFirst(event);
            if (newest.size() > limit) {
                newest.removeLast();
            }
        }

        DeliveredInsight result() {
            final List<DeliveredInsight.Group> groups = counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(limit)
                    .map(e -> new DeliveredInsight.Group(e.getKey(), e.getValue()))
                    .toList();
            return new DeliveredInsight(groupBy, total, counts.size(), groups, List.copyOf(newest));
        }
    }

    // ---- routing ----

    /** Answers from local state when this instance owns the campaign, else relays the owner's answer. */
    private void routed(final Context ctx, final LocalAnswer answer) throws Exception {
        routedBy(ctx, ctx.pathParam("messageId"), answer);
    }

    private void routedBy(final Context ctx, final String messageId, final LocalAnswer answer) throws Exception {
        final HostInfo owner = cluster.ownerOfCampaign(messageId);
        if (cluster.isSelf(owner)) {
            answer.run();
            return;
        }
        if (ctx.header(InstanceClient.FORWARDED_HEADER) != null) {
            // Ownership moved between the two instances' views of the cluster: do not forward again.
            throw ApiException.unavailable("Campaign '" + messageId + "' is moving between instances (rebalance); retry");
        }
        final String pathAndQuery = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        final HttpResponse<InputStream> response = client.forward(owner, pathAndQuery, ctx.header("Authorization"), clientAddress(ctx));
        ctx.status(response.statusCode());
        for (final String header : List.of("Content-Type", "Content-Disposition", "Retry-After")) {
            response.headers().firstValue(header).ifPresent(value -> ctx.header(header, value));
        }
        try (InputStream body = response.body()) {
            body.transferTo(ctx.outputStream());
        }
    }

    /** Something an owner answers from its own state. */
    @FunctionalInterface
    private interface LocalAnswer {
        void run() throws Exception;
    }

    /** This instance's part and every other instance's part of a list, or 503 naming the instance that failed. */
    private <T> List<T> fanOut(final String internalPathAndQuery, final TypeReference<T> type, final Supplier<T> localPart) {
        final List<HostInfo> hosts = cluster.instances();
        final Map<HostInfo, CompletableFuture<T>> remote = new LinkedHashMap<>();
        for (final HostInfo host : hosts) {
            if (!cluster.isSelf(host)) {
                remote.put(host, client.getJson(host, internalPathAndQuery, type));
            }
        }
        final List<T> parts = new ArrayList<>(hosts.size());
        parts.add(localPart.get());
        for (final Map.Entry<HostInfo, CompletableFuture<T>> entry : remote.entrySet()) {
            try {
                parts.add(entry.getValue().join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof ApiException api) {
                    throw api.status() == 404 ? api : ApiException.unavailable(api.getMessage());
                }
                throw ApiException.unavailable("Instance " + entry.getKey() + " failed: " + e.getCause());
            }
        }
        return parts;
    }

    private PersonHit lookup(final String key) {
        PersonHit latest = null;
        for (final List<PersonHit> part : fanOut(INTERNAL + "/people?key=" + encode(key), new TypeReference<List<PersonHit>>() { },
                () -> optional(local.person(key)))) {
            for (final PersonHit hit : part) {
                if (latest == null || hit.day() > latest.day()) {
                    latest = hit;
                }
            }
        }
        return latest;
    }

    private List<PersonMessage> messagesOf(final String personId, final Instant from, final Instant to) {
        final String query = INTERNAL + "/people/" + encode(personId) + "/messages?from=" + from + "&to=" + to;
        return fanOut(query, new TypeReference<List<PersonMessage>>() { }, () -> local.personMessages(personId, from, to))
                .stream().flatMap(List::stream).collect(Collectors.toList());
    }

    /** Names of campaigns, asked of each campaign's owner. */
    private Map<String, String> campaignNames(final List<String> messageIds) {
        final Map<HostInfo, List<String>> byOwner = new HashMap<>();
        for (final String id : messageIds) {
            byOwner.computeIfAbsent(cluster.ownerOfCampaign(id), h -> new ArrayList<>()).add(id);
        }
        final Map<String, String> names = new TreeMap<>();
        final List<CompletableFuture<Map<String, String>>> remote = new ArrayList<>();
        byOwner.forEach((host, ids) -> {
            if (cluster.isSelf(host)) {
                names.putAll(local.campaignNames(ids));
            } else {
                remote.add(client.getJson(host, INTERNAL + "/campaign-names?ids=" + encode(String.join(",", ids)),
                        new TypeReference<Map<String, String>>() { }));
            }
        });
        for (final CompletableFuture<Map<String, String>> part : remote) {
            try {
                names.putAll(part.join());
            } catch (CompletionException e) {
                LOG.debug("Campaign names unavailable from an instance: {}", PersonalData.mask(e.getCause().getMessage()));
            }
        }
        return names;
    }

    private static Person person(final PersonHit hit) {
        return new Person(hit.profile().personId(), hit.profile().externalId(), hit.profile().msisdn(), hit.profile().email());
    }

    private static <T> List<T> optional(final T value) {
        return value == null ? List.of() : List.of(value);
    }

    /**
     * A msisdn as a query parameter: {@code +} is often sent unencoded and arrives as a space, and some
     * callers leave it out; both are read as the E.164 number.
     */
    static String normalizeMsisdn(final String raw) {
        final String trimmed = raw.trim();
        if (raw.startsWith(" ") && trimmed.matches("\\d+")) {
            return "+" + trimmed;
        }
        return trimmed.matches("\\d{6,15}") ? "+" + trimmed : trimmed;
    }

    private static ApiException unknownCampaign(final String messageId) {
        return ApiException.notFound("unknown campaign", "No campaign with messageId '" + messageId + "'");
    }

    private static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Writes who read what personal data (the data itself never). */
    private void audited(final Context ctx, final AuditAction action, final String target, final long rows, final String detail) {
        audit.record(Authenticator.principal(ctx), action, target, rows, clientAddress(ctx), detail);
    }

    /** The caller's address; for a request another instance forwarded (cluster secret), the address it saw. */
    private String clientAddress(final Context ctx) {
        final String forwardedFor = ctx.header(InstanceClient.CLIENT_HEADER);
        return forwardedFor != null && auth.fromCluster(ctx) ? forwardedFor : ctx.ip();
    }

    /** One audit event as the API shows it. */
    record AuditEntry(String principal, String role, String action, String target, long rows, Instant at, String clientAddress,
            String detail) {
        static AuditEntry of(final io.smsreports.events.AuditEvent e) {
            return new AuditEntry(e.getPrincipal(), e.getRole(), e.getAction().name(), e.getTarget(), e.getRows(), e.getAt(),
                    e.getClientAddress(), e.getDetail());
        }
    }

    private static void storeUnavailable(final Context ctx, final InvalidStateStoreException e) {
        LOG.debug("Store not queryable for {} {}: {}", ctx.method(), routeOf(ctx), PersonalData.mask(e.getMessage()));
        error(ctx, 503, "temporarily unavailable", "The state this answer needs is moving between instances or restoring (rebalance); "
                + "retry shortly", 2);
    }

    private static <T extends Throwable> T causeOfType(final Throwable e, final Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The matched route template ({@code /api/v1/people/{personId}/messages}), never the raw path. */
    private static String routeOf(final Context ctx) {
        try {
            final io.javalin.router.Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
            return matched == null ? "unmatched" : matched.path;
        } catch (RuntimeException e) {
            return "unmatched"; // Javalin has no endpoint for this request
        }
    }

    private static void error(final Context ctx, final int status, final String error, final String detail, final Integer retryAfter) {
        if (retryAfter != null) {
            ctx.header("Retry-After", String.valueOf(retryAfter));
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("detail", detail);
        try {
            ctx.status(status).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
