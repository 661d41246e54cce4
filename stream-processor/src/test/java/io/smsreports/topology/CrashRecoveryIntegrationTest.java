package io.smsreports.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smsreports.app.SmsReportsStreams;
import io.smsreports.app.TopicSetup;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import io.smsreports.embedded.EmbeddedKafkaBroker;
import io.smsreports.events.Campaign;
import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDelivered;
import io.smsreports.events.SmsDispatched;
import io.smsreports.events.Topics;
import io.smsreports.lifecycle.LifecycleProcessor;
import io.smsreports.registry.DevSchemaRegistryServer;
import io.smsreports.reporting.CampaignStats;
import io.smsreports.reporting.FailedRecipient;
import io.smsreports.reporting.HourlyCounts;
import io.smsreports.reporting.PersonMessages;
import io.smsreports.serde.AvroSerdeConfig;
import io.smsreports.serde.SpecificAvroDeserializer;
import io.smsreports.serde.SpecificAvroSerializer;
import io.smsreports.state.LatencyKey;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once under crashes, on a real broker: 12,000 SMS over four campaigns with shuffled, duplicated,
 * early, late and missing receipts, orphans and poison records are processed by the stream processor in a
 * child JVM that is killed with SIGKILL twice mid-way (the second time its state directory is wiped too, so
 * it restores from the changelogs). Afterwards a fresh instance, restoring everything from the changelogs,
 * must hold exactly what the reference model computes, and {@code sms.delivered} (read_committed) must hold
 * exactly one event per delivered SMS.
 */
@Tag("integration")
class CrashRecoveryIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryIntegrationTest.class);
    private static final int PARTITIONS = 3;
    private static final int SMS = 12_000;
    private static final int PEOPLE = 3_000;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final String[] PLATFORMS = {"android", "ios", "web", null};
    private static final ReceiptStatus[] FAILURES = {ReceiptStatus.UNDELIVERABLE, ReceiptStatus.EXPIRED, ReceiptStatus.REJECTED,
        ReceiptStatus.DELETED, ReceiptStatus.UNKNOWN};
    private static final Topics TOPICS = Topics.defaults();
    private static final String APP_ID = "sms-reports-crash-test";

    /** A record to produce, with its partition-relevant key and record timestamp. */
    private record Input(String topic, String key, Object value, long timestamp) {
    }

    @Test
    void shouldCountExactlyOnceAcrossKillsAndAStateWipe(@TempDir final Path dir) throws Exception {
        // Event times lie 30 days back; the idle-task clock lag is set beyond that, so that only stream time
        // moves the clock and the outcome is a function of the data alone, as the model assumes.
        final long t0 = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS).toEpochMilli();
        final List<Input> inputs = dataset(t0);
        final Expected expected = expected(inputs);
        LOG.info("Dataset: {} records; expecting {} delivered, {} orphan receipts", inputs.size(), expected.delivered.size(),
                expected.orphans);

        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().dataDirectory(dir.resolve("kafka")).build().start();
             DevSchemaRegistryServer registry = DevSchemaRegistryServer.startEphemeral()) {
            // The records are weeks old by their timestamps: keep them, whatever the broker's time retention.
            kafka.createTopics(TopicSetup.newTopics(TOPICS, PARTITIONS, (short) 1).stream()
                    .map(topic -> {
                        final Map<String, String> configs = new HashMap<>(topic.configs() == null ? Map.of() : topic.configs());
                        configs.put("retention.ms", "-1");
                        return topic.configs(configs);
                    }).toList());
            produce(kafka.bootstrapServers(), registry.url(), inputs);

            final DeliveredWatcher delivered = new DeliveredWatcher(kafka.bootstrapServers(), registry.url());
            final Path stateDir = dir.resolve("child-state");
            final Map<String, String> env = Map.of(
                    ProcessorConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    ProcessorConfig.SCHEMA_REGISTRY_URL, registry.url(),
                    ProcessorConfig.SMS_APPLICATION_ID, APP_ID,
                    ProcessorConfig.SMS_STATE_DIR, stateDir.toString(),
                    ProcessorConfig.SMS_COMMIT_INTERVAL, "200ms",
                    ProcessorConfig.SMS_EXPIRY_SCAN_INTERVAL, "1s",
                    ProcessorConfig.SMS_IDLE_CLOCK_LAG, "365d");
            final int total = expected.delivered.size();
            final Path logs = Files.createDirectories(Path.of("target", "crash-recovery-logs", String.valueOf(System.currentTimeMillis())));
            final List<Process> children = new ArrayList<>();
            try {
                killWhenDeliveredReaches(startChild(env, logs.resolve("child-1.log"), children), delivered, total / 5, total);
                killWhenDeliveredReaches(startChild(env, logs.resolve("child-2.log"), children), delivered, total * 3 / 5, total);
                deleteRecursively(stateDir); // the third run restores every store from its changelog
                final Process last = startChild(env, logs.resolve("child-3.log"), children);
                await("all SMS Delivered events").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                        .until(() -> delivered.count() >= total);
                last.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

                // A fresh instance with empty local state: restores from the changelogs and finishes anything left.
                final ProcessorConfig verifierConfig = ProcessorConfig.from(Settings.of(env)
                        .with(Map.of(ProcessorConfig.SMS_STATE_DIR, dir.resolve("verifier-state").toString())), true);
                try (KafkaStreams verifier = SmsReportsStreams.create(verifierConfig)) {
                    verifier.start();
                    await("restored state equals the model").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                            .ignoreExceptions().untilAsserted(() -> assertStores(verifier, expected));
                    // ... and stays equal: nothing is counted twice later.
                    await("restored state stays equal to the model").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                            .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertStores(verifier, expected));
                }
                assertThat(delivered.all()).as("sms.delivered, read_committed: exactly one event per delivered SMS")
                        .containsExactlyInAnyOrderElementsOf(expected.delivered);
                assertThat(deadLetters(kafka.bootstrapServers())).as("poison records in the dead-letter topic").isEqualTo(expected.poison);
            } finally {
                for (final Process child : children) {
                    child.destroyForcibly(); // never leave a child JVM behind, whatever happened
                }
                delivered.close();
            }
        }
    }

    // ---- the dataset and its expected outcome ----

    private static List<Input> dataset(final long t0) {
        final java.util.Random r = new java.util.Random(20261127);
        final List<Input> inputs = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            inputs.add(new Input(TOPICS.campaigns(), "m" + c, TopologyFixture.campaign("m" + c, 3_000 + c), t0 - HOUR + c));
        }
        for (int i = 0; i < SMS; i++) {
            final String smsId = "sms-" + i;
            final int person = r.nextInt(PEOPLE);
            final long dispatchedAt = t0 + i * 7_000L + (i % 997);
            final SmsDispatched dispatch = SmsDispatched.newBuilder().setSmsId(smsId).setMessageId("m" + (i % 4))
                    .setMsisdn("+9055" + String.format("%07d", person)).setExternalId(person % 10 < 7 ? "u" + person : null)
                    .setEmail(person % 5 == 0 ? "p" + person + "@example.com" : null).setPlatform(PLATFORMS[r.nextInt(PLATFORMS.length)])
                    .setProvider("p" + r.nextInt(3)).setCountry("TR").setOperator(null).setSegments(1 + r.nextInt(2))
                    .setDispatchedAt(Instant.ofEpochMilli(dispatchedAt)).build();
            final boolean early = r.nextDouble() < 0.05; // the sender publishes late: receipts come first
            final long publishedAt = early ? dispatchedAt + 30 * 60_000 : dispatchedAt;
            inputs.add(new Input(TOPICS.dispatches(), smsId, dispatch, publishedAt));
            if (r.nextDouble() < 0.05) {
                inputs.add(new Input(TOPICS.dispatches(), smsId, dispatch, publishedAt + 60_000 + 1));
            }
            if (r.nextDouble() < 0.6) {
                inputs.add(new Input(TOPICS.receipts(), smsId, receipt(smsId, ReceiptStatus.ACCEPTED, null, dispatchedAt + 1_000 + 3),
                        dispatchedAt + 1_000 + 3));
            }
            final double fate = r.nextDouble();
            if (fate < 0.82) {
                final long latency = fate < 0.75 ? 2_000 + r.nextInt((int) (2 * HOUR)) : 4 * DAY + HOUR + r.nextInt((int) DAY);
                final ReceiptStatus status = r.nextDouble() < 0.78 ? ReceiptStatus.DELIVERED : FAILURES[r.nextInt(FAILURES.length)];
                final long doneAt = dispatchedAt + (early ? 10_000 : latency);
                final long receivedAt = doneAt + 5 + r.nextInt(60_000);
                final Instant done = r.nextDouble() < 0.85 ? Instant.ofEpochMilli(doneAt) : null;
                inputs.add(new Input(TOPICS.receipts(), smsId, receipt(smsId, status, done, receivedAt), receivedAt));
                if (r.nextDouble() < 0.1) {
                    inputs.add(new Input(TOPICS.receipts(), smsId, receipt(smsId, status, done, receivedAt + 7_001), receivedAt + 7_001));
                }
                if (r.nextDouble() < 0.03) {
                    final ReceiptStatus other = status == ReceiptStatus.DELIVERED ? ReceiptStatus.UNDELIVERABLE : ReceiptStatus.DELIVERED;
                    inputs.add(new Input(TOPICS.receipts(), smsId, receipt(smsId, other, null, receivedAt + 9_001), receivedAt + 9_001));
                }
            }
        }
        for (int g = 0; g < 50; g++) {
            final long at = t0 + r.nextInt((int) DAY) * 1L;
            inputs.add(new Input(TOPICS.receipts(), "ghost-" + g, receipt("ghost-" + g, ReceiptStatus.DELIVERED,
                    Instant.ofEpochMilli(at), at), at));
        }
        for (int p = 0; p < 20; p++) {
            final byte[] junk = ("not avro " + p).getBytes(StandardCharsets.UTF_8);
            inputs.add(new Input(p % 2 == 0 ? TOPICS.dispatches() : TOPICS.receipts(), "poison-" + p, junk, t0 + p * HOUR + 17));
        }
        // One late record per partition moves every task's clock past the last timeout (but not past retention).
        for (int partition = 0; partition < PARTITIONS; partition++) {
            final String smsId = keyFor(partition, "clock-");
            inputs.add(new Input(TOPICS.dispatches(), smsId, TopologyFixture.dispatch(smsId, "clock", "web",
                    Instant.ofEpochMilli(t0 + 6 * DAY + 12 * HOUR)), t0 + 6 * DAY + 12 * HOUR));
        }
        inputs.sort(Comparator.comparingLong(Input::timestamp));
        return inputs;
    }

    private static DeliveryReceipt receipt(final String smsId, final ReceiptStatus status, final Instant doneAt, final long receivedAt) {
        return TopologyFixture.receipt(smsId, status, doneAt, Instant.ofEpochMilli(receivedAt));
    }

    private static String keyFor(final int partition, final String prefix) {
        for (int i = 0; ; i++) {
            if (partitionOf(prefix + i) == partition) {
                return prefix + i;
            }
        }
    }

    private static int partitionOf(final String key) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), PARTITIONS);
    }

    /** What the stores must hold: the reference model run over each partition's records in timestamp order. */
    private record Expected(Map<String, Map<String, long[]>> stats, Map<String, long[]> reconciliation,
            Map<String, Map<Long, Map<String, long[]>>> hourly, Map<String, List<String>> failed,
            Map<String, Map<Integer, Long>> latency, List<String> delivered, Map<String, List<String>> people, long orphans,
            int poison) {
    }

    private static Expected expected(final List<Input> inputs) {
        final Map<Integer, ReferenceModel> models = new HashMap<>();
        int poison = 0;
        for (final Input input : inputs) {
            if (input.value instanceof byte[]) {
                poison++; // dead-lettered, but it still moves its task's stream time
                models.computeIfAbsent(partitionOf(input.key), p -> new ReferenceModel(4 * DAY, 4 * DAY, 7 * DAY)).advance(input.timestamp);
                continue;
            }
            if (input.topic.equals(TOPICS.campaigns())) {
                continue;
            }
            final ReferenceModel model = models.computeIfAbsent(partitionOf(input.key), p -> new ReferenceModel(4 * DAY, 4 * DAY, 7 * DAY));
            if (input.value instanceof SmsDispatched d) {
                model.dispatch(d, input.timestamp);
            } else {
                model.receipt((DeliveryReceipt) input.value, input.timestamp);
            }
        }
        final Map<String, Map<String, long[]>> stats = new TreeMap<>();
        final Map<String, long[]> reconciliation = new TreeMap<>();
        final Map<String, Map<Long, Map<String, long[]>>> hourly = new TreeMap<>();
        final Map<String, List<String>> failed = new TreeMap<>();
        final Map<String, Map<Integer, Long>> latency = new TreeMap<>();
        final List<String> delivered = new ArrayList<>();
        final Map<String, List<String>> people = new TreeMap<>();
        long orphans = 0;
        for (final ReferenceModel model : models.values()) {
            model.stats.forEach((m, platforms) -> platforms.forEach((platform, c) -> add(stats.computeIfAbsent(m, k -> new TreeMap<>())
                    .computeIfAbsent(platform, k -> new long[5]), c)));
            model.reconciliation.forEach((m, c) -> add(reconciliation.computeIfAbsent(m, k -> new long[3]), c));
            model.hourly.forEach((m, hours) -> hours.forEach((hour, platforms) -> platforms.forEach((platform, c) ->
                    add(hourly.computeIfAbsent(m, k -> new TreeMap<>()).computeIfAbsent(hour, k -> new TreeMap<>())
                            .computeIfAbsent(platform, k -> new long[3]), c))));
            model.failed.forEach((m, lines) -> failed.computeIfAbsent(m, k -> new ArrayList<>()).addAll(lines));
            model.latency.forEach((m, buckets) -> buckets.forEach((b, n) -> latency.computeIfAbsent(m, k -> new TreeMap<>()).merge(b, n, Long::sum)));
            delivered.addAll(model.delivered);
            model.personMessages.forEach((person, lines) -> people.computeIfAbsent(person, k -> new ArrayList<>()).addAll(lines.values()));
            orphans += model.orphanReceipts;
        }
        failed.values().forEach(list -> list.sort(null));
        people.values().forEach(list -> list.sort(null));
        return new Expected(stats, reconciliation, hourly, failed, latency, delivered, people, orphans, poison);
    }

    private static void add(final long[] into, final long[] values) {
        for (int i = 0; i < values.length; i++) {
            into[i] += values[i];
        }
    }

    // ---- checking the stores of a running instance ----

    private static void assertStores(final KafkaStreams streams, final Expected expected) {
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        final ReadOnlyKeyValueStore<String, CampaignStats> stats = streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.CAMPAIGN_STATS, QueryableStoreTypes.keyValueStore()));
        for (final String m : List.of("m0", "m1", "m2", "m3")) {
            final CampaignStats s = stats.get(m);
            assertThat(s).as("stats of %s", m).isNotNull();
            final Map<String, List<Long>> actual = new TreeMap<>();
            s.platforms().forEach((p, c) -> actual.put(p, List.of(c.sent(), c.delivered(), c.failed(), c.unconfirmed(), c.segments())));
            final Map<String, List<Long>> wanted = new TreeMap<>();
            expected.stats.get(m).forEach((p, c) -> wanted.put(p, List.of(c[0], c[1], c[2], c[3], c[4])));
            assertThat(actual).as("counts of %s", m).isEqualTo(wanted);
            final long[] rec = expected.reconciliation.getOrDefault(m, new long[3]);
            assertThat(List.of(s.reconciliation().duplicateReceipts(), s.reconciliation().conflictingFinals(),
                    s.reconciliation().lateReceipts())).as("reconciliation of %s", m).isEqualTo(List.of(rec[0], rec[1], rec[2]));
        }

        final ReadOnlyWindowStore<String, HourlyCounts> hourly = streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.CAMPAIGN_HOURLY, QueryableStoreTypes.windowStore()));
        final ReadOnlyWindowStore<String, FailedRecipient> failed = streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.CAMPAIGN_FAILED, QueryableStoreTypes.windowStore()));
        final ReadOnlyKeyValueStore<LatencyKey, Long> latency = streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.CAMPAIGN_LATENCY, QueryableStoreTypes.keyValueStore()));
        for (final String m : List.of("m0", "m1", "m2", "m3")) {
            final Map<Long, Map<String, List<Long>>> hours = new TreeMap<>();
            try (WindowStoreIterator<HourlyCounts> it = hourly.fetch(m, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE))) {
                it.forEachRemaining(kv -> kv.value.platforms().forEach((p, c) ->
                        hours.computeIfAbsent(kv.key, h -> new TreeMap<>()).put(p, List.of(c.sent(), c.delivered(), c.failed()))));
            }
            final Map<Long, Map<String, List<Long>>> wantedHours = new TreeMap<>();
            expected.hourly.get(m).forEach((hour, platforms) -> platforms.forEach((p, c) ->
                    wantedHours.computeIfAbsent(hour, h -> new TreeMap<>()).put(p, List.of(c[0], c[1], c[2]))));
            assertThat(hours).as("hourly windows of %s", m).isEqualTo(wantedHours);

            final List<String> failedLines = new ArrayList<>();
            try (WindowStoreIterator<FailedRecipient> it = failed.fetch(m, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE))) {
                it.forEachRemaining(kv -> failedLines.add(kv.value.smsId() + "|" + kv.value.status() + "|" + kv.value.failedAt() + "|"
                        + kv.value.errorCode() + "|" + kv.value.failReason() + "|" + kv.value.platform() + "|" + kv.value.msisdn()));
            }
            failedLines.sort(null);
            assertThat(failedLines).as("failed recipients of %s", m).isEqualTo(expected.failed.getOrDefault(m, List.of()));

            final Map<Integer, Long> buckets = new TreeMap<>();
            try (KeyValueIterator<LatencyKey, Long> it = latency.prefixScan(m, LatencyKey.PREFIX_SERIALIZER)) {
                it.forEachRemaining(kv -> buckets.put(kv.key.bucket(), kv.value));
            }
            assertThat(buckets).as("latency of %s", m).isEqualTo(expected.latency.get(m));
        }

        // A person's messages are spread over the lifecycle partitions (keyed by smsId): read every partition.
        final List<ReadOnlyWindowStore<String, PersonMessages>> people = new ArrayList<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            people.add(streams.store(StoreQueryParameters.fromNameAndType(StoreNames.PERSON_MESSAGES,
                    QueryableStoreTypes.<String, PersonMessages>windowStore()).withPartition(partition)));
        }
        for (final Map.Entry<String, List<String>> person : expected.people.entrySet()) {
            final List<String> lines = new ArrayList<>();
            for (final ReadOnlyWindowStore<String, PersonMessages> store : people) {
                try (WindowStoreIterator<PersonMessages> it = store.fetch(person.getKey(), Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE))) {
                    it.forEachRemaining(kv -> kv.value.messages().forEach(msg -> lines.add(msg.smsId() + "|" + msg.messageId() + "|"
                            + msg.dispatchedAt() + "|" + msg.status() + "|" + (msg.finalAt() == null ? "-" : msg.finalAt()) + "|"
                            + msg.failReason())));
                }
            }
            lines.sort(null);
            assertThat(lines).as("messages of %s", person.getKey()).isEqualTo(person.getValue());
        }

        long orphans = 0;
        for (int partition = 0; partition < PARTITIONS; partition++) {
            final ReadOnlyKeyValueStore<String, Long> meta = streams.store(StoreQueryParameters.fromNameAndType(
                    StoreNames.LIFECYCLE_META, QueryableStoreTypes.<String, Long>keyValueStore()).withPartition(partition));
            final Long n = meta.get(LifecycleProcessor.ORPHAN_RECEIPTS_KEY);
            orphans += n == null ? 0 : n;
        }
        assertThat(orphans).as("orphan receipts").isEqualTo(expected.orphans);
    }

    // ---- Kafka plumbing ----

    private static void produce(final String bootstrap, final String registryUrl, final List<Input> inputs) {
        final Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        final SpecificAvroSerializer<org.apache.avro.specific.SpecificRecord> avro = new SpecificAvroSerializer<>();
        avro.configure(config, false);
        final List<java.util.concurrent.Future<?>> sent = new ArrayList<>(inputs.size());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (final Input input : inputs) {
                final byte[] value = input.value instanceof byte[] raw ? raw
                        : avro.serialize(input.topic, (org.apache.avro.specific.SpecificRecord) input.value);
                sent.add(producer.send(new ProducerRecord<>(input.topic, null, input.timestamp, input.key, value)));
            }
            producer.flush();
            for (final java.util.concurrent.Future<?> future : sent) {
                future.get(); // any rejected record fails the test here
            }
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("producing the dataset failed", e);
        }
        avro.close();
    }

    private static Process startChild(final Map<String, String> env, final Path log, final List<Process> children) throws Exception {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.smsreports.app.StreamProcessorApp");
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        LOG.info("Starting the stream processor in a child JVM, log in {}", log);
        final Process child = builder.start();
        children.add(child);
        return child;
    }

    private static void killWhenDeliveredReaches(final Process child, final DeliveredWatcher delivered, final int threshold,
            final int total) throws Exception {
        await("child progress to " + threshold + " delivered").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> delivered.count() >= threshold || !child.isAlive());
        assertThat(child.isAlive()).as("the child is still running when it is killed").isTrue();
        child.destroyForcibly(); // SIGKILL: no clean shutdown, an open transaction is left behind
        child.waitFor(30, TimeUnit.SECONDS);
        final int seen = delivered.count();
        LOG.info("Killed the stream processor at {} of {} delivered", seen, total);
        assertThat(seen).as("killed mid-way").isLessThan(total);
    }

    private static int deadLetters(final String bootstrap) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(TOPICS.deadLetters()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int n = 0;
            for (int empty = 0; empty < 5; ) {
                final var records = consumer.poll(Duration.ofMillis(300));
                n += records.count();
                empty = records.isEmpty() ? empty + 1 : 0;
            }
            return n;
        }
    }

    /** Reads sms.delivered with read_committed in the background, counting and keeping every event. */
    private static final class DeliveredWatcher implements AutoCloseable {
        private final Map<String, List<String>> events = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private volatile int count;

        DeliveredWatcher(final String bootstrap, final String registryUrl) {
            final SpecificAvroDeserializer<SmsDelivered> deserializer = new SpecificAvroDeserializer<>(SmsDelivered.class);
            deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
            final KafkaConsumer<String, SmsDelivered> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), deserializer);
            final List<TopicPartition> partitions = consumer.partitionsFor(TOPICS.delivered()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            thread = new Thread(() -> {
                try (consumer) {
                    while (running.get()) {
                        for (final ConsumerRecord<String, SmsDelivered> record : consumer.poll(Duration.ofMillis(100))) {
                            final SmsDelivered d = record.value();
                            events.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.key() + "|" + d.getMessageId() + "|"
                                    + d.getPlatform() + "|" + d.getDispatchedAt().toEpochMilli() + "|" + d.getDeliveredAt().toEpochMilli()
                                    + "|" + d.getLatencyMs());
                            count++;
                        }
                    }
                }
            }, "delivered-watcher");
            thread.start();
        }

        int count() {
            return count;
        }

        List<String> all() {
            return events.values().stream().flatMap(List::stream).collect(Collectors.toList());
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }

    private static void deleteRecursively(final Path directory) throws java.io.IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
