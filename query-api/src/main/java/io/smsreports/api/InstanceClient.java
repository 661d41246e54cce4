package io.smsreports.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Calls other instances of the service: forwards a request to the owner of its key, or asks for an
 * instance's local part of a list. Every call is bounded by a timeout and marked with
 * {@value #FORWARDED_HEADER}, so that the receiving instance answers from its own state and never forwards
 * again (no loops, even while ownership moves).
 */
public final class InstanceClient {

    public static final String FORWARDED_HEADER = "X-SmsReports-Forwarded";
    /** The address of the client whose request is forwarded (trusted only with the cluster secret). */
    public static final String CLIENT_HEADER = "X-SmsReports-Client";

    private final HttpClient http;
    private final Duration timeout;
    private final String clusterSecret;
    private final String scheme;

    /** @param clusterSecret the secret every instance of the service shares, proving a call comes from one of them */
    public InstanceClient(final Duration timeout, final String clusterSecret) {
        this(timeout, clusterSecret, null);
    }

    /**
     * @param tls what this instance trusts when it calls the others over https (their certificates must name the host each
     *            advertises); null: plain http
     */
    public InstanceClient(final Duration timeout, final String clusterSecret, final javax.net.ssl.SSLContext tls) {
        this.timeout = timeout;
        this.clusterSecret = java.util.Objects.requireNonNull(clusterSecret, "clusterSecret");
        final HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
        this.scheme = tls == null ? "http" : "https";
    }

    /**
     * The response of another instance to a user's request, as a stream the caller copies and closes. The user's
     * {@code Authorization} goes along: the owner checks the token and its role again.
     */
    public HttpResponse<InputStream> forward(final HostInfo host, final String pathAndQuery, final String authorization,
            final String clientAddress) {
        final HttpRequest.Builder request = builder(host, pathAndQuery);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (clientAddress != null) {
            request.header(CLIENT_HEADER, clientAddress);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(host, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted while calling " + host);
        }
    }

    /** An instance's answer, parsed; a non-2xx answer is passed on as the same error. */
    public <T> CompletableFuture<T> getJson(final HostInfo host, final String pathAndQuery, final TypeReference<T> type) {
        return http.sendAsync(builder(host, pathAndQuery).build(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, failure) -> {
                    if (failure != null) {
                        final Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                        throw unreachable(host, cause);
                    }
                    if (response.statusCode() / 100 != 2) {
                        throw relayed(host, response.statusCode(), response.body());
                    }
                    try {
                        return Json.MAPPER.readValue(response.body(), type);
                    } catch (IOException e) {
                        throw ApiException.unavailable("Instance " + host.host() + ":" + host.port() + " answered with malformed JSON");
                    }
                });
    }

    private HttpRequest.Builder builder(final HostInfo host, final String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(scheme + "://" + host.host() + ":" + host.port() + pathAndQuery))
                .timeout(timeout)
                .header(FORWARDED_HEADER, "1")
                .header(io.smsreports.api.auth.Authenticator.CLUSTER_SECRET_HEADER, clusterSecret)
                .GET();
    }

    private static ApiException unreachable(final HostInfo host, final Throwable cause) {
        return ApiException.unavailable("Instance " + host.host() + ":" + host.port() + " cannot be reached: "
                + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"));
    }

    private static ApiException relayed(final HostInfo host, final int status, final byte[] body) {
        try {
            final JsonNode error = Json.MAPPER.readTree(body);
            return new ApiException(status, error.path("error").asText("error from " + host), error.path("detail").asText(""),
                    status == 503 ? 2 : null);
        } catch (IOException | RuntimeException e) {
            return new ApiException(status == 404 ? 404 : 503, "instance " + host.host() + ":" + host.port() + " answered " + status,
                    "", status == 404 ? null : 2);
        }
    }
}
