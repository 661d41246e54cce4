package io.smsreports.service;

import io.smsreports.config.ConfigException;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import io.smsreports.reporting.FailureTaxonomy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The service's settings: the stream processor's ({@link ProcessorConfig}) and the HTTP server's.
 *
 * @param processor      stream processing settings
 * @param httpHost       {@code SMS_HTTP_HOST} (0.0.0.0): the address the API listens on
 * @param httpPort       {@code SMS_HTTP_PORT} (8080): the API's port
 * @param forwardTimeout {@code SMS_FORWARD_TIMEOUT} (5s): bound of a call to another instance
 * @param apiTokensFile  {@code SMS_API_TOKENS_FILE}: the API's bearer tokens ({@code <name> <role> <sha256 hex>} a line);
 *                       required unless the embedded mode supplies its admin token
 * @param clusterSecret  {@code SMS_CLUSTER_SECRET}: shared by every instance, it opens the internal routes between them;
 *                       required in external mode, random in embedded mode (one instance)
 * @param adminToken     the embedded mode's admin token (kept in the data directory), or null
 * @param exportsPerMinute {@code SMS_EXPORTS_PER_MINUTE} (30): failed-user exports a minute per token and instance
 * @param failureTaxonomy  rule 11's mapping table: the defaults after the rules in {@code SMS_FAILURE_CODES_FILE}, if set
 * @param alertDelivery    {@code SMS_ALERT_WEBHOOKS_FILE} (none) and {@code SMS_ALERT_WEBHOOK_MAX_BACKOFF} (60s): where alerts go
 * @param tls              {@code SMS_TLS_KEYSTORE} and the rest ({@link TlsConfig}), or null: plain HTTP (the default)
 */
public record ServiceConfig(ProcessorConfig processor, String httpHost, int httpPort, Duration forwardTimeout, Path apiTokensFile,
        String clusterSecret, String adminToken, int exportsPerMinute, FailureTaxonomy failureTaxonomy, AlertDelivery alertDelivery,
        TlsConfig tls) {

    /**
     * The webhooks that receive the alerts of {@code sms.alerts}, and the longest wait between two attempts of one delivery.
     */
    public record AlertDelivery(java.util.List<AlertWebhook> webhooks, Duration maxBackoff) {
        public static final AlertDelivery NONE = new AlertDelivery(java.util.List.of(), Duration.ofSeconds(60));
    }

    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final String SMS_HTTP_HOST = "SMS_HTTP_HOST";
    public static final String SMS_HTTP_PORT = "SMS_HTTP_PORT";
    public static final String SMS_FORWARD_TIMEOUT = "SMS_FORWARD_TIMEOUT";
    public static final String SMS_API_TOKENS_FILE = "SMS_API_TOKENS_FILE";
    public static final String SMS_EXPORTS_PER_MINUTE = "SMS_EXPORTS_PER_MINUTE";
    /** Operator rules for rule 11's mapping table, one a line: {@code provider status code category permanent [source]}. */
    public static final String SMS_FAILURE_CODES_FILE = "SMS_FAILURE_CODES_FILE";
    public static final String SMS_CLUSTER_SECRET = "SMS_CLUSTER_SECRET";
    /** A file holding the cluster secret (a mounted secret), read when {@link #SMS_CLUSTER_SECRET} is not set. */
    public static final String SMS_CLUSTER_SECRET_FILE = "SMS_CLUSTER_SECRET_FILE";
    /** A JSON file of alert webhooks ({@link AlertWebhook}). */
    public static final String SMS_ALERT_WEBHOOKS_FILE = "SMS_ALERT_WEBHOOKS_FILE";
    public static final String SMS_ALERT_WEBHOOK_MAX_BACKOFF = "SMS_ALERT_WEBHOOK_MAX_BACKOFF";
    /** A PKCS12 key store: the API listens with TLS only, and instances call each other over https (see {@link TlsConfig}). */
    public static final String SMS_TLS_KEYSTORE = "SMS_TLS_KEYSTORE";
    public static final String SMS_TLS_KEYSTORE_PASSWORD = "SMS_TLS_KEYSTORE_PASSWORD";
    public static final String SMS_TLS_TRUSTSTORE = "SMS_TLS_TRUSTSTORE";
    public static final String SMS_TLS_TRUSTSTORE_PASSWORD = "SMS_TLS_TRUSTSTORE_PASSWORD";

    /**
     * Reads and validates the settings. Without {@code SMS_APPLICATION_SERVER}, this instance advertises
     * {@code localhost:<http port>}, which is right for a single instance.
     *
     * @throws ConfigException listing every problem
     */
    public static ServiceConfig from(final Settings settings) {
        final String host = settings.string(SMS_HTTP_HOST, "0.0.0.0");
        final int port = settings.integer(SMS_HTTP_PORT, DEFAULT_HTTP_PORT, 0, 65_535);
        final Duration timeout = settings.duration(SMS_FORWARD_TIMEOUT, Duration.ofSeconds(5));
        final String tokens = settings.string(SMS_API_TOKENS_FILE, null);
        if (tokens != null && !Files.isReadable(Path.of(tokens))) {
            settings.problem(SMS_API_TOKENS_FILE + ": cannot read " + tokens);
        }
        String secret = settings.string(SMS_CLUSTER_SECRET, null);
        final String secretFile = settings.string(SMS_CLUSTER_SECRET_FILE, null);
        if (secret == null && secretFile != null) {
            try {
                secret = Files.readString(Path.of(secretFile)).strip();
            } catch (IOException e) {
                settings.problem(SMS_CLUSTER_SECRET_FILE + ": cannot read " + secretFile);
            }
        }
        if (secret != null && secret.length() < 16) {
            settings.problem(SMS_CLUSTER_SECRET + " must be at least 16 characters (a long random string, the same on every instance)");
        }
        final int exportsPerMinute = settings.integer(SMS_EXPORTS_PER_MINUTE, 30, 1, 100_000);
        FailureTaxonomy taxonomy = FailureTaxonomy.defaults();
        final String codes = settings.string(SMS_FAILURE_CODES_FILE, null);
        if (codes != null) {
            try {
                taxonomy = new FailureTaxonomy(FailureTaxonomy.parse(Files.readString(Path.of(codes))));
            } catch (IOException e) {
                settings.problem(SMS_FAILURE_CODES_FILE + ": cannot read " + codes);
            } catch (IllegalArgumentException e) {
                settings.problem(SMS_FAILURE_CODES_FILE + " (" + codes + "): " + e.getMessage());
            }
        }
        java.util.List<AlertWebhook> webhooks = java.util.List.of();
        final String webhooksFile = settings.string(SMS_ALERT_WEBHOOKS_FILE, null);
        if (webhooksFile != null) {
            try {
                webhooks = AlertWebhook.parse(Files.readString(Path.of(webhooksFile)));
            } catch (IOException e) {
                settings.problem(SMS_ALERT_WEBHOOKS_FILE + ": cannot read " + webhooksFile);
            } catch (IllegalArgumentException e) {
                settings.problem(SMS_ALERT_WEBHOOKS_FILE + " (" + webhooksFile + "): " + e.getMessage());
            }
        }
        final Duration maxBackoff = settings.duration(SMS_ALERT_WEBHOOK_MAX_BACKOFF, AlertDelivery.NONE.maxBackoff());
        if (maxBackoff.compareTo(Duration.ofMillis(250)) < 0) {
            settings.problem(SMS_ALERT_WEBHOOK_MAX_BACKOFF + " must be at least 250ms (got " + maxBackoff + ")");
        }
        TlsConfig tls = null;
        final String keyStore = settings.string(SMS_TLS_KEYSTORE, null);
        if (keyStore != null) {
            final String trustStore = settings.string(SMS_TLS_TRUSTSTORE, null);
            final String trustPassword = settings.string(SMS_TLS_TRUSTSTORE_PASSWORD, null);
            tls = new TlsConfig(Path.of(keyStore), settings.string(SMS_TLS_KEYSTORE_PASSWORD, "").toCharArray(),
                    trustStore == null ? null : Path.of(trustStore), trustPassword == null ? null : trustPassword.toCharArray());
            try {
                tls.validate();
            } catch (IllegalArgumentException e) {
                settings.problem(e.getMessage());
            }
        } else if (settings.string(SMS_TLS_TRUSTSTORE, null) != null) {
            settings.problem(SMS_TLS_TRUSTSTORE + " is set but " + SMS_TLS_KEYSTORE + " is not: TLS needs this instance's key store");
        }
        final ProcessorConfig processor = ProcessorConfig.from(settings, false);
        return new ServiceConfig(processor, host, port, timeout, tokens == null ? null : Path.of(tokens), secret, null, exportsPerMinute,
                taxonomy, new AlertDelivery(webhooks, maxBackoff), tls);
    }

    /** The {@code host:port} other instances use to reach this one. */
    public String advertisedServer() {
        return processor.applicationServer() != null ? processor.applicationServer() : "localhost:" + httpPort;
    }

    /** This configuration with a concrete port in place of 0 (any free port). */
    public ServiceConfig withResolvedPort() {
        if (httpPort != 0) {
            return this;
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return new ServiceConfig(processor, httpHost, socket.getLocalPort(), forwardTimeout, apiTokensFile, clusterSecret, adminToken, exportsPerMinute, failureTaxonomy, alertDelivery, tls);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port for the API", e);
        }
    }

    public ServiceConfig withProcessor(final ProcessorConfig newProcessor) {
        return new ServiceConfig(newProcessor, httpHost, httpPort, forwardTimeout, apiTokensFile, clusterSecret, adminToken, exportsPerMinute, failureTaxonomy, alertDelivery, tls);
    }

    /** The embedded mode's settings: its admin token, and its cluster secret unless one is set. */
    public ServiceConfig withEmbeddedSecurity(final String embeddedAdminToken, final String embeddedClusterSecret) {
        return new ServiceConfig(processor, httpHost, httpPort, forwardTimeout, apiTokensFile,
                clusterSecret != null ? clusterSecret : embeddedClusterSecret, embeddedAdminToken, exportsPerMinute, failureTaxonomy, alertDelivery, tls);
    }
}
