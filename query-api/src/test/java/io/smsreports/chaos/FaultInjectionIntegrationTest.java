package io.smsreports.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.smsreports.api.Json;
import io.smsreports.api.auth.TestTokens;
import io.smsreports.app.TopicSetup;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import io.smsreports.events.Topics;
import io.smsreports.launcher.Main;
import io.smsreports.registry.DevSchemaRegistryServer;
import io.smsreports.service.ServiceConfig;
import io.smsreports.testing.Poll;
import io.smsreports.topology.SmsWorkload;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults on real processes (DESIGN, "Faults"): a three-node KRaft cluster (each node its own JVM), topics with
 * replication factor 3 and {@code min.insync.replicas} 2, the schema registry behind a proxy that can be stopped,
 * and service instances in external mode, each its own JVM. Every scenario produces 20,000 SMS of realistic,
 * shuffled traffic (duplicates, early receipts, intermediates, conflicting and late finals, orphans) while a fault
 * is injected, polls the API of every live instance throughout, and ends with:
 * <ul>
 *   <li>every store figure exactly what the independent model computes (read by a fresh instance that restores
 *       everything from the changelogs);</li>
 *   <li>{@code sms.delivered} (read_committed) holding each delivered SMS exactly once;</li>
 *   <li>an empty dead-letter topic (the workload holds no poison: nothing valid may land there);</li>
 *   <li>no API answer but 200, 503 with {@code Retry-After}, or 404 for an unknown id: never a 500.</li>
 * </ul>
 * Measured times are printed and written to {@code target/chaos/figures.txt} (BENCHMARKS.md quotes them).
 */
@Tag("chaos")
class FaultInjectionIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjectionIntegrationTest.class);
    private static final int PARTITIONS = 3;
    private static final int SMS = 20_000;
    private static final int RECORDS_PER_SECOND = 900;
    private static final Path DIR = Path.of("target", "chaos", String.valueOf(System.currentTimeMillis())).toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static KafkaCluster cluster;
    private static DevSchemaRegistryServer registry;
    private static TcpProxy registryProxy;
    private static final List<String> figures = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws IOException {
        Files.createDirectories(DIR);
        cluster = new KafkaCluster(DIR).start();
        registry = DevSchemaRegistryServer.startEphemeral();
        registryProxy = new TcpProxy(KafkaCluster.freePort(), registry.port());
        registryProxy.start();
        LOG.info("Three-node cluster on {}, registry behind {}; logs in {}", cluster.bootstrapServers(), registryProxy.url(), DIR);
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (registryProxy != null) {
            registryProxy.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        Files.write(DIR.resolve("figures.txt"), figures, StandardCharsets.UTF_8);
    }

    @Test
    void shouldHoldRecordsThroughARegistryOutageWhileInstancesJoinAndCrashAndLoseNothing() throws Exception {
        try (Scenario s = new Scenario("outage")) {
            final Instance a = s.instance("a").start();
            a.awaitReady();
            s.startLoad();
            s.awaitDeliveredAtLeast(s.expected.delivered().size() / 10);

            registryProxy.stop();
            final long outageStarted = System.nanoTime();
            LOG.info("Registry down");
            final Instance b;
            final int deliveredDuringOutage;
            try {
                // Both instances below start with empty schema caches: they need the registry for every input.
                b = s.instance("b").start();
                a.kill();
                a.start();
                Poll.until("the outage shows on /ready", Duration.ofMinutes(3), Duration.ofMillis(500),
                        () -> a.readyBody().contains("decoding is paused") || b.readyBody().contains("decoding is paused"));
                // The fault's duration, not a wait for a condition: the registry stays down for (at least) 30 s in all.
                Thread.sleep(Math.max(0, Duration.ofSeconds(31).minusNanos(System.nanoTime() - outageStarted).toMillis()));
                deliveredDuringOutage = s.delivered.count();
            } finally {
                registryProxy.start();
            }
            LOG.info("Registry back after {} s", Duration.ofNanos(System.nanoTime() - outageStarted).toSeconds());

            s.awaitAllDelivered();
            Poll.until("both ready again", Duration.ofMinutes(3), Duration.ofMillis(500), () -> a.isReady() && b.isReady());
            assertThat(a.metrics()).contains("sms_input_decode_pause_transitions");
            final String logs = a.logs() + b.logs();
            assertThat(logs).as("the outage is logged").contains("Decoding paused").contains("Decoding resumed");
            assertThat(logs.split("Decoding paused", -1).length - 1).as("once per change, not per record or task").isBetween(1, 4);
            s.finish(List.of(a, b));
            LOG.info("Delivered during the outage: {} of {}", deliveredDuringOutage, s.expected.delivered().size());
        }
    }

    @Test
    void shouldStayExactWhenInstancesJoinLeaveAndAreKilledDuringLoad() throws Exception {
        try (Scenario s = new Scenario("membership")) {
            final Instance a = s.instance("a").start();
            final Instance b = s.instance("b").start();
            a.awaitReady();
            b.awaitReady();
            s.startLoad();
            s.awaitDeliveredAtLeast(s.expected.delivered().size() / 10);

            final Instance c = s.instance("c").start(); // joins a running group during load
            c.awaitReady();
            s.awaitDeliveredAtLeast(s.expected.delivered().size() / 4);
            figure("SIGTERM of an instance under load: stopped in %d ms", b.terminate()); // leaves during load

            s.awaitDeliveredAtLeast(s.expected.delivered().size() / 2);
            a.kill(); // SIGKILL during load, then back on the same state directory (same group member)
            final long restarted = System.nanoTime();
            a.start();
            a.awaitAnswering("/api/v1/campaigns/m0");
            figure("SIGKILL then restart of an instance under load: answering again %d ms after the restart",
                    (System.nanoTime() - restarted) / 1_000_000);

            s.awaitAllDelivered();
            // An owner dies for good: how long until a survivor answers every campaign (503 + Retry-After meanwhile)?
            c.kill();
            final long died = System.nanoTime();
            for (final String m : SmsWorkload.CAMPAIGNS) {
                a.awaitAnswering("/api/v1/campaigns/" + m);
            }
            figure("SIGKILL of an instance that does not come back: the survivor answers all its campaigns %d ms later "
                    + "(static membership: the session timeout, then a warm standby is promoted)", (System.nanoTime() - died) / 1_000_000);
            s.finish(List.of(a));
        }
    }

    @Test
    void shouldStayExactWhenABrokerIsKilledAndRestartedDuringLoad() throws Exception {
        try (Scenario s = new Scenario("broker")) {
            final Instance a = s.instance("a").start();
            final Instance b = s.instance("b").start();
            a.awaitReady();
            b.awaitReady();
            s.startLoad();
            s.awaitDeliveredAtLeast(s.expected.delivered().size() / 5);
            cluster.kill(1);
            LOG.info("Broker 2 killed");
            final int before = s.delivered.count();
            Poll.until("progress with one broker down", Duration.ofMinutes(3), Duration.ofMillis(500),
                    () -> s.delivered.count() > before + 500);
            cluster.restart(1);
            LOG.info("Broker 2 back");
            s.awaitAllDelivered();
            s.finish(List.of(a, b));
        }
    }

    private static void figure(final String format, final long value) {
        final String line = String.format(format, value);
        LOG.info("FIGURE: {}", line);
        figures.add(line);
    }

    /** One scenario: its own topics, application id, instances, load and checks. */
    private static final class Scenario implements AutoCloseable {
        final String name;
        final Topics topics;
        final String applicationId;
        final SmsWorkload workload;
        /** The dataset in its natural shape: every record in time order, sent at a steady rate while the faults happen. */
        final List<SmsWorkload.Input> inputs;
        final SmsWorkload.Expected expected;
        final SmsWorkload.DeliveredWatcher delivered;
        final List<Instance> instances = new ArrayList<>();
        final ApiPoller poller;
        final AtomicBoolean producing = new AtomicBoolean(true);
        CompletableFuture<Void> load;

        Scenario(final String name) throws Exception {
            this.name = name;
            this.topics = Topics.prefixed(name);
            this.applicationId = "sms-reports-chaos-" + name;
            this.workload = new SmsWorkload(topics, PARTITIONS);
            final long t0 = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS).toEpochMilli();
            this.inputs = workload.dataset(t0, SMS, 0, name.hashCode());
            // Six days of event time are sent in about a minute, and a replay after a fault may run one input days ahead of
            // the other: the watermark (rule 13) keeps every deadline on the slower input, so the figures stay the model's.
            this.expected = workload.expected(inputs);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
                final List<NewTopic> newTopics = new ArrayList<>();
                for (final NewTopic topic : TopicSetup.newTopics(topics, PARTITIONS, (short) 3)) {
                    final Map<String, String> configs = new HashMap<>(topic.configs() == null ? Map.of() : topic.configs());
                    configs.put("min.insync.replicas", "2");
                    configs.put("retention.ms", "-1"); // the records are weeks old by their timestamps
                    newTopics.add(topic.configs(configs));
                }
                admin.createTopics(newTopics).all().get();
            }
            this.delivered = new SmsWorkload.DeliveredWatcher(cluster.bootstrapServers(), registry.url(), topics.delivered());
            this.poller = new ApiPoller(() -> List.copyOf(instances));
            LOG.info("Scenario {}: {} records, {} delivered expected", name, inputs.size(), expected.delivered().size());
        }

        Instance instance(final String id) throws IOException {
            final Instance instance = new Instance(this, id);
            instances.add(instance);
            return instance;
        }

        void startLoad() {
            // The sender uses the registry directly (its schema ids are cached after the first record, as a long-running
            // sender's are); the service instances reach it through the proxy that the outage scenario stops.
            load = CompletableFuture.runAsync(() -> SmsWorkload.produce(cluster.bootstrapServers(), registry.url(), inputs,
                    RECORDS_PER_SECOND, producing));
        }

        void awaitDeliveredAtLeast(final int count) {
            try {
                Poll.until(name + ": " + count + " delivered", Duration.ofMinutes(6), Duration.ofMillis(200), () -> delivered.count() >= count);
            } catch (AssertionError e) {
                final StringBuilder state = new StringBuilder();
                for (final Instance instance : instances) {
                    if (instance.isAlive()) {
                        try {
                            state.append("\n").append(instance.id).append(": ").append(instance.readyBody()).append(" ")
                                    .append(instance.campaignNumbers());
                            // Its consumers' lag per partition, what its decoders hold and what its lifecycle ignored (the non-zero ones).
                            instance.metrics().lines().filter(line -> !line.startsWith("#"))
                                    .filter(line -> line.contains("records_lag{") || line.contains("sms_input_decode")
                                            || line.contains("stale_inputs") || line.contains("duplicate_dispatches")
                                            || line.contains("expired_sms_states") || line.contains("dead_letter"))
                                    .filter(line -> !line.endsWith(" 0.0") && !line.endsWith(" NaN"))
                                    .forEach(line -> state.append("\n  ").append(line));
                        } catch (IOException | InterruptedException | RuntimeException ignored) {
                            state.append("\n").append(instance.id).append(": ").append(ignored);
                        }
                    }
                }
                state.append("\ninput not yet committed by the group: ").append(uncommittedInput());
                state.append("\nmissing SMS Delivered events by dispatch partition: ").append(missingByDispatchOffset());
                try {
                    state.append("\ndead-letter records: ").append(SmsWorkload.count(cluster.bootstrapServers(), topics.deadLetters()));
                } catch (RuntimeException dlq) {
                    state.append("\ndead-letter records: not known (").append(dlq).append(')');
                }
                throw new AssertionError(name + ": " + delivered.count() + " of " + count + " SMS Delivered events; expected totals "
                        + java.util.Arrays.toString(expected.totals("m0")) + " … " + state, e);
            }
        }

        /**
         * Where the SMS whose SMS Delivered event is missing were dispatched, per partition of the dispatch topic: how many,
         * the first and last offset of their dispatches (the producer writes each partition in list order, so an offset is
         * the dispatch's position among that partition's dispatches) and how many dispatches that range holds. A range
         * with as many dispatches as missing SMS is a contiguous slice of the input that had no effect.
         */
        String missingByDispatchOffset() {
            final java.util.Set<String> seen = new java.util.HashSet<>();
            delivered.all().forEach(event -> seen.add(event.substring(0, event.indexOf('|'))));
            final java.util.Set<String> missing = new java.util.HashSet<>();
            expected.delivered().forEach(event -> {
                final String smsId = event.substring(0, event.indexOf('|'));
                if (!seen.contains(smsId)) {
                    missing.add(smsId);
                }
            });
            final Map<Integer, List<Long>> missingOffsets = new TreeMap<>();
            final Map<Integer, Long> nextOffset = new HashMap<>();
            for (final SmsWorkload.Input input : inputs) {
                if (!input.topic().equals(topics.dispatches()) || input.key() == null) {
                    continue;
                }
                final int partition = io.smsreports.query.Cluster.partitionOf(input.key(), PARTITIONS);
                final long offset = nextOffset.merge(partition, 1L, Long::sum) - 1;
                if (missing.contains(input.key())) {
                    missingOffsets.computeIfAbsent(partition, p -> new ArrayList<>()).add(offset);
                }
            }
            final StringBuilder out = new StringBuilder().append(missing.size()).append(" SMS");
            missingOffsets.forEach((partition, offsets) -> out.append("; p").append(partition).append(": ").append(offsets.size())
                    .append(" in offsets ").append(offsets.get(0)).append("..").append(offsets.get(offsets.size() - 1)).append(" (")
                    .append(offsets.get(offsets.size() - 1) - offsets.get(0) + 1).append(" dispatches in that range)"));
            return out.toString();
        }

        /**
         * Every partition the application's group has committed an offset for whose committed offset is short of its end
         * (read_committed), as {@code topic-partition: committed/end}: which inputs a stalled pipeline stopped at.
         */
        String uncommittedInput() {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
                final Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get(30, java.util.concurrent.TimeUnit.SECONDS);
                final Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
                committed.keySet().forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
                final var ends = admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                        org.apache.kafka.common.IsolationLevel.READ_COMMITTED)).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
                final Map<String, String> behind = new TreeMap<>();
                committed.forEach((tp, offset) -> {
                    final long end = ends.get(tp).offset();
                    if (offset == null || offset.offset() < end) {
                        behind.put(tp.toString(), (offset == null ? "none" : String.valueOf(offset.offset())) + "/" + end);
                    }
                });
                return behind.toString();
            } catch (Exception e) {
                return "not known (" + e + ")";
            }
        }

        void awaitAllDelivered() {
            load.join();
            awaitDeliveredAtLeast(expected.delivered().size());
        }

        /** The checks every scenario ends with. */
        void finish(final List<Instance> live) throws Exception {
            // Every live instance RUNNING (its assigned tasks restored) before anything is compared.
            for (final Instance instance : live) {
                instance.awaitReady();
            }
            // The API's numbers: the same on every instance, and the model's. A 503 (a store still moving) or a refused
            // connection is "not yet"; any other answer fails at once. Each comparison runs to completion.
            final Map<String, String> first = new TreeMap<>();
            try {
                awaitModelNumbers(live, first);
            } catch (AssertionError wrong) {
                // Which side is wrong says where a count was lost: the live instances' local state (a store behind its
                // changelog after a restore or a standby's promotion) or what was committed to the changelogs (processing).
                for (final Instance instance : live) {
                    instance.terminate();
                }
                String restored;
                try {
                    verifyRestoredState(Duration.ofMinutes(3));
                    restored = "a fresh instance restored from the changelogs DOES hold the model: the live local state was behind";
                } catch (AssertionError | RuntimeException e) {
                    restored = "a fresh instance restored from the changelogs does not hold the model either: " + e.getMessage();
                }
                String deadLetters;
                try {
                    deadLetters = String.valueOf(SmsWorkload.count(cluster.bootstrapServers(), topics.deadLetters()));
                } catch (RuntimeException e) {
                    deadLetters = "not known (" + e + ")";
                }
                throw new AssertionError(wrong.getMessage() + "\n" + restored + "\nsms.delivered: " + delivered.count() + " events of "
                        + expected.delivered().size() + "\ndead-letter records: " + deadLetters, wrong);
            }
            LOG.info("Scenario {}: API answers {}", name, first);
            poller.close();
            LOG.info("Scenario {}: API statuses seen {}", name, poller.summary());
            assertThat(poller.violations()).as("API answers outside the contract (200, 503 + Retry-After, 404)").isEmpty();
            assertThat(poller.reportedCampaigns()).as("the poller saw every campaign reported, so a later 404 would have counted")
                    .isEqualTo(SmsWorkload.CAMPAIGNS.size());
            assertThat(poller.count(200)).as("the API answered throughout").isPositive();

            for (final Instance instance : live) {
                instance.terminate();
            }
            // A fresh instance with empty local state restores every store from the changelogs: they must hold the model.
            verifyRestoredState(Duration.ofMinutes(6));
            finishDelivered();
        }

        /** The API's numbers: the same on every live instance, and the model's. */
        private void awaitModelNumbers(final List<Instance> live, final Map<String, String> first) throws Exception {
            Poll.untilPasses(name + ": every live instance answers the model's numbers", Duration.ofMinutes(4), Duration.ofSeconds(1), () -> {
                final Map<String, String> numbers = live.get(0).campaignNumbers();
                for (final Instance instance : live.subList(1, live.size())) {
                    assertThat(instance.campaignNumbers()).as(instance.id).isEqualTo(numbers);
                }
                for (final String m : SmsWorkload.CAMPAIGNS) {
                    final HttpResponse<String> report = live.get(0).get("/api/v1/campaigns/" + m);
                    if (report.statusCode() == 503) {
                        throw new Unavailable(live.get(0).id + " answered 503 for " + m);
                    }
                    assertThat(report.statusCode()).as("%s of %s", m, live.get(0).id).isEqualTo(200);
                    assertThat(SmsWorkload.Expected.reportFigures(Json.MAPPER.readTree(report.body())))
                            .as("API figures of %s: sent, delivered, failed, unconfirmed, not sent, clicks (total, unique, bot), replies, "
                                    + "opt-outs", m).isEqualTo(expected.reportFigures(m));
                }
                first.clear();
                first.putAll(numbers);
            }, Unavailable.class, IOException.class);
        }

        /** A fresh instance with empty local state restores every store from the changelogs; they must hold the model. */
        private void verifyRestoredState(final Duration deadline) throws Exception {
            final ProcessorConfig config = ProcessorConfig.from(Settings.of(instances.get(0).environment())
                    .with(Map.of(ProcessorConfig.SMS_STATE_DIR, DIR.resolve(name + "-verifier").toString())), true);
            try (SmsWorkload.Verifier verifier = SmsWorkload.Verifier.start(config.withConnections(cluster.bootstrapServers(),
                    registry.url()))) {
                Poll.untilPasses(name + ": restored state equals the model", deadline, Duration.ofSeconds(1),
                        () -> workload.assertStores(verifier, expected), InvalidStateStoreException.class);
            }
        }

        private void finishDelivered() {
            // Sorted and compared as lists: containsExactlyInAnyOrder is quadratic (minutes on a loaded machine).
            assertThat(delivered.all().stream().sorted().toList()).as("sms.delivered, read_committed: exactly one event per delivered SMS")
                    .isEqualTo(expected.delivered().stream().sorted().toList());
            assertThat(SmsWorkload.count(cluster.bootstrapServers(), topics.deadLetters())).as("nothing in the dead-letter topic").isZero();
        }

        @Override
        public void close() throws Exception {
            registryProxy.start(); // whatever happened, the next scenario has a registry
            producing.set(false);
            poller.close();
            delivered.close();
            instances.forEach(Instance::killQuietly);
        }
    }

    /** An instance answered 503 (a store moving or restoring): "not yet" while waiting for an answer. */
    private static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(final String message) {
            super(message);
        }
    }

    /** One service instance: the real command ({@link Main}) in external mode, in its own JVM. */
    private static final class Instance implements ApiPoller.Target {
        final String id;
        final int port;
        final Map<String, String> environment;
        final ChildProcess process;
        private final java.util.concurrent.atomic.AtomicLong epoch = new java.util.concurrent.atomic.AtomicLong();
        private volatile boolean started;

        Instance(final Scenario scenario, final String id) throws IOException {
            this.id = id;
            this.port = KafkaCluster.freePort();
            final Path dir = DIR.resolve(scenario.name + "-" + id);
            final Map<String, String> env = new TreeMap<>();
            env.put(ProcessorConfig.KAFKA_BOOTSTRAP_SERVERS, cluster.bootstrapServers());
            env.put(ProcessorConfig.SCHEMA_REGISTRY_URL, registryProxy.url());
            env.put(ProcessorConfig.SMS_APPLICATION_ID, scenario.applicationId);
            env.put(ServiceConfig.SMS_HTTP_HOST, "127.0.0.1");
            env.put(ServiceConfig.SMS_HTTP_PORT, String.valueOf(port));
            env.put(ProcessorConfig.SMS_APPLICATION_SERVER, "127.0.0.1:" + port);
            env.put(ProcessorConfig.SMS_STATE_DIR, dir.resolve("state").toString());
            env.put(ProcessorConfig.SMS_TOPIC_CAMPAIGNS, scenario.topics.campaigns());
            env.put(ProcessorConfig.SMS_TOPIC_DISPATCHES, scenario.topics.dispatches());
            env.put(ProcessorConfig.SMS_TOPIC_RECEIPTS, scenario.topics.receipts());
            env.put(ProcessorConfig.SMS_TOPIC_DELIVERED, scenario.topics.delivered());
            env.put(ProcessorConfig.SMS_TOPIC_DLQ, scenario.topics.deadLetters());
            env.put(ProcessorConfig.SMS_TOPIC_AUDIT, scenario.topics.audit());
            env.put(ProcessorConfig.SMS_TOPIC_ALERTS, scenario.topics.alerts());
            env.put(ProcessorConfig.SMS_TOPIC_NOT_SENT, scenario.topics.notSent());
            env.put(ProcessorConfig.SMS_TOPIC_CLICKS, scenario.topics.clicks());
            env.put(ProcessorConfig.SMS_TOPIC_INBOUND, scenario.topics.inbound());
            env.put(ProcessorConfig.SMS_REPLICATION_FACTOR, "3");
            env.put(ProcessorConfig.SMS_STANDBY_REPLICAS, "1");
            env.put(ProcessorConfig.SMS_IDLE_CLOCK_LAG, "365d"); // only stream time moves the clock, as the model assumes
            env.put(ProcessorConfig.SMS_EXPIRY_SCAN_INTERVAL, "1s");
            env.put(ProcessorConfig.SMS_SHUTDOWN_TIMEOUT, "20s");
            env.put(ProcessorConfig.SMS_ROCKSDB_MEMORY_BYTES, String.valueOf(64L * 1024 * 1024));
            env.put(ProcessorConfig.SMS_STREAMS_PROPERTIES, "topic.min.insync.replicas=2");
            env.putAll(TestTokens.settings(DIR));
            this.environment = Map.copyOf(env);
            // Kafka Streams' task life cycle and the consumer's offset resets at INFO (logback-chaos.xml): after a failure, the
            // log says which task ran where and from which offset each input partition was read again.
            this.process = new ChildProcess(scenario.name + "-" + id, List.of("-Xmx448m", "-Dlogback.configurationFile="
                    + Path.of(java.net.URI.create(FaultInjectionIntegrationTest.class.getResource("/logback-chaos.xml").toString()))),
                    Main.class.getName(), List.of(), environment, dir, DIR);
        }

        Map<String, String> environment() {
            return environment;
        }

        Instance start() throws IOException {
            epoch.incrementAndGet();
            started = true;
            process.start();
            return this;
        }

        @Override
        public String baseUrl() {
            return "http://127.0.0.1:" + port;
        }

        @Override
        public boolean started() {
            return started;
        }

        @Override
        public long epoch() {
            return epoch.get();
        }

        /** Before a stop or a kill: from here on the poller does not hold a network error against it. */
        private void markDown() {
            started = false;
            epoch.incrementAndGet();
        }

        boolean isAlive() {
            return process.isAlive();
        }

        void kill() throws InterruptedException {
            LOG.info("SIGKILL {}", id);
            markDown();
            process.kill();
        }

        void killQuietly() {
            markDown();
            process.killQuietly();
        }

        long terminate() throws InterruptedException {
            LOG.info("SIGTERM {}", id);
            markDown();
            return process.terminate();
        }

        String logs() throws IOException {
            return process.allLogs();
        }

        HttpResponse<String> get(final String path) throws IOException, InterruptedException {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", TestTokens.bearer(TestTokens.ADMIN)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        boolean isReady() {
            try {
                return get("/ready").statusCode() == 200;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }

        String readyBody() {
            try {
                return get("/ready").body();
            } catch (IOException | InterruptedException e) {
                return "";
            }
        }

        String metrics() throws IOException, InterruptedException {
            return get("/metrics").body();
        }

        void awaitReady() {
            Poll.until(id + " ready", Duration.ofMinutes(5), Duration.ofMillis(200), () -> isReady() || !isAlive());
            assertThat(isAlive()).as("%s is running", id).isTrue();
        }

        void awaitAnswering(final String path) {
            Poll.until(id + " answers " + path, Duration.ofMinutes(5), Duration.ofMillis(100), () -> get(path).statusCode() == 200,
                    IOException.class);
        }

        /** Each campaign's metrics, latency and reconciliation as JSON text, and the orphan count. */
        Map<String, String> campaignNumbers() throws IOException, InterruptedException {
            final Map<String, String> numbers = new TreeMap<>();
            final HttpResponse<String> list = get("/api/v1/campaigns?limit=100");
            if (list.statusCode() == 503) {
                throw new Unavailable(id + " answered 503 for the campaign list");
            }
            if (list.statusCode() != 200) {
                throw new IllegalStateException(id + " answered " + list.statusCode() + ": " + list.body());
            }
            for (final JsonNode campaign : Json.MAPPER.readTree(list.body()).get("items")) {
                numbers.put(campaign.get("messageId").asText(), campaign.get("metrics").toString() + campaign.get("latency")
                        + campaign.get("reconciliation"));
            }
            final HttpResponse<String> reconciliation = get("/api/v1/reconciliation");
            if (reconciliation.statusCode() != 200) {
                throw new Unavailable(id + " answered " + reconciliation.statusCode() + " for the reconciliation");
            }
            numbers.put("(orphans)", Json.MAPPER.readTree(reconciliation.body()).toString());
            return numbers;
        }
    }
}
