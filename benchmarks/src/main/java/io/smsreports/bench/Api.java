package io.smsreports.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.smsreports.api.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads totals from a running service over HTTP. */
final class Api {

    /** The harness's own API token (an admin), written hashed into the service's tokens file by {@link BenchCluster}. */
    static final String TOKEN = "bench-harness-token-0123456789abcdefghij";
    static final String AUTHORIZATION = "Bearer " + TOKEN;

    /** Sums over every campaign. */
    record Totals(long sent, long delivered, long failed) {
        long finals() {
            return delivered + failed;
        }
    }

    final HttpClient http;
    final String base;

    Api(final int port) {
        this(port, Duration.ofSeconds(5));
    }

    Api(final int port, final Duration connectTimeout) {
        this.base = "http://localhost:" + port;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
    }

    JsonNode json(final String path) throws IOException, InterruptedException {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", AUTHORIZATION)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return Json.MAPPER.readTree(response.body());
    }

    Totals totals() throws IOException, InterruptedException {
        long sent = 0;
        long delivered = 0;
        long failed = 0;
        for (final JsonNode campaign : json("/api/v1/campaigns?limit=100").get("items")) {
            sent += campaign.at("/metrics/sent").asLong();
            delivered += campaign.at("/metrics/delivered").asLong();
            failed += campaign.at("/metrics/failed").asLong();
        }
        return new Totals(sent, delivered, failed);
    }

    /** Polls until every one of {@code sms} SMS is sent and final; returns the nanoTime it was seen. */
    long awaitFinal(final long sms, final Duration timeout, final long pollMillis) throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        Totals last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = totals();
                if (last.sent() == sms && last.finals() == sms) {
                    return System.nanoTime();
                }
                if (last.sent() > sms || last.finals() > sms) {
                    throw new IllegalStateException("Counted more than was sent: " + last + " for " + sms + " SMS");
                }
            } catch (IOException e) {
                // a rebalance or restore: 503 until it is over
            }
            Thread.sleep(pollMillis);
        }
        throw new IllegalStateException("Not final after " + timeout + ": " + last + " of " + sms + " SMS");
    }
}
