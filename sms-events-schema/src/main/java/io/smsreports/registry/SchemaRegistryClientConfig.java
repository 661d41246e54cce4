package io.smsreports.registry;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a schema registry client, read from the property names Confluent clients use, so existing
 * producer and consumer configurations work unchanged.
 *
 * @param urls              one or more registry base URLs ({@code http(s)://host:port}); tried in turn on failure
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, or null
 * @param connectTimeout    TCP connect timeout
 * @param requestTimeout    time allowed for one request's answer
 * @param maxRetries        retries after the first attempt, on I/O errors, 5xx and 429
 * @param retryBackoff      first backoff between attempts; doubled each retry, with jitter
 * @param retryBackoffMax   upper bound of the backoff
 * @param latestCacheTtl    how long a subject's latest version is cached
 */
public record SchemaRegistryClientConfig(List<URI> urls, String basicAuthUserInfo, Duration connectTimeout,
        Duration requestTimeout, int maxRetries, Duration retryBackoff, Duration retryBackoffMax, Duration latestCacheTtl) {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRIES_WAIT_MS = "retries.wait.ms";
    public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";

    public SchemaRegistryClientConfig {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(SCHEMA_REGISTRY_URL + " is empty");
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(retryBackoffMax, "retryBackoffMax");
        Objects.requireNonNull(latestCacheTtl, "latestCacheTtl");
        if (maxRetries < 0) {
            throw new IllegalArgumentException(MAX_RETRIES + " must be >= 0, was " + maxRetries);
        }
    }

    /** Defaults for the given URLs: 10 s timeouts, 3 retries from 100 ms up to 2 s, latest cached 60 s. */
    public static SchemaRegistryClientConfig forUrls(final String urls) {
        return from(Map.of(SCHEMA_REGISTRY_URL, urls));
    }

    /**
     * Reads the settings from producer/consumer/streams-style properties.
     *
     * @throws IllegalArgumentException naming the property when a value is missing or malformed
     */
    public static SchemaRegistryClientConfig from(final Map<String, ?> configs) {
        final Object rawUrls = configs.get(SCHEMA_REGISTRY_URL);
        if (rawUrls == null || rawUrls.toString().isBlank()) {
            throw new IllegalArgumentException(SCHEMA_REGISTRY_URL + " is required (http(s)://host:port[,...] or mock://scope)");
        }
        final List<URI> urls = new ArrayList<>();
        String userInfoFromUrl = null;
        for (final String part : rawUrls.toString().split(",")) {
            final String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            final URI uri;
            try {
                uri = URI.create(trimmed);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(SCHEMA_REGISTRY_URL + " has a malformed URL '" + trimmed + "': " + e.getMessage(), e);
            }
            final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException(SCHEMA_REGISTRY_URL + " must hold http(s)://host:port URLs, got '" + trimmed + "'");
            }
            if (uri.getUserInfo() != null) {
                userInfoFromUrl = uri.getUserInfo();
            }
            urls.add(URI.create(scheme + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                    + (uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", ""))));
        }
        final String source = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE, userInfoFromUrl != null ? "URL" : "USER_INFO");
        final String userInfo = switch (source.toUpperCase(Locale.ROOT)) {
            case "URL" -> userInfoFromUrl;
            case "USER_INFO" -> blankToNull(string(configs, BASIC_AUTH_USER_INFO, null));
            default -> throw new IllegalArgumentException(BASIC_AUTH_CREDENTIALS_SOURCE + " must be USER_INFO or URL, was '" + source + "'");
        };
        if (userInfo != null && !userInfo.contains(":")) {
            throw new IllegalArgumentException(BASIC_AUTH_USER_INFO + " must be 'user:password'");
        }
        return new SchemaRegistryClientConfig(urls, userInfo,
                Duration.ofMillis(positive(configs, HTTP_CONNECT_TIMEOUT_MS, 10_000)),
                Duration.ofMillis(positive(configs, HTTP_READ_TIMEOUT_MS, 10_000)),
                (int) nonNegative(configs, MAX_RETRIES, 3),
                Duration.ofMillis(nonNegative(configs, RETRIES_WAIT_MS, 100)),
                Duration.ofMillis(nonNegative(configs, RETRIES_MAX_WAIT_MS, 2_000)),
                Duration.ofSeconds(nonNegative(configs, LATEST_CACHE_TTL_SEC, 60)));
    }

    private static String string(final Map<String, ?> configs, final String key, final String fallback) {
        final Object value = configs.get(key);
        return value == null ? fallback : value.toString();
    }

    private static String blankToNull(final String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static long positive(final Map<String, ?> configs, final String key, final long fallback) {
        final long value = number(configs, key, fallback);
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be > 0, was " + value);
        }
        return value;
    }

    private static long nonNegative(final Map<String, ?> configs, final String key, final long fallback) {
        final long value = number(configs, key, fallback);
        if (value < 0) {
            throw new IllegalArgumentException(key + " must be >= 0, was " + value);
        }
        return value;
    }

    private static long number(final Map<String, ?> configs, final String key, final long fallback) {
        final Object value = configs.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'", e);
        }
    }
}
