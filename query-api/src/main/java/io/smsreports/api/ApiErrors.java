package io.smsreports.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.smsreports.api.audit.AuditUnavailableException;
import io.smsreports.api.auth.AccessDenied;
import io.smsreports.privacy.PersonalData;
import io.smsreports.query.StateUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors, rendered in one place: JSON {@code {"error", "detail"}} with the right status (400 naming the parameter,
 * 401/403, 404, 429, 503 with {@code Retry-After} for anything the service can name, including every store that is
 * rebalancing or restoring); 500 only for the unexpected, logged with personal data masked. Also the request metrics,
 * tagged by route template (never the path, which may hold personal data).
 */
public final class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
    /** The route of a request that matched no endpoint (a static file, or a route Javalin could not name). */
    static final String UNMATCHED = "unmatched";

    private ApiErrors() {
    }

    /** JSON mapping, error rendering and request metrics on a Javalin configuration. */
    static void install(final JavalinConfig config, final PrometheusMeterRegistry metrics) {
        config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
        config.http.defaultContentType = "application/json";
        config.router.ignoreTrailingSlashes = true;
        config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.error(), e.getMessage(), e.retryAfterSeconds()));
        config.routes.exception(AccessDenied.class, (e, ctx) -> error(ctx, e.status(), e.error(), e.getMessage(), null));
        config.routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                e.getStatus() == 404 ? "not found" : "request rejected", e.getStatus() == 404 ? "No route " + ctx.method() + " "
                + ctx.path() + "; the API is under " + QueryApi.PREFIX + " (see " + QueryApi.PREFIX + "/openapi.json)" : e.getMessage(), null));
        // Rebalances are normal (DESIGN, Faults): a store that is migrating, restoring or not assigned here is a 503 with
        // Retry-After wherever the read happens (streams.store() or any read on the store), never a 500 and never a trace.
        config.routes.exception(InvalidStateStoreException.class, (e, ctx) -> storeUnavailable(ctx, e));
        config.routes.exception(StateUnavailableException.class, (e, ctx) -> stateUnavailable(ctx, e));
        // Fail closed: personal data whose read cannot be audited is not served.
        config.routes.exception(AuditUnavailableException.class, (e, ctx) -> error(ctx, 503, "audit trail unavailable",
                e.getMessage(), 5));
        config.routes.exception(Exception.class, (e, ctx) -> {
            final InvalidStateStoreException storeFault = causeOfType(e, InvalidStateStoreException.class);
            if (storeFault != null) {
                storeUnavailable(ctx, storeFault);
                return;
            }
            final StateUnavailableException stateFault = causeOfType(e, StateUnavailableException.class);
            if (stateFault != null) {
                stateUnavailable(ctx, stateFault);
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
    }

    static void storeUnavailable(final Context ctx, final InvalidStateStoreException e) {
        LOG.debug("Store not queryable for {} {}: {}", ctx.method(), routeOf(ctx), PersonalData.mask(e.getMessage()));
        error(ctx, 503, "temporarily unavailable", "The state this answer needs is moving between instances or restoring (rebalance); "
                + "retry shortly", 2);
    }

    static void stateUnavailable(final Context ctx, final StateUnavailableException e) {
        LOG.debug("State not available for {} {}: {}", ctx.method(), routeOf(ctx), PersonalData.mask(e.getMessage()));
        error(ctx, 503, "temporarily unavailable", PersonalData.mask(e.getMessage()), 2);
    }

    static <T extends Throwable> T causeOfType(final Throwable e, final Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The matched route template ({@code /api/v1/people/{personId}/messages}), never the raw path. */
    static String routeOf(final Context ctx) {
        try {
            final io.javalin.router.Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
            return matched == null ? UNMATCHED : matched.path;
        } catch (RuntimeException e) {
            return UNMATCHED; // Javalin has no endpoint for this request
        }
    }

    static ApiException unknownCampaign(final String messageId) {
        return ApiException.notFound("unknown campaign", "No campaign with messageId '" + messageId + "'");
    }

    static void error(final Context ctx, final int status, final String error, final String detail, final Integer retryAfter) {
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
