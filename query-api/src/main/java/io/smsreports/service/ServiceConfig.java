package io.smsreports.service;

import io.smsreports.config.ConfigException;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * The service's settings: the stream processor's ({@link ProcessorConfig}) and the HTTP server's.
 *
 * @param processor      stream processing settings
 * @param httpHost       {@code SMS_HTTP_HOST} (0.0.0.0): the address the API listens on
 * @param httpPort       {@code SMS_HTTP_PORT} (8080): the API's port
 * @param forwardTimeout {@code SMS_FORWARD_TIMEOUT} (5s): bound of a call to another instance
 */
public record ServiceConfig(ProcessorConfig processor, String httpHost, int httpPort, Duration forwardTimeout) {

    public static final String SMS_HTTP_HOST = "SMS_HTTP_HOST";
    public static final String SMS_HTTP_PORT = "SMS_HTTP_PORT";
    public static final String SMS_FORWARD_TIMEOUT = "SMS_FORWARD_TIMEOUT";

    /**
     * Reads and validates the settings. Without {@code SMS_APPLICATION_SERVER}, this instance advertises
     * {@code localhost:<http port>}, which is right for a single instance.
     *
     * @throws ConfigException listing every problem
     */
    public static ServiceConfig from(final Settings settings) {
        final String host = settings.string(SMS_HTTP_HOST, "0.0.0.0");
        final int port = settings.integer(SMS_HTTP_PORT, 8080, 0, 65_535);
        final Duration timeout = settings.duration(SMS_FORWARD_TIMEOUT, Duration.ofSeconds(5));
        final ProcessorConfig processor = ProcessorConfig.from(settings, false);
        return new ServiceConfig(processor, host, port, timeout);
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
            return new ServiceConfig(processor, httpHost, socket.getLocalPort(), forwardTimeout);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port for the API", e);
        }
    }

    public ServiceConfig withProcessor(final ProcessorConfig newProcessor) {
        return new ServiceConfig(newProcessor, httpHost, httpPort, forwardTimeout);
    }
}
