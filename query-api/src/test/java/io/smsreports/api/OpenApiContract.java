package io.smsreports.api;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The served OpenAPI document ({@code openapi.json}) checked against real responses: swagger-parser reads the document,
 * and each response's status, content type and JSON body are validated against what its route documents (a JSON-schema
 * validator for the bodies). It also keeps which documented status of which route a response was seen for, so a test
 * can tell what the document promises that no response has shown.
 */
final class OpenApiContract {

    private final OpenApiInteractionValidator validator;
    /** Documented route templates as patterns, to name the route a request path matched. */
    private final Map<String, Pattern> routes = new LinkedHashMap<>();
    /** Documented statuses of each route's GET. */
    private final Map<String, Set<String>> documented = new LinkedHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final List<String> findings = new java.util.concurrent.CopyOnWriteArrayList<>();

    OpenApiContract() {
        final String spec;
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is not on the classpath");
            }
            spec = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(spec).build();
        final JsonNode paths;
        try {
            paths = Json.MAPPER.readTree(spec).path("paths");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        paths.fieldNames().forEachRemaining(route -> {
            routes.put(route, Pattern.compile("^" + route.replaceAll("\\{[^/}]+}", "[^/]+") + "$"));
            final Set<String> statuses = new TreeSet<>();
            paths.path(route).path("get").path("responses").fieldNames().forEachRemaining(statuses::add);
            documented.put(route, statuses);
        });
    }

    /**
     * Records a finding when the response to a GET of {@code uri} does not conform to the document; a path the document
     * does not describe (an internal route, an unknown path asked for its 404) is not checked.
     */
    void check(final URI uri, final HttpResponse<byte[]> response) {
        final String path = uri.getRawPath();
        final String route = routeOf(path);
        if (route == null) {
            return;
        }
        final String contentType = response.headers().firstValue("Content-Type").orElse(null);
        final SimpleResponse.Builder actual = SimpleResponse.Builder.status(response.statusCode());
        if (contentType != null) {
            actual.withContentType(contentType);
        }
        response.headers().map().forEach((name, values) -> actual.withHeader(name, values));
        if (response.body().length > 0) {
            // Every body, JSON or not: a CSV or a spreadsheet is checked against its documented media type too.
            actual.withBody(response.body());
        }
        final ValidationReport report = validator.validateResponse(path, Request.Method.GET, actual.build());
        seen.add(route + " " + response.statusCode());
        if (report.hasErrors()) {
            findings.add("GET " + path + " answered " + response.statusCode() + ", not as documented:\n    "
                    + report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                    .map(m -> m.getKey() + ": " + m.getMessage()).collect(Collectors.joining("\n    "))
                    + "\n    body: " + abbreviate(contentType != null && contentType.startsWith("application/json")
                            ? new String(response.body(), StandardCharsets.UTF_8) : response.body().length + " bytes of " + contentType));
        }
    }

    /** Every response that did not conform, with what the validator found (one entry per response). */
    List<String> findings() {
        return List.copyOf(findings);
    }

    /** "route status" pairs the document lists and no checked response has shown. */
    List<String> documentedButNotSeen() {
        final List<String> missing = new ArrayList<>();
        documented.forEach((route, statuses) -> statuses.forEach(status -> {
            if (!seen.contains(route + " " + status)) {
                missing.add(route + " " + status);
            }
        }));
        return missing;
    }

    /** The documented route templates and the statuses each documents for GET, in document order. */
    Map<String, Set<String>> documented() {
        return java.util.Collections.unmodifiableMap(documented);
    }

    private String routeOf(final String path) {
        for (final Map.Entry<String, Pattern> route : routes.entrySet()) {
            if (route.getValue().matcher(path).matches()) {
                return route.getKey();
            }
        }
        return null;
    }

    private static String abbreviate(final String body) {
        return body.length() <= 600 ? body : body.substring(0, 600) + "…";
    }
}
