package io.smsreports.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.smsreports.registry.internals.SchemaStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A development schema registry speaking the subset of the Confluent Schema Registry REST API that
 * {@link RestSchemaRegistryClient} uses, so that producers and consumers in other processes can use the
 * Confluent wire format against an embedded SMS Reports without a Confluent installation.
 *
 * <p>Endpoints: {@code GET /subjects}, {@code GET /subjects/{s}/versions}, {@code GET /subjects/{s}/versions/{v|latest}},
 * {@code GET /subjects/{s}/versions/{v}/schema}, {@code POST /subjects/{s}/versions} (register), {@code POST /subjects/{s}}
 * (look up), {@code GET /schemas/ids/{id}}, {@code POST /compatibility/subjects/{s}/versions/{v|latest}},
 * {@code GET|PUT /config}, {@code GET|PUT /config/{s}}. Errors carry Confluent's {@code error_code}s.
 *
 * <p>Compatibility is checked with Avro's own checker; the default level is BACKWARD. With a storage file,
 * every registration is journaled and replayed at start, so ids survive restarts. Not meant for production:
 * no authentication, no replication.
 */
public final class DevSchemaRegistryServer implements AutoCloseable {

    /** The port Confluent Schema Registry listens on, used by default. */
    public static final int DEFAULT_PORT = 8081;

    private static final Logger LOG = LoggerFactory.getLogger(DevSchemaRegistryServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final SchemaStore store;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicLong requests = new AtomicLong();

    private DevSchemaRegistryServer(final SchemaStore store, final HttpServer server, final ExecutorService executor) {
        this.store = store;
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts a registry on {@code host:port} (port 0 picks a free one), journaled to {@code storageFile} when it
     * is not null.
     *
     * @throws IllegalStateException with a clear message when the port is taken or the journal is unreadable
     */
    public static DevSchemaRegistryServer start(final String host, final int port, final Path storageFile) {
        final SchemaStore store;
        if (storageFile == null) {
            store = new SchemaStore();
        } else {
            try {
                if (storageFile.getParent() != null) {
                    Files.createDirectories(storageFile.getParent());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the schema registry directory " + storageFile.getParent(), e);
            }
            store = new SchemaStore(storageFile);
        }
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (BindException e) {
            throw new IllegalStateException("Port " + port + " on " + host + " is already in use: cannot start the dev schema "
                    + "registry there. Stop what uses it or choose another port.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the dev schema registry on " + host + ":" + port, e);
        }
        final AtomicInteger threads = new AtomicInteger();
        final ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            final Thread thread = new Thread(runnable, "dev-schema-registry-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        final DevSchemaRegistryServer registry = new DevSchemaRegistryServer(store, server, executor);
        server.createContext("/", registry::handle);
        server.setExecutor(executor);
        server.start();
        LOG.info("Dev schema registry listening on {}", registry.url());
        return registry;
    }

    /** Starts an in-memory registry on a free port of 127.0.0.1. */
    public static DevSchemaRegistryServer startEphemeral() {
        return start("127.0.0.1", 0, null);
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8081}. */
    public String url() {
        final InetSocketAddress address = server.getAddress();
        return "http://" + address.getHostString() + ":" + address.getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** How many HTTP requests the server has answered since it started. */
    public long requestCount() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Dev schema registry on {} stopped", url());
    }

    private void handle(final HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            final URI uri = exchange.getRequestURI();
            final String method = exchange.getRequestMethod();
            final List<String> path = segments(uri.getRawPath());
            final JsonNode body = method.equals("POST") || method.equals("PUT") ? readBody(exchange) : null;
            try {
                final Object answer = route(method, path, body);
                if (answer instanceof String raw) {
                    respond(exchange, 200, raw);
                } else {
                    respond(exchange, 200, JSON.writeValueAsString(answer));
                }
            } catch (SchemaRegistryException e) {
                respond(exchange, e.httpStatus() == 0 ? 500 : e.httpStatus(), error(e.errorCode(), e.getMessage()));
            } catch (RouteException e) {
                respond(exchange, e.status, error(e.status, e.getMessage()));
            } catch (IllegalArgumentException e) {
                respond(exchange, 422, error(ErrorCodes.INVALID_SCHEMA, e.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn("Dev schema registry failed on {} {}", method, uri, e);
                respond(exchange, 500, error(ErrorCodes.STORE_ERROR, "Internal error: " + e));
            }
        }
    }

    private Object route(final String method, final List<String> path, final JsonNode body) {
        final int size = path.size();
        if (size == 0) {
            return JSON.createObjectNode();
        }
        switch (path.get(0)) {
            case "subjects" -> {
                if (size == 1 && method.equals("GET")) {
                    return store.subjects();
                }
                final String subject = path.size() > 1 ? path.get(1) : null;
                if (size == 2 && method.equals("POST")) {
                    return describe(store.lookup(subject, schemaOf(body)));
                }
                if (size == 3 && path.get(2).equals("versions")) {
                    if (method.equals("GET")) {
                        return store.versions(subject);
                    }
                    if (method.equals("POST")) {
                        return JSON.createObjectNode().put("id", store.register(subject, schemaOf(body)).id());
                    }
                }
                if (size == 4 && path.get(2).equals("versions") && method.equals("GET")) {
                    return describe(version(subject, path.get(3)));
                }
                if (size == 5 && path.get(2).equals("versions") && path.get(4).equals("schema") && method.equals("GET")) {
                    return version(subject, path.get(3)).schema().toString();
                }
            }
            case "schemas" -> {
                if (size == 3 && path.get(1).equals("ids") && method.equals("GET")) {
                    return JSON.createObjectNode().put("schema", store.schemaById(parseInt(path.get(2), "schema id")).toString());
                }
            }
            case "compatibility" -> {
                if (size == 5 && path.get(1).equals("subjects") && path.get(3).equals("versions") && method.equals("POST")) {
                    return compatibility(path.get(2), path.get(4), schemaOf(body));
                }
            }
            case "config" -> {
                final String subject = size == 2 ? path.get(1) : null;
                if (size <= 2 && method.equals("GET")) {
                    return JSON.createObjectNode().put("compatibilityLevel", store.levelOf(subject).name());
                }
                if (size <= 2 && method.equals("PUT")) {
                    final CompatibilityLevel level;
                    try {
                        level = CompatibilityLevel.parse(body == null ? null : body.path("compatibility").asText(null));
                    } catch (IllegalArgumentException e) {
                        throw new InvalidSchemaException(e.getMessage(), ErrorCodes.INVALID_COMPATIBILITY_LEVEL);
                    }
                    store.setLevel(subject, level);
                    return JSON.createObjectNode().put("compatibility", level.name());
                }
            }
            default -> {
                // fall through to 404
            }
        }
        throw new RouteException(404, "HTTP 404 Not Found: " + method + " /" + String.join("/", path));
    }

    private ObjectNode compatibility(final String subject, final String version, final Schema schema) {
        final List<String> problems;
        if (version.equals("latest")) {
            store.latest(subject); // 40401 when the subject does not exist, as Confluent answers
            problems = store.incompatibilities(subject, schema);
        } else {
            problems = store.incompatibilities(subject, schema, parseInt(version, "version"));
        }
        final ObjectNode answer = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
        final ArrayNode messages = answer.putArray("messages");
        problems.forEach(messages::add);
        return answer;
    }

    private RegisteredSchema version(final String subject, final String version) {
        if (version.equals("latest") || version.equals("-1")) {
            return store.latest(subject);
        }
        return store.version(subject, parseInt(version, "version"));
    }

    private static ObjectNode describe(final RegisteredSchema registered) {
        return JSON.createObjectNode()
                .put("subject", registered.subject())
                .put("version", registered.version())
                .put("id", registered.id())
                .put("schema", registered.schema().toString());
    }

    private static Schema schemaOf(final JsonNode body) {
        if (body == null || !body.hasNonNull("schema")) {
            throw new InvalidSchemaException("Invalid schema: the request body must be {\"schema\": \"...\"}", ErrorCodes.INVALID_SCHEMA);
        }
        final String type = body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new InvalidSchemaException("Invalid schema: only AVRO schemas are supported, got " + type, ErrorCodes.INVALID_SCHEMA);
        }
        return SchemaStore.parse(body.get("schema").asText());
    }

    private static int parseInt(final String value, final String what) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidSchemaException("Invalid " + what + ": '" + value + "'", ErrorCodes.INVALID_VERSION);
        }
    }

    private static List<String> segments(final String rawPath) {
        return java.util.Arrays.stream(rawPath.split("/"))
                .filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8))
                .toList();
    }

    private static JsonNode readBody(final HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            final byte[] bytes = in.readAllBytes();
            return bytes.length == 0 ? null : JSON.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidSchemaException("Invalid request body: " + e.getMessage(), ErrorCodes.INVALID_SCHEMA);
        }
    }

    private static String error(final int code, final String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message).toString();
    }

    private static void respond(final HttpExchange exchange, final int status, final String body) throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static final class RouteException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        RouteException(final int status, final String message) {
            super(message);
            this.status = status;
        }
    }
}
