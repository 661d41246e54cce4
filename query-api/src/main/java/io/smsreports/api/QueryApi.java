package io.smsreports.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.smsreports.api.audit.AuditLog;
import io.smsreports.api.auth.Access;
import io.smsreports.api.auth.Authenticator;
import io.smsreports.query.Cluster;
import io.smsreports.query.StateUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The HTTP API ({@code /api/v1}) over the state of the embedded Kafka Streams instance: wires the resources (one per
 * noun: {@link CampaignsResource}, {@link ExportResource}, {@link PeopleResource}, {@link EventsResource},
 * {@link OperationsResource}, {@link RoutesResource}, and the {@link InternalRoutes} between instances), the instance federation
 * ({@link Federation}: owner lookup, forwarding, fan-out), authentication ({@link Authenticator}, every route's role in
 * {@link #POLICY}) and error rendering ({@link ApiErrors}).
 *
 * <p>Any instance answers any query: a campaign's endpoints are answered by the instance that owns the campaign's
 * partition (the others forward, once, bounded); lists are assembled from every instance's local part.
 */
public final class QueryApi {

    public static final String PREFIX = "/api/v1";
    static final String INTERNAL = "/internal/v1";

    private final KafkaStreams streams;
    private final Cluster cluster;
    private final PrometheusMeterRegistry metrics;
    private final Supplier<String> pipelineProblem;
    private final Authenticator auth;
    private final List<Consumer<JavalinConfig>> resources;
    private final List<String> routes = new java.util.concurrent.CopyOnWriteArrayList<>();

    public QueryApi(final KafkaStreams streams, final LocalReports local, final Cluster cluster, final InstanceClient client,
            final Duration historyRetention, final Clock clock, final PrometheusMeterRegistry metrics,
            final Supplier<String> pipelineProblem, final Authenticator auth, final AuditLog audit, final ExportLimiter exports) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.pipelineProblem = Objects.requireNonNull(pipelineProblem, "pipelineProblem");
        this.auth = Objects.requireNonNull(auth, "auth");
        final Federation federation = new Federation(cluster, Objects.requireNonNull(client, "client"), local, auth);
        local.freshnessSource().bind(federation::progress);
        final AuditTrail trail = new AuditTrail(Objects.requireNonNull(audit, "audit"), federation);
        this.resources = List.of(
                new OperationsResource(streams, metrics, trail, this::readinessProblem)::register,
                new CampaignsResource(local, federation, trail, historyRetention, clock)::register,
                new ExportResource(local, federation, trail, clock, auth, Objects.requireNonNull(exports, "exports"))::register,
                new PeopleResource(local, federation, trail, historyRetention, clock)::register,
                new EventsResource(local, federation, trail, historyRetention, clock)::register,
                new RoutesResource(federation, historyRetention, clock)::register,
                new InternalRoutes(local, federation, historyRetention, clock)::register);
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
            Map.entry(PREFIX + "/campaigns/{messageId}/breakdown", Access.VIEWER),
            Map.entry(PREFIX + "/campaigns/{messageId}/failures", Access.VIEWER),
            Map.entry(PREFIX + "/campaigns/{messageId}/funnel", Access.VIEWER),
            Map.entry(PREFIX + "/campaigns/{messageId}/links", Access.VIEWER),
            Map.entry(PREFIX + "/campaigns/{messageId}/latency", Access.VIEWER),
            Map.entry(PREFIX + "/reconciliation", Access.VIEWER),
            Map.entry(PREFIX + "/alerts", Access.VIEWER),
            Map.entry(PREFIX + "/routes", Access.VIEWER),
            Map.entry(PREFIX + "/campaigns/{messageId}/failed", Access.ANALYST),
            Map.entry(PREFIX + "/campaigns/{messageId}/failed/export", Access.ANALYST),
            Map.entry(PREFIX + "/campaigns/{messageId}/not-sent/export", Access.ANALYST),
            Map.entry(PREFIX + "/people", Access.ANALYST),
            Map.entry(PREFIX + "/people/{personId}/messages", Access.ANALYST),
            Map.entry(PREFIX + "/people/{personId}", Access.ANALYST),
            Map.entry(PREFIX + "/events/sms-delivered", Access.ANALYST),
            Map.entry(PREFIX + "/audit", Access.ADMIN),
            Map.entry(INTERNAL + "/campaigns", Access.CLUSTER),
            Map.entry(INTERNAL + "/campaign-names", Access.CLUSTER),
            Map.entry(INTERNAL + "/people", Access.CLUSTER),
            Map.entry(INTERNAL + "/people/{personId}/messages", Access.CLUSTER),
            Map.entry(INTERNAL + "/people/{personId}/replies", Access.CLUSTER),
            Map.entry(INTERNAL + "/reconciliation", Access.CLUSTER),
            Map.entry(INTERNAL + "/progress", Access.CLUSTER),
            Map.entry(INTERNAL + "/routes", Access.CLUSTER));

    /** Registers the routes, authentication, error handling and JSON mapping on a Javalin configuration. */
    public void configure(final JavalinConfig config) {
        config.events.handlerAdded(handler -> {
            if (handler.getHttpMethod().isHttpMethod()) {
                routes.add(handler.getPath()); // endpoints, not before/after handlers
            }
        });
        ApiErrors.install(config, metrics);
        // Every matched request is checked before its handler: 401/403 in the JSON error shape (DESIGN, Security).
        config.routes.beforeMatched(ctx -> {
            final String route = ApiErrors.routeOf(ctx);
            if (ApiErrors.UNMATCHED.equals(route) && isDashboardFile(ctx.method(), ctx.path())) {
                return; // a static file of the dashboard: public, it holds no data (it asks the API with the user's token)
            }
            auth.check(ctx, route); // fail closed: a request whose route is not known has no policy entry and is refused
        });
        resources.forEach(resource -> resource.accept(config));
    }

    /**
     * Whether a request that matched no endpoint is for one of the dashboard's static files: a GET or HEAD outside the
     * API, internal and operations paths. Javalin runs the before-matched handlers for static files too, without an
     * endpoint; anything else without an endpoint is refused rather than let through unchecked.
     */
    static boolean isDashboardFile(final HandlerType method, final String path) {
        if (method != HandlerType.GET && method != HandlerType.HEAD) {
            return false;
        }
        return !(path.startsWith(PREFIX) || path.startsWith(INTERNAL) || path.startsWith("/internal")
                || POLICY.containsKey(path));
    }

    /** The internal routes registered. */
    public List<String> internalRoutes() {
        return routes.stream().filter(path -> path.startsWith(INTERNAL)).distinct().sorted().toList();
    }

    /** The public routes registered (the {@code /internal} ones excluded), for documentation checks. */
    public List<String> publicRoutes() {
        return routes.stream().filter(path -> !path.startsWith(INTERNAL)).distinct().sorted().toList();
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
        } catch (ApiException | StateUnavailableException e) {
            return e.getMessage();
        }
    }
}
