package io.smsreports.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.smsreports.api.auth.Authenticator;
import io.smsreports.api.auth.Principal;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/** Liveness, readiness, metrics, the OpenAPI document, who is signed in, and the audit trail (admins). */
public final class OperationsResource {

    private final KafkaStreams streams;
    private final PrometheusMeterRegistry metrics;
    private final AuditTrail audit;
    private final Supplier<String> readinessProblem;

    OperationsResource(final KafkaStreams streams, final PrometheusMeterRegistry metrics, final AuditTrail audit,
            final Supplier<String> readinessProblem) {
        this.streams = streams;
        this.metrics = metrics;
        this.audit = audit;
        this.readinessProblem = readinessProblem;
    }

    /** Registers this resource's routes. */
    void register(final JavalinConfig config) {
        config.routes.get("/health", this::health);
        config.routes.get("/ready", this::ready);
        config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        config.routes.get(QueryApi.PREFIX + "/openapi.json", this::openApi);
        config.routes.get(QueryApi.PREFIX + "/audit", ctx -> {
            final int limit = Params.integer(ctx, "limit", 100, 1, 1000);
            ctx.json(Map.of("items", audit.latest(limit)));
        });
        config.routes.get(QueryApi.PREFIX + "/whoami", ctx -> {
            final Principal principal = Authenticator.principal(ctx);
            ctx.json(Map.of("name", principal.name(), "role", principal.role().label()));
        });
    }

    private void health(final Context ctx) {
        final KafkaStreams.State state = streams.state();
        final boolean alive = state != KafkaStreams.State.ERROR && state != KafkaStreams.State.NOT_RUNNING
                && state != KafkaStreams.State.PENDING_ERROR;
        ctx.status(alive ? 200 : 503).json(Map.of("status", alive ? "UP" : "DOWN", "streams", state.name()));
    }

    private void ready(final Context ctx) {
        final String problem = readinessProblem.get();
        if (problem == null) {
            ctx.json(Map.of("status", "READY", "streams", streams.state().name()));
        } else {
            ctx.header("Retry-After", "2").status(503).json(Map.of("status", "NOT_READY", "streams", streams.state().name(),
                    "detail", problem));
        }
    }

    private void openApi(final Context ctx) throws IOException {
        try (InputStream spec = OperationsResource.class.getResourceAsStream("/openapi.json")) {
            if (spec == null) {
                throw new IOException("openapi.json is missing from the classpath");
            }
            ctx.contentType("application/json").result(spec.readAllBytes());
        }
    }
}
