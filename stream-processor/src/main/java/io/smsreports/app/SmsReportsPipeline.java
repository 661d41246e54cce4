package io.smsreports.app;

import io.smsreports.config.ProcessorConfig;
import io.smsreports.events.SmsDelivered;
import io.smsreports.registry.SchemaRegistryClient;
import io.smsreports.registry.SchemaRegistryClients;
import io.smsreports.registry.SchemaRegistryException;
import io.smsreports.serde.AvroSerdeConfig;
import io.smsreports.serde.RegistryUnreachableException;
import io.smsreports.topology.EventSerdes;
import io.smsreports.topology.PipelineMonitor;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream processing of one instance, with what it needs to start and stop like a service:
 * <ul>
 *   <li>it starts once the schema of its output ({@code sms.delivered}) is known to the registry: an unreachable
 *       registry delays the start (retried with backoff, {@link #startupProblem()} says why) instead of failing the
 *       first SMS Delivered event and with it the instance;</li>
 *   <li>a registry outage while running parks input records instead of dead-lettering them
 *       ({@link PipelineMonitor#decodeStalls()});</li>
 *   <li>{@link #close()} is bounded by {@code SMS_SHUTDOWN_TIMEOUT}, even when the cluster cannot be reached.</li>
 * </ul>
 */
public final class SmsReportsPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmsReportsPipeline.class);
    private static final long MAX_STARTUP_BACKOFF_MS = 5_000;

    private final ProcessorConfig config;
    private final SchemaRegistryClient registry;
    private final PipelineMonitor monitor;
    private final KafkaStreams streams;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile String startupProblem = "stream processing is not started yet";
    private volatile Thread starter;

    private SmsReportsPipeline(final ProcessorConfig config, final SchemaRegistryClient registry, final PipelineMonitor monitor,
            final KafkaStreams streams) {
        this.config = config;
        this.registry = registry;
        this.monitor = monitor;
        this.streams = streams;
    }

    /** Checks the topics and builds the instance; nothing runs until {@link #start()}. */
    public static SmsReportsPipeline create(final ProcessorConfig config) {
        final SchemaRegistryClient registry = SchemaRegistryClients.create(config.registryClientConfig());
        final PipelineMonitor monitor = PipelineMonitor.create();
        final KafkaStreams streams = SmsReportsStreams.create(config, EventSerdes.using(registry), monitor);
        return new SmsReportsPipeline(config, registry, monitor, streams);
    }

    public KafkaStreams streams() {
        return streams;
    }

    public PipelineMonitor monitor() {
        return monitor;
    }

    /** Why stream processing has not started (waiting for the registry), or null once it has. */
    public String startupProblem() {
        return startupProblem;
    }

    /** Starts stream processing in the background, as soon as the output schema is registered. */
    public void start() {
        final Thread thread = new Thread(this::registerThenStart, "sms-reports-start");
        thread.setDaemon(true);
        starter = thread;
        thread.start();
    }

    private void registerThenStart() {
        long backoffMs = 200;
        boolean warned = false;
        final String subject = AvroSerdeConfig.subject(config.topics().delivered(), false);
        while (stopping.getCount() > 0) {
            try {
                registry.register(subject, SmsDelivered.getClassSchema());
                break;
            } catch (SchemaRegistryException e) {
                if (!RegistryUnreachableException.isTransient(e)) {
                    startupProblem = "the schema registry refuses the schema of " + subject + ": " + e.getMessage();
                    LOG.error("Cannot start stream processing: {}", startupProblem);
                    return;
                }
                startupProblem = "waiting for the schema registry to register " + subject + ": " + e.getMessage();
                if (!warned) {
                    LOG.warn("Stream processing waits for the schema registry (retrying with backoff): {}", e.getMessage());
                    warned = true;
                }
            }
            try {
                if (stopping.await(backoffMs, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoffMs = Math.min(MAX_STARTUP_BACKOFF_MS, backoffMs * 2);
        }
        if (stopping.getCount() == 0) {
            return;
        }
        synchronized (this) {
            if (stopping.getCount() > 0) {
                if (warned) {
                    LOG.warn("The schema registry answers again: starting stream processing");
                }
                streams.start();
                startupProblem = null;
            }
        }
    }

    /**
     * Stops stream processing within the configured bound: commits and closes the stores, and leaves the consumer
     * group so the partitions move at once (instead of after the session timeout). When the cluster cannot be
     * reached the close gives up at the bound; the state is exactly-once, so nothing is lost, only redone.
     *
     * @return whether everything stopped within the bound
     */
    public boolean close(final Duration timeout) {
        synchronized (this) {
            stopping.countDown();
        }
        final Thread thread = starter;
        if (thread != null) {
            thread.interrupt();
        }
        final boolean clean = streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(timeout));
        if (!clean) {
            LOG.warn("Stream processing did not stop within {} s (is the Kafka cluster reachable?); stopping anyway: "
                    + "uncommitted work is redone from the last commit on the next start", timeout.toSeconds());
        }
        registry.close();
        return clean;
    }

    @Override
    public void close() {
        close(config.shutdownTimeout());
    }
}
