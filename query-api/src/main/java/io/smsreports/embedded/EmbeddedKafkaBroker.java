package io.smsreports.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller), running in this JVM from
 * the {@code kafka_2.13} artifact: the same code that runs in production, over real TCP.
 *
 * <p>{@link #start()} formats the data directory on first use (an existing one is reused as it is, so a
 * restart on the same directory keeps every topic and offset), starts the server, and returns only once the
 * broker really works end to end: a transactional producer has written a record, and a consumer in a
 * consumer group has read it and committed its offset. The transaction and group coordinators are therefore
 * up when it returns.
 *
 * <p>Used by the tests of every module and by the service's embedded mode. Not for production: one node,
 * replication factor 1.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
 *     kafka.createTopic("sms.receipts", 6, Map.of());
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String READINESS_TOPIC = "embedded-broker-readiness";

    private final Builder settings;
    private final Path dataDirectory;
    private final boolean deleteOnClose;
    private int port;
    private int controllerPort;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(final Builder settings) {
        this.settings = settings;
        if (settings.dataDirectory == null) {
            try {
                this.dataDirectory = Files.createTempDirectory("embedded-kafka-");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a temporary data directory for the embedded broker", e);
            }
            this.deleteOnClose = true;
        } else {
            this.dataDirectory = settings.dataDirectory.toAbsolutePath();
            this.deleteOnClose = false;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the data directory if needed, starts the broker and waits until it serves produce, consume,
     * transactions and consumer groups.
     *
     * @return this broker
     * @throws IllegalStateException with a clear message when a port is taken, the data directory is not a
     *                               Kafka data directory, or the broker does not become ready in time
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            throw new IllegalStateException("The embedded broker is already running on " + bootstrapServers());
        }
        port = settings.port == 0 ? freePort() : settings.port;
        // Two free-port look-ups in a row can return the same port (it was free both times): the controller needs another.
        int candidate = settings.controllerPort == 0 ? freePort() : settings.controllerPort;
        while (settings.controllerPort == 0 && candidate == port) {
            candidate = freePort();
        }
        controllerPort = candidate;
        requirePortFree(port, "Kafka broker");
        requirePortFree(controllerPort, "Kafka controller");

        final Path logDirectory = dataDirectory.resolve("kafka");
        KafkaDataDirectory.check(logDirectory, settings.nodeId);
        final Map<String, Object> config = brokerConfig(logDirectory);
        final KafkaConfig kafkaConfig = new KafkaConfig(config, false);
        format(logDirectory);

        LOG.info("Starting embedded Kafka broker on {} (data in {})", bootstrapServers(), logDirectory);
        final long startedAt = System.nanoTime();
        final KafkaRaftServer raftServer = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
        try {
            raftServer.startup();
        } catch (RuntimeException e) {
            shutdownQuietly(raftServer);
            throw new IllegalStateException("The embedded Kafka broker failed to start on " + bootstrapServers() + ": " + e.getMessage(), e);
        }
        server = raftServer;
        final long serverUpAt = System.nanoTime();
        try {
            awaitReady(settings.startupTimeout);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("Embedded Kafka broker ready on {} ({} ms to start the server, {} ms until it served a transaction and a"
                        + " consumer group)", bootstrapServers(), (serverUpAt - startedAt) / 1_000_000,
                (System.nanoTime() - serverUpAt) / 1_000_000);
        return this;
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return settings.host + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public boolean isRunning() {
        return server != null;
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Creates a topic unless it exists (replication factor 1). */
    public void createTopic(final String name, final int partitions, final Map<String, String> topicConfig) {
        createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(topicConfig)));
    }

    /** Creates the topics that do not exist yet, and returns once every partition of them is served by its leader. */
    public void createTopics(final Collection<NewTopic> topics) {
        try (Admin admin = admin()) {
            // One request for all of them (each its own result): a restart finds them all there and is not held up by a
            // round trip to the controller per topic.
            for (final Map.Entry<String, KafkaFuture<Void>> created
                    : admin.createTopics(topics).values().entrySet()) {
                try {
                    created.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + created.getKey() + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            final List<String> names = topics.stream().map(NewTopic::name).toList();
            awaitLeaders(admin, names, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot list the topics of " + bootstrapServers() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Timed out creating topics on " + bootstrapServers(), e);
        }
    }

    /**
     * Waits until every partition of {@code names} is served by its leader, not only named in the metadata. A KRaft broker
     * publishes new topics to its metadata cache before its replica manager takes their leadership; a produce in between
     * is refused with NOT_LEADER_OR_FOLLOWER, and an idempotent producer was seen to leave such a batch unsent until
     * delivery.timeout.ms expired (ArrivalOrderIntegrationTest, 5 minutes, under load). ListOffsets is answered by the
     * replica manager, so its success on every partition means each one takes writes.
     */
    private static void awaitLeaders(final Admin admin, final List<String> names, final long deadline)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        while (true) {
            try {
                // Described in the loop: a topic just created may not be in the broker's metadata yet
                // (UnknownTopicOrPartitionException, a retriable error).
                final Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> partitions = new java.util.HashMap<>();
                admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().forEach(topic -> topic.partitions()
                        .forEach(p -> partitions.put(new TopicPartition(topic.name(), p.partition()), org.apache.kafka.clients.admin.OffsetSpec.latest())));
                admin.listOffsets(partitions, new org.apache.kafka.clients.admin.ListOffsetsOptions().timeoutMs(5_000)).all()
                        .get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("The partitions of " + names + " have no serving leader: " + e.getCause(), e.getCause());
                }
                sleep(100);
            }
        }
    }

    /** Stops the broker (a controlled shutdown), and deletes its data when it was a temporary directory. */
    @Override
    public synchronized void close() {
        if (server != null) {
            LOG.info("Stopping embedded Kafka broker on {}", bootstrapServers());
            shutdownQuietly(server);
            server = null;
        }
        if (deleteOnClose) {
            deleteRecursively(dataDirectory);
        }
    }

    private Map<String, Object> brokerConfig(final Path logDirectory) {
        final Map<String, Object> config = new HashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", settings.nodeId);
        config.put("controller.quorum.voters", settings.quorumVoters != null ? settings.quorumVoters
                : settings.nodeId + "@" + settings.host + ":" + controllerPort);
        config.put("listeners", "PLAINTEXT://" + settings.host + ":" + port + ",CONTROLLER://" + settings.host + ":" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://" + settings.host + ":" + port);
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("log.dirs", logDirectory.toString());
        config.put("metadata.log.dir", logDirectory.toString());
        // One node: every internal topic has one replica. In a cluster: as many as asked, and one may be lost.
        final String replicas = String.valueOf(settings.replicationFactor);
        final String minIsr = String.valueOf(Math.max(1, settings.replicationFactor - 1));
        config.put("offsets.topic.replication.factor", replicas);
        config.put("offsets.topic.num.partitions", "5");
        config.put("transaction.state.log.replication.factor", replicas);
        config.put("transaction.state.log.min.isr", minIsr);
        config.put("transaction.state.log.num.partitions", "5");
        config.put("share.coordinator.state.topic.replication.factor", replicas);
        config.put("share.coordinator.state.topic.min.isr", minIsr);
        config.put("default.replication.factor", replicas);
        config.put("min.insync.replicas", minIsr);
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("auto.create.topics.enable", "false");
        // Small footprint on a laptop: the cleaner's dedupe buffer is 128 MiB of heap by default.
        config.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        config.put("num.network.threads", "2");
        config.put("num.io.threads", "4");
        if (settings.quorumVoters == null) {
            // A single node restarted after a crash finds its previous incarnation still registered with its own
            // controller, and cannot register until that one's session expires (9 s by default, then retried every 2 s):
            // most of a restart's time. Its own controller in the same process is the only one it talks to, so a short
            // session costs nothing; heartbeats five times a session keep it alive through a pause of a second or more.
            config.put("broker.session.timeout.ms", "2000");
            config.put("broker.heartbeat.interval.ms", "400");
            // After a crash the broker re-reads every log from its recovery point, which only moves when a log is flushed
            // and is only saved every minute: by default the whole data. Flushing and saving it every few seconds bounds
            // that to the last few seconds of writes, at the price of an fsync per active log every 5 s.
            config.put("log.flush.interval.ms", "5000");
            config.put("log.flush.scheduler.interval.ms", "1000");
            config.put("log.flush.offset.checkpoint.interval.ms", "5000");
            config.put("log.flush.start.offset.checkpoint.interval.ms", "5000");
        }
        config.putAll(settings.overrides);
        return config;
    }

    private void format(final Path logDirectory) {
        if (Files.exists(logDirectory.resolve(KafkaDataDirectory.META_PROPERTIES))) {
            return; // formatted before: reuse it as it is (KafkaDataDirectory checked it)
        }
        try {
            Files.createDirectories(logDirectory);
            new Formatter()
                    .setPrintStream(new PrintStream(new LoggingOutputStream(), true, StandardCharsets.UTF_8))
                    .setNodeId(settings.nodeId)
                    .setClusterId(settings.clusterId != null ? settings.clusterId : Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDirectory.toString())
                    .setDirectories(List.of(logDirectory.toString()))
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format the Kafka data directory " + logDirectory + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                probe(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                return;
            } catch (RuntimeException e) {
                last = e;
                LOG.debug("Embedded broker not ready yet: {}", e.toString());
                sleep(200);
            }
        }
        throw new IllegalStateException("The embedded Kafka broker on " + bootstrapServers() + " did not become ready within "
                + timeout.toSeconds() + " s" + (last == null ? "" : ": " + last.getMessage()), last);
    }

    private void probe(final Duration remaining) {
        createTopic(READINESS_TOPIC, 1, Map.of());
        final String value = UUID.randomUUID().toString();
        final Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-broker-readiness-" + settings.nodeId,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(remaining.toMillis(), 30_000));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(READINESS_TOPIC, "probe", value));
            producer.commitTransaction();
        }
        final Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "embedded-broker-readiness-" + settings.nodeId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            // Assigned, not subscribed: the offset commit below still needs the group coordinator, but the probe does not
            // join the group and leave it again (about 0.7 s of every start, most of it the leave on close).
            consumer.assign(List.of(new TopicPartition(READINESS_TOPIC, 0)));
            final long deadline = System.nanoTime() + remaining.toNanos();
            while (System.nanoTime() < deadline) {
                final ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                for (final var record : records) {
                    if (record.value().equals(value)) {
                        consumer.commitSync(Duration.ofSeconds(30));
                        return;
                    }
                }
            }
        }
        throw new IllegalStateException("the readiness record was not consumed back");
    }

    private void requirePortFree(final int port, final String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(settings.host, port));
        } catch (BindException e) {
            throw new IllegalStateException("Port " + port + " is already in use: cannot start the embedded " + what
                    + " there. Stop what uses it or choose another port.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot check port " + port, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port", e);
        }
    }

    private static void shutdownQuietly(final KafkaRaftServer raftServer) {
        try {
            raftServer.shutdown();
            raftServer.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Embedded Kafka broker did not shut down cleanly", e);
        }
    }

    private static void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the embedded broker", e);
        }
    }

    private static void deleteRecursively(final Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.debug("Could not delete {}", path, e);
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not delete the embedded broker's data in {}", directory, e);
        }
    }

    /** Routes the formatter's console output to the log. */
    private static final class LoggingOutputStream extends OutputStream {
        private final StringBuilder line = new StringBuilder();

        @Override
        public void write(final int b) {
            if (b == '\n') {
                LOG.debug("format: {}", line);
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
    }

    /** Settings of an {@link EmbeddedKafkaBroker}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private int controllerPort;
        private Path dataDirectory;
        private Duration startupTimeout = Duration.ofSeconds(90);
        private final Map<String, String> overrides = new HashMap<>();
        private int nodeId = 1;
        private String clusterId;
        private String quorumVoters;
        private int replicationFactor = 1;

        private Builder() {
        }

        /**
         * Makes this node one of a KRaft cluster whose nodes are all combined broker and controller: its node id, the
         * cluster id every node is formatted with, the voters ({@code id@host:controllerPort,…}) and the replication
         * factor of internal topics (their {@code min.insync.replicas} is one less, so one node may be lost).
         */
        public Builder clusterNode(final int id, final String cluster, final String voters, final int replicas) {
            this.nodeId = id;
            this.clusterId = Objects.requireNonNull(cluster, "cluster");
            this.quorumVoters = Objects.requireNonNull(voters, "voters");
            this.replicationFactor = replicas;
            return this;
        }

        /** The address to listen on and advertise (default 127.0.0.1). */
        public Builder host(final String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The client port; 0 (the default) picks a free one. */
        public Builder port(final int port) {
            this.port = requirePort(port);
            return this;
        }

        /** The KRaft controller port; 0 (the default) picks a free one. */
        public Builder controllerPort(final int controllerPort) {
            this.controllerPort = requirePort(controllerPort);
            return this;
        }

        /** A persistent data directory, reused across restarts; by default a temporary one deleted on close. */
        public Builder dataDirectory(final Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        public Builder startupTimeout(final Duration startupTimeout) {
            this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
            return this;
        }

        /** Any broker setting, overriding the embedded defaults. */
        public Builder brokerConfig(final String key, final Object value) {
            overrides.put(key, String.valueOf(value));
            return this;
        }

        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }

        private static int requirePort(final int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, was " + port);
            }
            return port;
        }
    }
}
