package io.smsreports.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Polls the public routes of every instance that is up throughout a scenario, as a dashboard and an operator would,
 * and keeps what it saw: status counts, and every answer that breaks the contract. Allowed: 200; 503 with
 * {@code Retry-After} (stores moving, restoring, a registry outage); 404 only for what does not exist (the unknown
 * campaign, an unknown person, a campaign not reported yet). Everything else is a finding: a 500 or any other status,
 * a 503 without {@code Retry-After}, and every network error (refused, reset, timed out) of an instance that is up.
 * An instance is up from its first answer (any status: its HTTP server is listening) after the scenario started it
 * until the scenario stops or kills it; a request that was in flight when the scenario took it down is not held
 * against it, nor is a refused connection while it is still starting.
 */
final class ApiPoller implements AutoCloseable {

    /** An instance as the scenario holds it: its address, whether it is started, and a count of its starts and stops. */
    interface Target {
        String baseUrl();

        /** Started by the scenario and not stopped or killed since. */
        boolean started();

        /** Changes whenever the scenario starts, stops or kills the instance. */
        long epoch();
    }

    private static final List<String> ROUTES = List.of("/ready", "/api/v1/campaigns", "/api/v1/campaigns/m0", "/api/v1/campaigns/m1/platforms",
            "/api/v1/campaigns/m2/timeline", "/api/v1/campaigns/m3/failed?limit=5", "/api/v1/people?msisdn=%2B905500000042",
            "/api/v1/reconciliation", "/api/v1/campaigns/no-such-campaign");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final Supplier<List<? extends Target>> targets;
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Campaigns the API has reported (answered 200 for): from then on a 404 for one of them is a wrong answer. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final AtomicLong excusedErrors = new AtomicLong();
    /** Per instance, the epoch in which it first answered: up from then until the epoch changes. */
    private final Map<String, Long> answeringIn = new ConcurrentHashMap<>();
    private final Thread thread;

    ApiPoller(final Supplier<List<? extends Target>> targets) {
        this.targets = targets;
        thread = new Thread(this::run, "api-poller");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        int i = 0;
        while (running.get()) {
            for (final Target target : targets.get()) {
                final long epoch = target.epoch();
                if (!target.started()) {
                    continue;
                }
                final String route = ROUTES.get(i++ % ROUTES.size());
                try {
                    check(target.baseUrl(), route, http.send(HttpRequest.newBuilder(URI.create(target.baseUrl() + route))
                            .header("Authorization", io.smsreports.api.auth.TestTokens.bearer(io.smsreports.api.auth.TestTokens.ANALYST))
                            .timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString()));
                    answeringIn.put(target.baseUrl(), epoch);
                } catch (java.io.IOException e) {
                    final boolean up = Long.valueOf(epoch).equals(answeringIn.get(target.baseUrl()));
                    if (up && target.epoch() == epoch && target.started()) {
                        statuses.computeIfAbsent(-1, s -> new AtomicLong()).incrementAndGet();
                        violations.add(java.time.Instant.now() + " network error from an instance that is up: " + target.baseUrl() + route
                                + ": " + e);
                    } else {
                        excusedErrors.incrementAndGet(); // still starting, or in flight while the scenario took it down
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void check(final String base, final String route, final HttpResponse<String> response) {
        final int status = response.statusCode();
        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        // 404 only for what does not exist: the unknown campaign, an unknown person, or a campaign the reports do not
        // hold yet (its first delta still on its way). Once the API has reported a campaign, a 404 for it would be state
        // lost or going back in time.
        final String campaign = campaignOf(route);
        if (status == 200 && campaign != null) {
            reported.add(campaign);
        }
        final boolean allowed = status == 200 || status == 503 || status == 404 && (route.contains("no-such")
                || route.contains("/people") || campaign == null || !reported.contains(campaign));
        if (!allowed || status == 503 && response.headers().firstValue("Retry-After").isEmpty()) {
            violations.add(java.time.Instant.now() + " " + status + " " + base + route + ": " + abbreviate(response.body()));
        }
    }

    /** The campaign a route is about, or null. */
    static String campaignOf(final String route) {
        final String prefix = "/api/v1/campaigns/";
        if (!route.startsWith(prefix)) {
            return null;
        }
        final String rest = route.substring(prefix.length());
        final int end = rest.indexOf('/') >= 0 ? rest.indexOf('/') : rest.indexOf('?') >= 0 ? rest.indexOf('?') : rest.length();
        return rest.substring(0, end);
    }

    /** How many campaigns the API has reported so far. */
    int reportedCampaigns() {
        return reported.size();
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    long count(final int status) {
        final AtomicLong n = statuses.get(status);
        return n == null ? 0 : n.get();
    }

    String summary() {
        return new java.util.TreeMap<>(statuses) + ", network errors of requests in flight while an instance was taken down: "
                + excusedErrors.get();
    }

    private static String abbreviate(final String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(60_000);
    }
}
