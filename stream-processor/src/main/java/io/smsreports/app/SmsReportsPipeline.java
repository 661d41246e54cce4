package io.smsreports.app;

import io.smsreports.config.ProcessorConfig;
import io.smsreports.registry.SchemaRegistryClient;
import io.smsreports.registry.SchemaRegistryClients;
import io.smsreports.topology.EventSerdes;
import io.smsreports.topology.PipelineMonitor;
import java.time.Duration;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream processing of one instance, with what it needs to start and stop like a service:
 * <ul>
 *   <li>a registry outage (at start or while running) holds input records back, in order, instead of dead-lettering
 *       them or failing the instance ({@link PipelineMonitor#decodeStalls()} says so);</li>
 *   <li>{@link #close()} is bounded by {@code SMS_SHUTDOWN_TIMEOUT}, even when the cluster cannot be reached.</li>
 * </ul>
 */
public final class SmsReportsPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmsReportsPipeline.class);

    private final ProcessorConfig config;
    private final SchemaRegistryClient registry;
    private final PipelineMonitor monitor;
    private final KafkaStreams streams;

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

    /** Starts stream processing. */
    public void start() {
        streams.start();
    }

    /**
     * Stops stream processing within the configured bound: commits and closes the stores, and leaves the consumer
     * group so the partitions move at once (instead of after the session timeout). When the cluster cannot be
     * reached the close gives up at the bound; the state is exactly-once, so nothing is lost, only redone.
     *
     * @return whether everything stopped within the bound
     */
    public boolean close(final Duration timeout) {
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
