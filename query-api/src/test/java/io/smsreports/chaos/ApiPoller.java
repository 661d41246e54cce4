package io.smsreports.chaos;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Polls the public routes of every live instance throughout a scenario, as a dashboard and an operator would, and
 * keeps what it saw: status counts, and every answer that breaks the contract (a 500, any status other than
 * 200/404/503, or a 503 without {@code Retry-After}). An instance that is down (connection refused) is not an answer.
 */
final class ApiPoller implements AutoCloseable {

    private static final List<String> ROUTES = List.of("/ready", "/api/v1/campaigns", "/api/v1/campaigns/m0", "/api/v1/campaigns/m1/platforms",
            "/api/v1/campaigns/m2/timeline", "/api/v1/campaigns/m3/failed?limit=5", "/api/v1/people?msisdn=%2B905500000042",
            "/api/v1/reconciliation", "/api/v1/campaigns/no-such-campaign");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private final Supplier<List<String>> baseUrls;
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Campaigns the API has reported (answered 200 for): from then on a 404 for one of them is a wrong answer. */
    private final java.util.Set<String> reported = ConcurrentHashMap.newKeySet();
    private final Thread thread;

    ApiPoller(final Supplier<List<String>> baseUrls) {
        this.baseUrls = baseUrls;
        thread = new Thread(this::run, "api-poller");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        int i = 0;
        while (running.get()) {
            for (final String base : baseUrls.get()) {
                final String route = ROUTES.get(i++ % ROUTES.size());
                try {
                    final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + route))
                            .header("Authorization", io.smsreports.api.auth.TestTokens.bearer(io.smsreports.api.auth.TestTokens.ANALYST))
                            .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    final int status = response.statusCode();
                    statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                    // 404 only for what does not exist: the unknown campaign, an unknown person, or a campaign the reports
                    // do not hold yet (its first delta still on its way). Once the API has reported a campaign, a 404 for it
                    // would be state lost or going back in time.
                    final String campaign = campaignOf(route);
                    if (status == 200 && campaign != null) {
                        reported.add(campaign);
                    }
                    final boolean allowed = status == 200 || status == 503 || status == 404 && (route.contains("no-such")
                            || route.contains("/people") || campaign == null || !reported.contains(campaign));
                    if (!allowed || status == 503 && response.headers().firstValue("Retry-After").isEmpty()) {
                        violations.add(status + " " + base + route + ": " + abbreviate(response.body()));
                    }
                } catch (ConnectException e) {
                    statuses.computeIfAbsent(-1, s -> new AtomicLong()).incrementAndGet(); // the instance is down
                } catch (java.io.IOException e) {
                    statuses.computeIfAbsent(-2, s -> new AtomicLong()).incrementAndGet(); // cut while it was killed
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
        return new java.util.TreeMap<>(statuses).toString();
    }

    private static String abbreviate(final String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }
}
