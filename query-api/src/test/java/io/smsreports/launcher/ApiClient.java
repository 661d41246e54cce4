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

    JsonNode json(final String path) throws IOException, InterruptedException {
        final HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return Json.MAPPER.readTree(response.body());
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
            numbers.put(campaign.get("messageId").asText(), kept);
        }
        numbers.put("(orphan receipts)", json("/api/v1/reconciliation").get("orphanReceipts"));
        return numbers;
    }

    long sentOverall() throws IOException, InterruptedException {
        long sent = 0;
        for (final JsonNode campaign : json("/api/v1/campaigns?limit=100").get("items")) {
            sent += campaign.at("/metrics/sent").asLong();
        }
        return sent;
    }
}
