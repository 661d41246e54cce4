package io.smsreports.bench;

import io.smsreports.app.TopicSetup;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import io.smsreports.embedded.EmbeddedKafkaBroker;
import io.smsreports.events.Topics;
import io.smsreports.registry.DevSchemaRegistryServer;
import io.smsreports.service.ServiceConfig;
import io.smsreports.service.SmsReportsService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmarks' Kafka: a real embedded KRaft broker (the embedded mode's) and the dev registry, with the
 * topics created as the embedded mode creates them, in a temporary directory deleted at close.
 */
final class BenchCluster implements AutoCloseable {

    final Path directory;
    final EmbeddedKafkaBroker broker;
    final DevSchemaRegistryServer registry;
    final int partitions;

    BenchCluster(final int partitions) throws Exception {
        this.directory = Files.createTempDirectory("sms-bench-");
        this.partitions = partitions;
        this.broker = EmbeddedKafkaBroker.builder().dataDirectory(directory.resolve("broker")).build().start();
        this.registry = DevSchemaRegistryServer.startEphemeral();
        // Keep everything for the benchmark's duration, whatever the records' timestamps.
        broker.createTopics(TopicSetup.newTopics(Topics.defaults(), partitions, (short) 1).stream()
                .map(t -> t.configs(withInfiniteRetention(t.configs()))).toList());
    }

    private static Map<String, String> withInfiniteRetention(final Map<String, String> configs) {
        final Map<String, String> result = new HashMap<>(configs == null ? Map.of() : configs);
        result.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
        return result;
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    /** A producer tuned for bulk loading (the way a sender would batch). */
    KafkaProducer<String, byte[]> producer(final int lingerMs) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, lingerMs, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends events as fast as the producer takes them and waits for every acknowledgement. */
    static void sendAll(final KafkaProducer<String, byte[]> producer, final List<Workload.Event> events) {
        final AtomicReference<Exception> failure = new AtomicReference<>();
        for (final Workload.Event e : events) {
            producer.send(new ProducerRecord<>(e.topic(), null, e.timestamp(), e.key(), e.value()), (m, ex) -> {
                if (ex != null) {
                    failure.compareAndSet(null, ex);
                }
            });
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("Loading failed: " + failure.get().getMessage(), failure.get());
        }
    }

    /** The service settings of an instance on this cluster, with {@code overrides}. */
    Map<String, String> serviceSettings(final String applicationId, final Path stateDir, final Map<String, String> overrides) {
        final Map<String, String> settings = new HashMap<>();
        settings.put(ProcessorConfig.KAFKA_BOOTSTRAP_SERVERS, bootstrap());
        settings.put(ProcessorConfig.SCHEMA_REGISTRY_URL, registry.url());
        settings.put(ProcessorConfig.SMS_APPLICATION_ID, applicationId);
        settings.put(ProcessorConfig.SMS_STATE_DIR, stateDir.toString());
        settings.put(ServiceConfig.SMS_HTTP_PORT, "0");
        settings.put(ServiceConfig.SMS_API_TOKENS_FILE, tokensFile().toString());
        settings.put(ServiceConfig.SMS_CLUSTER_SECRET, "bench-cluster-secret-0123456789");
        settings.putAll(overrides);
        return settings;
    }

    /** The service's tokens file: the harness's admin token, hashed. */
    private Path tokensFile() {
        final Path file = directory.resolve("api-tokens");
        try {
            Files.writeString(file, "bench-harness admin " + io.smsreports.api.auth.ApiTokens.hash(Api.TOKEN) + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    /** Starts the service in this JVM and waits until it is ready. */
    SmsReportsService startService(final String applicationId, final Map<String, String> overrides) throws InterruptedException {
        final SmsReportsService service = SmsReportsService.start(ServiceConfig.from(Settings.of(
                serviceSettings(applicationId, directory.resolve("state-" + applicationId), overrides))));
        final long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!service.isReady()) {
            if (System.nanoTime() > deadline) {
                service.close();
                throw new IllegalStateException("The service did not become ready in 5 minutes");
            }
            Thread.sleep(50);
        }
        return service;
    }

    @Override
    public void close() {
        registry.close();
        broker.close();
        deleteRecursively(directory);
    }

    static void deleteRecursively(final Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (var paths = Files.walk(path)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // best effort: it is a temporary directory
        }
    }
}
