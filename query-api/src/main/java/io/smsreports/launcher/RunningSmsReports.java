package io.smsreports.launcher;

import io.smsreports.demo.DemoTraffic;
import io.smsreports.embedded.EmbeddedKafkaBroker;
import io.smsreports.registry.DevSchemaRegistryServer;
import io.smsreports.service.SmsReportsService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started SMS Reports: the service, and in the embedded mode the broker and registry it runs on, and the
 * demo traffic if asked for. {@link #close} stops them in order: the demo first (nothing new is produced),
 * then the service (stream processing commits and closes its stores), then the registry, then the broker.
 */
public final class RunningSmsReports implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunningSmsReports.class);

    private final DataDirectory data;
    private final EmbeddedKafkaBroker broker;
    private final DevSchemaRegistryServer registry;
    private final SmsReportsService service;
    private final DemoTraffic demo;
    private final AtomicBoolean closed = new AtomicBoolean();

    RunningSmsReports(final DataDirectory data, final EmbeddedKafkaBroker broker, final DevSchemaRegistryServer registry,
            final SmsReportsService service, final DemoTraffic demo) {
        this.data = data;
        this.broker = broker;
        this.registry = registry;
        this.service = service;
        this.demo = demo;
    }

    /** Whether Kafka and the registry run in this process. */
    public boolean embedded() {
        return broker != null;
    }

    public SmsReportsService service() {
        return service;
    }

    public Optional<DemoTraffic> demo() {
        return Optional.ofNullable(demo);
    }

    public Optional<Path> dataDirectory() {
        return Optional.ofNullable(data).map(DataDirectory::root);
    }

    public String bootstrapServers() {
        return service.config().processor().bootstrapServers();
    }

    public String schemaRegistryUrl() {
        return service.config().processor().schemaRegistryUrl();
    }

    /** The embedded mode's admin token (in the data directory), if this is the embedded mode. */
    public Optional<String> adminToken() {
        return Optional.ofNullable(service.config().adminToken());
    }

    /** The API's base URL as a browser on this machine reaches it. */
    public String baseUrl() {
        final String host = service.config().httpHost();
        return "http://" + ("0.0.0.0".equals(host) || "::".equals(host) || "127.0.0.1".equals(host) ? "localhost" : host) + ":"
                + service.httpPort();
    }

    /**
     * Waits until the service answers queries ({@code /ready}).
     *
     * @return false when {@code timeout} passed first, or stream processing failed
     */
    public boolean awaitReady(final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (service.isReady()) {
                return true;
            }
            final KafkaStreams.State state = service.streams().state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Whether {@link #close()} has begun (a stop asked for, e.g. by SIGTERM). */
    public boolean isClosed() {
        return closed.get();
    }

    /** Stops the demo traffic (if any) and leaves the rest running. */
    public void stopDemo() {
        Launcher.closeQuietly(demo);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("Stopping SMS Reports");
        Launcher.closeQuietly(demo);
        Launcher.closeQuietly(service);
        Launcher.closeQuietly(registry);
        Launcher.closeQuietly(broker);
        LOG.info("SMS Reports stopped");
    }
}
