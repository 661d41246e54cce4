package io.smsreports.app;

import io.smsreports.config.ProcessorConfig;
import io.smsreports.topology.EventSerdes;
import io.smsreports.topology.PipelineMonitor;
import io.smsreports.topology.SmsReportsTopology;
import io.smsreports.topology.TopologySettings;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the Kafka Streams instance of SMS Reports: checks the topics (co-partitioning included), builds
 * the topology and configures it. Starting and stopping stay with the caller.
 */
public final class SmsReportsStreams {

    private static final Logger LOG = LoggerFactory.getLogger(SmsReportsStreams.class);

    private SmsReportsStreams() {
    }

    /** The topology for a configuration, after checking the cluster's topics. */
    public static Topology topology(final ProcessorConfig config, final EventSerdes serdes, final PipelineMonitor monitor) {
        final int partitions;
        final Map<String, Object> adminConfig = new java.util.HashMap<>(config.kafkaClientConfig());
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(adminConfig)) {
            partitions = TopicSetup.verify(admin, config.topics());
        }
        final TopologySettings settings = config.topologySettings(partitions);
        // The topology-level settings come from the same properties as the instance's (state store behaviour).
        final Topology topology = SmsReportsTopology.build(settings, serdes, monitor,
                new org.apache.kafka.streams.TopologyConfig(new org.apache.kafka.streams.StreamsConfig(StreamsProperties.of(config))));
        LOG.info("Topology of {} over {} input partitions, {} reporting partitions", config.applicationId(), partitions,
                settings.reportingPartitions());
        LOG.debug("Topology of {}:\n{}", config.applicationId(), topology.describe());
        return topology;
    }

    /**
     * A configured, not yet started instance (prefer {@link SmsReportsPipeline}, which also starts and stops it like a
     * service). A stream thread that dies of a transient Kafka fault is replaced; any other error shuts the
     * client down (the state is exactly-once, so a restart resumes from the last commit) rather than retrying the
     * same record in a loop: see {@link StreamThreadFailures}.
     */
    public static KafkaStreams create(final ProcessorConfig config) {
        return create(config, EventSerdes.fromConfig(config.registryClientConfig()), PipelineMonitor.create());
    }

    /** As {@link #create(ProcessorConfig)}, over given serdes, reporting to {@code monitor}. */
    public static KafkaStreams create(final ProcessorConfig config, final EventSerdes serdes, final PipelineMonitor monitor) {
        final KafkaStreams streams = new KafkaStreams(topology(config, serdes, monitor), StreamsProperties.of(config));
        monitor.watch(streams);
        streams.setGlobalStateRestoreListener(monitor.restoreProgress());
        streams.setUncaughtExceptionHandler(StreamThreadFailures.standard());
        return streams;
    }
}
