package io.smsreports.launcher;

import io.smsreports.app.TopicSetup;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import io.smsreports.demo.DemoTraffic;
import io.smsreports.embedded.EmbeddedKafkaBroker;
import io.smsreports.registry.DevSchemaRegistryServer;
import io.smsreports.service.ServiceConfig;
import io.smsreports.service.SmsReportsService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts SMS Reports in one of its two modes.
 *
 * <ul>
 *   <li><b>Embedded</b> (no {@code KAFKA_BOOTSTRAP_SERVERS}): a real single-node KRaft broker and the dev schema
 *       registry, both keeping their data in the data directory, the topics (dispatches and receipts
 *       co-partitioned), then the service, with its state stores in the same directory.</li>
 *   <li><b>External</b> ({@code KAFKA_BOOTSTRAP_SERVERS} and {@code SCHEMA_REGISTRY_URL} set): only the service,
 *       against that cluster and registry; the topics must exist (the service checks them).</li>
 * </ul>
 *
 * Optional demo traffic runs in either mode. Every port is checked before anything starts, so that a port in
 * use is reported at once, by name, rather than after the broker has started.
 */
public final class Launcher {

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private Launcher() {
    }

    /**
     * Starts everything and returns once the API listens (stream processing may still be restoring: see
     * {@link RunningSmsReports#awaitReady}).
     *
     * @throws IllegalStateException with a message for the user (a port in use, a foreign data directory,
     *                               missing topics...); whatever had started is stopped again
     */
    public static RunningSmsReports start(final LaunchOptions options, final ServiceConfig requested) {
        final boolean external = requested.processor().external();
        final List<AutoCloseable> started = new ArrayList<>();
        try {
            requirePortFree(requested.httpHost(), requested.httpPort(), "the API", "--http-port or SMS_HTTP_PORT");
            if (external) {
                final SmsReportsService service = SmsReportsService.start(requested);
                started.add(service);
                final DemoTraffic demo = startDemo(options, requested.processor(), options.dataDir().resolve("demo"));
                return new RunningSmsReports(null, null, null, service, demo);
            }
            requirePortFree(options.host(), options.kafkaPort(), "the Kafka broker", "--kafka-port");
            requirePortFree(options.host(), options.controllerPort(), "the Kafka controller", "--controller-port");
            requirePortFree(options.host(), options.registryPort(), "the schema registry", "--registry-port");
            final DataDirectory data = DataDirectory.open(options.dataDir());
            final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().host(options.host()).port(options.kafkaPort())
                    .controllerPort(options.controllerPort()).dataDirectory(data.kafka()).build();
            started.add(broker);
            broker.start();
            final DevSchemaRegistryServer registry = DevSchemaRegistryServer.start(options.host(), options.registryPort(),
                    data.registryJournal());
            started.add(registry);
            broker.createTopics(TopicSetup.newTopics(requested.processor().topics(), options.partitions(), (short) 1));
            try (org.apache.kafka.clients.admin.Admin admin = broker.admin()) {
                TopicSetup.alignDeliveredCompression(admin, requested.processor().topics()); // a data directory of an earlier version
            }

            final ProcessorConfig processor = requested.processor().withConnections(broker.bootstrapServers(), registry.url());
            final SmsReportsService service = SmsReportsService.start(requested.withProcessor(processor)
                    .withEmbeddedSecurity(data.adminToken(), data.clusterSecret()));
            started.add(service);
            final DemoTraffic demo = startDemo(options, processor, data.demo());
            return new RunningSmsReports(data, broker, registry, service, demo);
        } catch (RuntimeException e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                closeQuietly(started.get(i));
            }
            throw e;
        }
    }

    /**
     * The service's configuration for these options: {@code settings}, with the state stores in the data
     * directory's {@code streams/} unless {@code SMS_STATE_DIR} says otherwise.
     *
     * @throws io.smsreports.config.ConfigException listing every invalid setting
     */
    public static ServiceConfig serviceConfig(final Settings settings, final LaunchOptions options) {
        Settings effective = settings;
        if (!settings.isSet(ProcessorConfig.SMS_STATE_DIR)) {
            effective = effective.with(Map.of(ProcessorConfig.SMS_STATE_DIR, options.dataDir().resolve("streams").toString()));
        }
        final boolean embedded = !settings.isSet(ProcessorConfig.KAFKA_BOOTSTRAP_SERVERS);
        if (embedded && !settings.isSet(ServiceConfig.SMS_HTTP_HOST)) {
            // The embedded mode serves this machine only, unless told otherwise: the reports hold personal data.
            effective = effective.with(Map.of(ServiceConfig.SMS_HTTP_HOST, "127.0.0.1"));
        }
        return ServiceConfig.from(effective);
    }

    private static DemoTraffic startDemo(final LaunchOptions options, final ProcessorConfig processor, final java.nio.file.Path home) {
        if (options.demo() == null) {
            return null;
        }
        return DemoTraffic.start(options.demo(), processor.topics(), processor.bootstrapServers(),
                processor.registryClientConfig(), home);
    }

    /**
     * @throws IllegalStateException naming the port, what needs it, and the option that moves it
     */
    static void requirePortFree(final String host, final int port, final String what, final String option) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            throw new IllegalStateException("Port " + port + " is already in use, so " + what + " cannot listen there. "
                    + "Stop what uses it (is SMS Reports already running?) or choose another port with " + option + ".", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot check port " + port + " on " + host + ": " + e.getMessage(), e);
        }
    }

    static void closeQuietly(final AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Could not stop {} cleanly: {}", closeable.getClass().getSimpleName(), e.toString());
        }
    }
}
