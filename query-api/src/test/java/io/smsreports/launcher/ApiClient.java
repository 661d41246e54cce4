package io.smsreports.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smsreports.api.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Reads the API of a running service over real HTTP. */
final class ApiClient {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;

    /** @param token the API token every request sends ({@code Authorization: Bearer}), or null for none */
    ApiClient(final String base, final String token) {
        this.base = base;
        this.token = token;
    }

    /** A client with the embedded mode's admin token, read from the data directory as a user would. */
    static ApiClient embedded(final String base, final java.nio.file.Path dataDir) throws IOException {
        return new ApiClient(base, java.nio.file.Files.readString(dataDir.resolve(DataDirectory.ADMIN_TOKEN)).strip());
    }

    HttpResponse<String> get(final String path) throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The JSON body of a 200. A 503 throws {@link Unavailable} and a 404 {@link NotFound} (a waiting test may name them as
     * "not yet"); any other status throws {@link IllegalStateException}.
     */
    JsonNode json(final String path) throws IOException, InterruptedException {
        final HttpResponse<String> response = get(path);
        final String answer = "GET " + path + " answered " + response.statusCode() + ": " + response.body();
        switch (response.statusCode()) {
            case 200:
                return Json.MAPPER.readTree(response.body());
            case 503:
                throw new Unavailable(answer);
            case 404:
                throw new NotFound(answer);
            default:
                throw new IllegalStateException(answer);
        }
    }

    /** The service answered 503 (starting, restoring, rebalancing). */
    static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(final String message) {
            super(message);
        }
    }

    /** The service answered 404 (e.g. a campaign whose first figures are still on their way). */
    static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(final String message) {
            super(message);
        }
    }

    /**
     * Every campaign's numbers (metrics, latency, reconciliation) by messageId, and the global orphan count:
     * what must survive a restart unchanged.
     */
    Map<String, JsonNode> numbers() throws IOException, InterruptedException {
        final Map<String, JsonNode> numbers = new TreeMap<>();
        for (final JsonNode campaign : json("/api/v1/campaigns?limit=100").get("items")) {
            final ObjectNode kept = Json.MAPPER.createObjectNode();
            kept.set("metrics", campaign.get("metrics"));
            kept.set("latency", campaign.get("latency"));
            kept.set("reconciliation", campaign.get("reconciliation"));
            kept.set("notSent", campaign.get("notSent"));
            kept.set("engagement", campaign.get("engagement"));
            numbers.put(campaign.get("messageId").asText(), kept);
        }
        numbers.put("(orphan receipts)", json("/api/v1/reconciliation").get("orphanReceipts"));
        return numbers;
    }

    /** The largest input lag any campaign's figures report (0: every input record processed), or -1 before any figure. */
    long inputLag() throws IOException, InterruptedException {
        long lag = -1;
        for (final JsonNode campaign : json("/api/v1/campaigns?limit=100").get("items")) {
            lag = Math.max(lag, campaign.at("/freshness/inputLag").asLong(-1));
        }
        return lag;
    }

    /** Every recipient decided on over all campaigns: Sent or not sent (rule 14), each smsId once. */
    long decidedOverall() throws IOException, InterruptedException {
        long decided = 0;
        for (final JsonNode campaign : json("/api/v1/campaigns?limit=100").get("items")) {
            decided += campaign.at("/metrics/sent").asLong() + campaign.get("notSent").asLong();
        }
        return decided;
    }
}
