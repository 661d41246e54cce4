package io.smsreports.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smsreports.alerting.Alert;
import io.smsreports.events.DeliveryAlert;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One receiver of the delivery alerts on {@code sms.alerts} ({@code SMS_ALERT_WEBHOOKS_FILE}, a JSON document):
 *
 * <pre>
 * { "webhooks": [
 *     { "name": "pager", "url": "https://pager.example.com/hooks/sms", "format": "generic",
 *       "secretFile": "/run/secrets/pager-webhook", "rules": ["delivery-rate-drop"], "scopes": ["provider", "operator"] },
 *     { "name": "ops-slack", "url": "https://hooks.slack.com/services/T000/B000/XXXX", "format": "slack" } ] }
 * </pre>
 *
 * {@code format}: {@code generic} (the alert as JSON, signed: {@code X-SMS-Reports-Signature: sha256=<hex HMAC-SHA256 of the
 * body>} with {@code secret} or the content of {@code secretFile}, required) or {@code slack} (an incoming-webhook
 * payload). {@code rules} and {@code scopes} (campaign, provider, operator) narrow what it receives; absent: everything.
 * {@code start}: {@code earliest} (default: a new webhook also receives the alerts still retained on the topic) or
 * {@code latest}.
 *
 * @param name   names its consumer group ({@code <application id>-alert-webhook-<name>}) and its metrics
 * @param url    where alerts are POSTed; never logged beyond scheme and host (a Slack URL is itself a secret)
 * @param secret the HMAC key of a generic webhook, null for Slack
 */
public record AlertWebhook(String name, URI url, Format format, byte[] secret, Set<String> rules, Set<String> scopes,
        boolean fromEarliest) {

    /** What the receiver is sent. */
    public enum Format { GENERIC, SLACK }

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Set<String> SCOPES = Set.of("campaign", "provider", "operator");
    private static final Set<String> FIELDS = Set.of("name", "url", "format", "secret", "secretFile", "rules", "scopes", "start");

    /** Whether this webhook receives {@code alert}. */
    public boolean accepts(final DeliveryAlert alert) {
        return (rules.isEmpty() || rules.contains(alert.getRule())) && (scopes.isEmpty() || scopes.contains(alert.getScope()));
    }

    /** The URL as it may appear in a log line: scheme, host and port only. */
    public String safeUrl() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "") + "/…";
    }

    /**
     * The webhooks of a {@code SMS_ALERT_WEBHOOKS_FILE}.
     *
     * @throws IllegalArgumentException naming the webhook and the field that is wrong
     */
    public static List<AlertWebhook> parse(final String json) {
        final JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.path("webhooks").isArray()) {
            throw new IllegalArgumentException("expected {\"webhooks\": [ ... ]}");
        }
        final List<AlertWebhook> webhooks = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        int index = 0;
        for (final JsonNode entry : root.path("webhooks")) {
            final String where = "webhook " + index++;
            if (!entry.isObject()) {
                throw new IllegalArgumentException(where + ": expected an object");
            }
            entry.fieldNames().forEachRemaining(field -> {
                if (!FIELDS.contains(field)) {
                    throw new IllegalArgumentException(where + ": unknown field '" + field + "' (known: " + new java.util.TreeSet<>(FIELDS) + ")");
                }
            });
            final String name = entry.path("name").asText("");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(where + ": 'name' must be lower-case letters, digits and dashes (got '" + name + "')");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(where + ": the name '" + name + "' is used twice");
            }
            final String at = "webhook '" + name + "'";
            final URI url = url(at, entry.path("url").asText(""));
            final Format format;
            try {
                format = Format.valueOf(entry.path("format").asText("generic").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ": 'format' must be generic or slack (got '" + entry.path("format").asText() + "')");
            }
            final byte[] secret = secret(at, entry);
            if (format == Format.GENERIC && secret == null) {
                throw new IllegalArgumentException(at + ": a generic webhook needs 'secret' or 'secretFile' (its HMAC-SHA256 key, "
                        + "at least 16 characters): the signature is how the receiver knows the alert is ours");
            }
            final Set<String> rules = strings(at, entry, "rules");
            final Set<String> known = new HashSet<>();
            Arrays.stream(Alert.Rule.values()).forEach(rule -> known.add(rule.label()));
            for (final String rule : rules) {
                if (!known.contains(rule)) {
                    throw new IllegalArgumentException(at + ": unknown rule '" + rule + "' (known: " + new java.util.TreeSet<>(known) + ")");
                }
            }
            final Set<String> scopes = strings(at, entry, "scopes");
            for (final String scope : scopes) {
                if (!SCOPES.contains(scope)) {
                    throw new IllegalArgumentException(at + ": unknown scope '" + scope + "' (known: " + new java.util.TreeSet<>(SCOPES) + ")");
                }
            }
            final String start = entry.path("start").asText("earliest");
            if (!start.equals("earliest") && !start.equals("latest")) {
                throw new IllegalArgumentException(at + ": 'start' must be earliest or latest (got '" + start + "')");
            }
            webhooks.add(new AlertWebhook(name, url, format, secret, rules, scopes, start.equals("earliest")));
        }
        return List.copyOf(webhooks);
    }

    private static URI url(final String at, final String text) {
        final URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(at + ": 'url' is not a URL: " + e.getReason());
        }
        if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme()) || url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException(at + ": 'url' must be an absolute http:// or https:// URL with a host");
        }
        return url;
    }

    private static byte[] secret(final String at, final JsonNode entry) {
        String secret = entry.hasNonNull("secret") ? entry.path("secret").asText() : null;
        if (entry.hasNonNull("secretFile")) {
            if (secret != null) {
                throw new IllegalArgumentException(at + ": give 'secret' or 'secretFile', not both");
            }
            try {
                secret = Files.readString(Path.of(entry.path("secretFile").asText())).strip();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(at + ": cannot read 'secretFile' " + entry.path("secretFile").asText());
            }
        }
        if (secret != null && secret.length() < 16) {
            throw new IllegalArgumentException(at + ": the secret must be at least 16 characters");
        }
        return secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
    }

    private static Set<String> strings(final String at, final JsonNode entry, final String field) {
        final Set<String> values = new LinkedHashSet<>();
        final JsonNode node = entry.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return Set.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(at + ": '" + field + "' must be a list of strings");
        }
        node.forEach(value -> values.add(value.asText()));
        return Set.copyOf(values);
    }

    @Override
    public String toString() {
        return "AlertWebhook[" + name + " " + format + " " + safeUrl() + "]"; // never the secret or the full URL
    }
}
