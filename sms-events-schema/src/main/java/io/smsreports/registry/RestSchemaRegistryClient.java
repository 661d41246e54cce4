package io.smsreports.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smsreports.registry.internals.SchemaStore;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A REST client for any registry that speaks the Confluent Schema Registry API: Confluent Schema Registry,
 * Karapace, Redpanda, Apicurio's ccompat API, and the {@link DevSchemaRegistryServer}.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>ids and schemas, once known, are served from memory: registering or looking up a schema already seen,
 *       and fetching a schema by an id already seen, make no HTTP call;</li>
 *   <li>every call is bounded by the connect and request timeouts;</li>
 *   <li>I/O errors, 5xx and 429 answers are retried with exponential backoff and jitter, moving to the next
 *       URL when several are configured; after the last retry a {@link RegistryUnavailableException} names
 *       the URLs and the last cause;</li>
 *   <li>4xx answers are not retried: they become {@link SchemaNotFoundException},
 *       {@link IncompatibleSchemaException}, {@link InvalidSchemaException} or {@link SchemaRegistryException}
 *       with the registry's error code and message.</li>
 * </ul>
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaRegistryClientConfig config;
    private final HttpClient http;
    private final String authorization;
    private final AtomicInteger currentUrl = new AtomicInteger();
    private final LongSupplier clock;

    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, CachedLatest> latestBySubject = new ConcurrentHashMap<>();

    private record CachedLatest(RegisteredSchema schema, long fetchedAtMs) {
    }

    public RestSchemaRegistryClient(final SchemaRegistryClientConfig config) {
        this(config, System::currentTimeMillis);
    }

    RestSchemaRegistryClient(final SchemaRegistryClientConfig config, final LongSupplier clock) {
        this.config = config;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.authorization = config.basicAuthUserInfo() == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int register(final String subject, final Schema schema) {
        final Integer cached = cachedId(subject, schema);
        if (cached != null) {
            return cached;
        }
        final JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        final int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException("Registry answered register for '" + subject + "' without an id: " + answer, 200, 0);
        }
        remember(subject, schema, id);
        return id;
    }

    @Override
    public int getId(final String subject, final Schema schema) {
        final Integer cached = cachedId(subject, schema);
        if (cached != null) {
            return cached;
        }
        final JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
        final int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException("Registry answered lookup for '" + subject + "' without an id: " + answer, 200, 0);
        }
        remember(subject, schema, id);
        return id;
    }

    @Override
    public Schema getSchemaById(final int id) {
        final Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        final JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        final Schema schema = parseSchema(answer, "schema id " + id);
        schemasById.putIfAbsent(id, schema);
        return schemasById.get(id);
    }

    @Override
    public RegisteredSchema getLatestSchema(final String subject) {
        final CachedLatest cached = latestBySubject.get(subject);
        final long now = clock.getAsLong();
        if (cached != null && now - cached.fetchedAtMs() < config.latestCacheTtl().toMillis()) {
            return cached.schema();
        }
        final JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        final Schema schema = parseSchema(answer, "latest version of '" + subject + "'");
        final RegisteredSchema latest = new RegisteredSchema(subject, answer.path("version").asInt(), answer.path("id").asInt(), schema);
        remember(subject, schema, latest.id());
        latestBySubject.put(subject, new CachedLatest(latest, now));
        return latest;
    }

    @Override
    public boolean testCompatibility(final String subject, final Schema schema) {
        try {
            final JsonNode answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema));
            return answer.path("is_compatible").asBoolean(false);
        } catch (SchemaNotFoundException e) {
            if (e.errorCode() == ErrorCodes.SUBJECT_NOT_FOUND || e.errorCode() == ErrorCodes.VERSION_NOT_FOUND) {
                return true; // nothing registered yet: any schema is compatible
            }
            throw e;
        }
    }

    @Override
    public List<String> getSubjects() {
        final List<String> subjects = new ArrayList<>();
        send("GET", "/subjects", null).forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    @Override
    public List<Integer> getVersions(final String subject) {
        final List<Integer> versions = new ArrayList<>();
        send("GET", "/subjects/" + encode(subject) + "/versions", null).forEach(node -> versions.add(node.asInt()));
        return versions;
    }

    @Override
    public CompatibilityLevel getCompatibility(final String subject) {
        final String path = subject == null ? "/config" : "/config/" + encode(subject) + "?defaultToGlobal=true";
        final JsonNode answer = send("GET", path, null);
        return CompatibilityLevel.parse(answer.path("compatibilityLevel").asText(answer.path("compatibility").asText(null)));
    }

    @Override
    public void setCompatibility(final String subject, final CompatibilityLevel level) {
        final String path = subject == null ? "/config" : "/config/" + encode(subject);
        send("PUT", path, JSON.createObjectNode().put("compatibility", level.name()).toString());
    }

    @Override
    public void close() {
        idsBySubject.clear();
        schemasById.clear();
        latestBySubject.clear();
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient" + config.urls();
    }

    private Integer cachedId(final String subject, final Schema schema) {
        final Map<Schema, Integer> ids = idsBySubject.get(subject);
        return ids == null ? null : ids.get(schema);
    }

    private void remember(final String subject, final Schema schema, final int id) {
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
        schemasById.putIfAbsent(id, schema);
    }

    private static String schemaBody(final Schema schema) {
        final ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    private static Schema parseSchema(final JsonNode answer, final String what) {
        final String text = answer.path("schema").asText(null);
        if (text == null) {
            throw new SchemaRegistryException("Registry answer for " + what + " holds no schema: " + answer, 200, 0);
        }
        final String type = answer.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new SchemaRegistryException(what + " is a " + type + " schema; only AVRO is supported", 200, 0);
        }
        return SchemaStore.parse(text);
    }

    private static String encode(final String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(final String method, final String pathAndQuery, final String body) {
        final int attempts = config.maxRetries() + 1;
        Exception lastFailure = null;
        int lastStatus = 0;
        for (int attempt = 0; attempt < attempts; attempt++) {
            if (attempt > 0) {
                backoff(attempt);
            }
            final int urlIndex = Math.floorMod(currentUrl.get(), config.urls().size());
            final URI uri = URI.create(config.urls().get(urlIndex) + pathAndQuery);
            final HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(config.requestTimeout())
                    .header("Accept", CONTENT_TYPE + ", application/json");
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
            }
            final HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                lastFailure = e;
                lastStatus = 0;
                currentUrl.compareAndSet(urlIndex, urlIndex + 1);
                LOG.debug("Schema registry {} {} failed (attempt {}/{}): {}", method, uri, attempt + 1, attempts, describe(e));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("Interrupted while calling the schema registry at " + uri, 0, e);
            }
            final int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return parse(response.body(), uri);
            }
            if (status >= 500 || status == 429) {
                lastStatus = status;
                lastFailure = new SchemaRegistryException("HTTP " + status + " " + abbreviate(response.body()), status, 0);
                currentUrl.compareAndSet(urlIndex, urlIndex + 1);
                LOG.debug("Schema registry {} {} answered {} (attempt {}/{})", method, uri, status, attempt + 1, attempts);
                continue;
            }
            throw clientError(status, response.body(), method, uri);
        }
        throw new RegistryUnavailableException("Schema registry unavailable at " + config.urls() + " after " + attempts
                + " attempt(s): " + describe(lastFailure), lastStatus, lastFailure);
    }

    private void backoff(final int attempt) {
        final long base = config.retryBackoff().toMillis();
        final long ceiling = Math.max(base, config.retryBackoffMax().toMillis());
        final long exponential = Math.min(ceiling, base << Math.min(attempt - 1, 20));
        final long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        try {
            Thread.sleep(Duration.ofMillis(jittered).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("Interrupted while retrying the schema registry", 0, e);
        }
    }

    private static JsonNode parse(final String body, final URI uri) {
        try {
            return JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            throw new SchemaRegistryException("Schema registry at " + uri + " answered with malformed JSON: " + abbreviate(body), 200, 0, e);
        }
    }

    private static SchemaRegistryException clientError(final int status, final String body, final String method, final URI uri) {
        int errorCode = status;
        String message = abbreviate(body);
        try {
            final JsonNode error = JSON.readTree(body);
            errorCode = error.path("error_code").asInt(status);
            message = error.path("message").asText(message);
        } catch (IOException | RuntimeException ignored) {
            // not JSON: keep the raw body as the message
        }
        final String text = message + " (" + method + " " + uri + ", HTTP " + status + ", error code " + errorCode + ")";
        if (status == 404) {
            return new SchemaNotFoundException(text, errorCode);
        }
        if (status == 409) {
            return new IncompatibleSchemaException(text);
        }
        if (status == 422) {
            return new InvalidSchemaException(text, errorCode);
        }
        return new SchemaRegistryException(text, status, errorCode);
    }

    private static String describe(final Exception e) {
        if (e == null) {
            return "no attempt made";
        }
        if (e instanceof ConnectException) {
            return "connection refused (" + e.getClass().getSimpleName() + ")";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String abbreviate(final String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
