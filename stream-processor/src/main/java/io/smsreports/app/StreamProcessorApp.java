package io.smsreports.app;

import io.smsreports.config.ConfigException;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream processor alone, without the query API: reads its configuration from the environment (see
 * {@link ProcessorConfig}; {@code KAFKA_BOOTSTRAP_SERVERS} and {@code SCHEMA_REGISTRY_URL} are required),
 * runs until SIGTERM, then closes cleanly. Exits with status 2 on a configuration error and 1 when the
 * processing fails.
 *
 * <pre>
 * KAFKA_BOOTSTRAP_SERVERS=localhost:9092 SCHEMA_REGISTRY_URL=http://localhost:8081 \
 *   java -cp stream-processor.jar:... io.smsreports.app.StreamProcessorApp
 * </pre>
 */
public final class StreamProcessorApp {

    private static final Logger LOG = LoggerFactory.getLogger(StreamProcessorApp.class);

    private StreamProcessorApp() {
    }

    public static void main(final String[] args) {
        final ProcessorConfig config;
        try {
            config = ProcessorConfig.from(Settings.fromEnvironment(), true);
        } catch (ConfigException e) {
            LOG.error("{}", e.getMessage());
            System.exit(2);
            return;
        }
        final SmsReportsPipeline pipeline;
        try {
            pipeline = SmsReportsPipeline.create(config);
        } catch (IllegalStateException e) {
            LOG.error("Cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        }
        final KafkaStreams streams = pipeline.streams();
        final CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((newState, oldState) -> {
            LOG.info("Stream processing {} -> {}", oldState, newState);
            if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping stream processing (at most {} s)", config.shutdownTimeout().toSeconds());
            pipeline.close();
            stopped.countDown();
        }, "shutdown"));
        pipeline.start();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (streams.state() == KafkaStreams.State.ERROR) {
            System.exit(1);
        }
    }
}
