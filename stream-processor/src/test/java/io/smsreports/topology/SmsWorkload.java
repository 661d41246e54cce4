package io.smsreports.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDelivered;
import io.smsreports.events.SmsDispatched;
import io.smsreports.events.SmsEncoding;
import io.smsreports.events.Topics;
import io.smsreports.reporting.CampaignStats;
import io.smsreports.reporting.FailedRecipient;
import io.smsreports.reporting.HourlyCounts;
import io.smsreports.reporting.PersonMessage;
import io.smsreports.serde.AvroSerdeConfig;
import io.smsreports.serde.SpecificAvroDeserializer;
import io.smsreports.serde.SpecificAvroSerializer;
import io.smsreports.state.LatencyKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
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

/**
 * A realistic, seeded SMS workload for tests against real brokers, and what the stores must hold afterwards
 * according to the independent {@link ReferenceModel}: four campaigns, shuffled and duplicated dispatches, early
 * receipts (the sender publishes late), intermediates, duplicated and conflicting finals, receipts after the
 * timeout, SMS never confirmed, orphans and (optionally) poison records.
 *
 * <p>Event times lie weeks back and one late record per partition moves every task's clock past the last timeout;
 * run the pipeline with an idle-clock lag beyond the data's age so that only stream time moves the clock and the
 * outcome is a function of the data alone, as the model assumes.
 */
public final class SmsWorkload {

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final String[] PLATFORMS = {"android", "ios", "web", null};
    private static final ReceiptStatus[] FAILURES = {ReceiptStatus.UNDELIVERABLE, ReceiptStatus.EXPIRED, ReceiptStatus.REJECTED,
        ReceiptStatus.DELETED, ReceiptStatus.UNKNOWN};
    /** The campaigns of the workload. */
    public static final List<String> CAMPAIGNS = List.of("m0", "m1", "m2", "m3");

    /** A record to produce: topic, key, value (an Avro record, or raw bytes for poison) and record timestamp. */
    public record Input(String topic, String key, Object value, long timestamp) {
    }

    private final Topics topics;
    private final int partitions;

    public SmsWorkload(final Topics topics, final int partitions) {
        this.topics = topics;
        this.partitions = partitions;
    }

    public Topics topics() {
        return topics;
    }

    /** {@code sms} SMS from {@code t0} on, 7 s apart, with {@code poison} undecodable records, in timestamp order. */
    public List<Input> dataset(final long t0, final int sms, final int poison, final long seed) {
        return dataset(t0, sms, poison, seed, 7_000);
    }

    /** {@code sms} SMS from {@code t0} on, {@code spacingMs} apart, with {@code poison} undecodable records, in timestamp order. */
    public List<Input> dataset(final long t0, final int sms, final int poison, final long seed, final long spacingMs) {
        if (sms * spacingMs >= 60 * HOUR) {
            throw new IllegalArgumentException("fewer than " + 60 * HOUR / spacingMs + " SMS: the clock record (6.5 days after the first "
                    + "dispatch) must come after the last dispatch's timeout (4 days)");
        }
        // Builders that copy a record copy its enums, which Avro instantiates only when trusted (the serdes trust the
        // generated classes when configured; the dataset is built before any is).
        io.smsreports.serde.GeneratedClassTrust.ensureInstalled();
        final Random r = new Random(seed);
        final int people = Math.max(1, sms / 4);
        final List<Input> inputs = new ArrayList<>();
        for (int c = 0; c < CAMPAIGNS.size(); c++) {
            inputs.add(new Input(topics.campaigns(), CAMPAIGNS.get(c), TopologyFixture.campaign(CAMPAIGNS.get(c), 3_000 + c), t0 - HOUR + c));
        }
        for (int i = 0; i < sms; i++) {
            final String smsId = "sms-" + i;
            final int person = r.nextInt(people);
            final long dispatchedAt = t0 + i * spacingMs + (i % 997);
            final SmsDispatched.Builder builder = SmsDispatched.newBuilder().setSmsId(smsId).setMessageId(CAMPAIGNS.get(i % CAMPAIGNS.size()))
                    .setMsisdn("+9055" + String.format("%07d", person)).setExternalId(person % 10 < 7 ? "u" + person : null)
                    .setEmail(person % 5 == 0 ? "p" + person + "@example.com" : null).setPlatform(PLATFORMS[r.nextInt(PLATFORMS.length)])
                    .setProvider("p" + r.nextInt(3)).setCountry("TR").setOperator(null).setSegments(1 + r.nextInt(2))
                    .setEncoding(r.nextDouble() < 0.7 ? SmsEncoding.GSM7 : SmsEncoding.UCS2)
                    .setDispatchedAt(Instant.ofEpochMilli(dispatchedAt));
            final double pricing = r.nextDouble(); // rule 15: most priced by the sender, some in EUR, a few bad, some not at all
            if (pricing < 0.8) {
                builder.setPriceMicros((long) r.nextInt(50_000)).setCurrency(pricing < 0.75 ? "TRY" : "EUR");
            } else if (pricing < 0.82) {
                builder.setPriceMicros(-1L).setCurrency("TRY");
            }
            final SmsDispatched dispatch = builder.build();
            final boolean early = r.nextDouble() < 0.05; // the sender publishes late: receipts come first
            final long publishedAt = early ? dispatchedAt + 30 * 60_000 : dispatchedAt;
            inputs.add(new Input(topics.dispatches(), smsId, dispatch, publishedAt));
            if (r.nextDouble() < 0.05) {
                inputs.add(new Input(topics.dispatches(), smsId, dispatch, publishedAt + 60_000 + 1));
            }
            if (r.nextDouble() < 0.6) {
                inputs.add(new Input(topics.receipts(), smsId, receipt(smsId, ReceiptStatus.ACCEPTED, null, dispatchedAt + 1_000 + 3),
                        dispatchedAt + 1_000 + 3));
            }
            final double fate = r.nextDouble();
            if (fate < 0.82) {
                final long latency = fate < 0.75 ? 2_000 + r.nextInt((int) (2 * HOUR)) : 4 * DAY + HOUR + r.nextInt((int) DAY);
                final ReceiptStatus status = r.nextDouble() < 0.78 ? ReceiptStatus.DELIVERED : FAILURES[r.nextInt(FAILURES.length)];
                final long doneAt = dispatchedAt + (early ? 10_000 : latency);
                final long receivedAt = doneAt + 5 + r.nextInt(60_000);
                final Instant done = r.nextDouble() < 0.85 ? Instant.ofEpochMilli(doneAt) : null;
                final double repricing = r.nextDouble(); // rule 15: a provider's price on some final receipts, rarely a bad one
                final DeliveryReceipt finalReceipt = repricing < 0.2 && dispatch.getCurrency() != null
                        ? DeliveryReceipt.newBuilder(receipt(smsId, status, done, receivedAt)).setPriceMicros((long) r.nextInt(60_000))
                                .setCurrency(dispatch.getCurrency()).build()
                        : repricing < 0.22 ? DeliveryReceipt.newBuilder(receipt(smsId, status, done, receivedAt)).setPriceMicros(5L)
                                .setCurrency("XXY").build()
                        : receipt(smsId, status, done, receivedAt);
                inputs.add(new Input(topics.receipts(), smsId, finalReceipt, receivedAt));
                if (r.nextDouble() < 0.1) {
                    inputs.add(new Input(topics.receipts(), smsId, receipt(smsId, status, done, receivedAt + 7_001), receivedAt + 7_001));
                }
                if (r.nextDouble() < 0.03) {
                    final ReceiptStatus other = status == ReceiptStatus.DELIVERED ? ReceiptStatus.UNDELIVERABLE : ReceiptStatus.DELIVERED;
                    inputs.add(new Input(topics.receipts(), smsId, receipt(smsId, other, null, receivedAt + 9_001), receivedAt + 9_001));
                }
            }
        }
        for (int g = 0; g < 50; g++) {
            final long at = t0 + r.nextInt((int) DAY) * 1L;
            inputs.add(new Input(topics.receipts(), "ghost-" + g, receipt("ghost-" + g, ReceiptStatus.DELIVERED,
                    Instant.ofEpochMilli(at), at), at));
        }
        for (int p = 0; p < poison; p++) {
            final byte[] junk = ("not avro " + p).getBytes(StandardCharsets.UTF_8);
            inputs.add(new Input(p % 2 == 0 ? topics.dispatches() : topics.receipts(), "poison-" + p, junk, t0 + p * HOUR + 17));
        }
        // One late dispatch per partition, and an intermediate receipt for it, move every task's watermark (rule 13: both
        // inputs) past the last timeout (the dispatches span under 2.5 days), but not past the first SMS's retention (7 days).
        for (int partition = 0; partition < partitions; partition++) {
            final String smsId = keyFor(partition, "clock-");
            final long at = t0 + 6 * DAY + 12 * HOUR;
            inputs.add(new Input(topics.dispatches(), smsId, TopologyFixture.dispatch(smsId, "clock", "web", Instant.ofEpochMilli(at)), at));
            inputs.add(new Input(topics.receipts(), smsId, receipt(smsId, ReceiptStatus.ACCEPTED, null, at), at));
        }
        inputs.sort(Comparator.comparingLong(Input::timestamp));
        return inputs;
    }

    private static DeliveryReceipt receipt(final String smsId, final ReceiptStatus status, final Instant doneAt, final long receivedAt) {
        return TopologyFixture.receipt(smsId, status, doneAt, Instant.ofEpochMilli(receivedAt));
    }

    private String keyFor(final int partition, final String prefix) {
        for (int i = 0; ; i++) {
            if (partitionOf(prefix + i) == partition) {
                return prefix + i;
            }
        }
    }

    private int partitionOf(final String key) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions);
    }

    /**
     * What the stores must hold: the reference model over each partition's records (each input in its own order), at the
     * watermark its task reaches once everything is processed.
     */
    public record Expected(Map<String, Map<String, long[]>> stats, Map<String, long[]> reconciliation,
            Map<String, Map<Long, Map<String, long[]>>> hourly, Map<String, List<String>> failed,
            Map<String, Map<Integer, Long>> latency, List<String> delivered, Map<String, List<String>> people, long orphans,
            int poison, Map<String, Map<String, long[]>> spend, Map<String, long[]> pricing) {

        /** Sent, delivered, failed and unconfirmed of a campaign, summed over its platforms. */
        public long[] totals(final String messageId) {
            final long[] totals = new long[4];
            stats.getOrDefault(messageId, Map.of()).values().forEach(c -> {
                for (int i = 0; i < 4; i++) {
                    totals[i] += c[i];
                }
            });
            return totals;
        }
    }

    public Expected expected(final List<Input> inputs) {
        return expected(inputs, 4 * DAY);
    }

    /** What the stores must hold with a receipt timeout (and early-receipt hold) of {@code receiptTimeoutMs}. */
    public Expected expected(final List<Input> inputs, final long receiptTimeoutMs) {
        final Map<Integer, ReferenceModel> models = new HashMap<>();
        int poison = 0;
        for (final Input input : inputs) {
            if (input.value instanceof byte[]) {
                poison++; // dead-lettered: the lifecycle's clock is the time of what it processes, so poison does not move it
                continue;
            }
            if (input.topic.equals(topics.campaigns())) {
                continue;
            }
            final ReferenceModel model = models.computeIfAbsent(partitionOf(input.key), p -> new ReferenceModel(receiptTimeoutMs, receiptTimeoutMs, 7 * DAY));
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
        final Map<String, Map<String, long[]>> spend = new TreeMap<>();
        final Map<String, long[]> pricing = new TreeMap<>();
        for (final ReferenceModel model : models.values()) {
            model.evaluate(model.watermark());
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
            model.spend.forEach((m, currencies) -> currencies.forEach((currency, s) ->
                    add(spend.computeIfAbsent(m, k -> new TreeMap<>()).computeIfAbsent(currency, k -> new long[3]), s)));
            model.pricing.forEach((m, p) -> add(pricing.computeIfAbsent(m, k -> new long[7]), p));
        }
        failed.values().forEach(list -> list.sort(null));
        people.values().forEach(list -> list.sort(null));
        return new Expected(stats, reconciliation, hourly, failed, latency, delivered, people, orphans, poison, spend, pricing);
    }

    private static void add(final long[] into, final long[] values) {
        for (int i = 0; i < values.length; i++) {
            into[i] += values[i];
        }
    }

    // ---- checking the stores of a running instance (which must own every task) ----

    /** A Kafka Streams instance of the pipeline and its monitor, which knows which store partitions are restored. */
    public record Verifier(KafkaStreams streams, PipelineMonitor monitor) implements AutoCloseable {

        /** Starts an instance of the pipeline with {@code config} (a state directory of its own: it restores everything). */
        public static Verifier start(final io.smsreports.config.ProcessorConfig config) {
            final PipelineMonitor monitor = PipelineMonitor.create();
            final KafkaStreams streams = io.smsreports.app.SmsReportsStreams.create(config,
                    EventSerdes.fromConfig(config.registryClientConfig()), monitor);
            streams.start();
            return new Verifier(streams, monitor);
        }

        /** Why not every task assigned here is restored and running yet, or null when they all are. */
        String restoring() {
            return monitor.restoringProblem();
        }

        @Override
        public void close() {
            streams.close();
        }
    }

    public void assertStores(final Verifier verifier, final Expected expected) {
        final KafkaStreams streams = verifier.streams();
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        // Kafka Streams serves a store partition that is still restoring (QueryableStores): wait until every task is whole.
        assertThat(verifier.restoring()).as("tasks still restoring").isNull();
        final ReadOnlyKeyValueStore<String, CampaignStats> stats = streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.CAMPAIGN_STATS, QueryableStoreTypes.keyValueStore()));
        for (final String m : CAMPAIGNS) {
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
            ReferenceModel.assertCosts(m, s, expected.spend, expected.pricing, "");
        }

        final ReadOnlyWindowStore<String, HourlyCounts> hourly = streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.CAMPAIGN_HOURLY, QueryableStoreTypes.windowStore()));
        final ReadOnlyWindowStore<String, FailedRecipient> failed = streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.CAMPAIGN_FAILED, QueryableStoreTypes.windowStore()));
        final ReadOnlyKeyValueStore<LatencyKey, Long> latency = streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.CAMPAIGN_LATENCY, QueryableStoreTypes.keyValueStore()));
        for (final String m : CAMPAIGNS) {
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
        final List<ReadOnlyWindowStore<String, PersonMessage>> people = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            people.add(streams.store(StoreQueryParameters.fromNameAndType(StoreNames.PERSON_HISTORY,
                    QueryableStoreTypes.<String, PersonMessage>windowStore()).withPartition(partition)));
        }
        for (final Map.Entry<String, List<String>> person : expected.people.entrySet()) {
            final List<String> lines = new ArrayList<>();
            for (final ReadOnlyWindowStore<String, PersonMessage> store : people) {
                try (KeyValueIterator<org.apache.kafka.streams.kstream.Windowed<String>, PersonMessage> it = store.fetch(
                        PersonHistoryKeys.first(person.getKey()), PersonHistoryKeys.last(person.getKey()), Instant.EPOCH,
                        Instant.ofEpochMilli(Long.MAX_VALUE))) {
                    it.forEachRemaining(kv -> {
                        final PersonMessage msg = kv.value;
                        lines.add(msg.smsId() + "|" + msg.messageId() + "|" + msg.dispatchedAt() + "|" + msg.status() + "|"
                                + (msg.finalAt() == null ? "-" : msg.finalAt()) + "|" + msg.failReason());
                    });
                }
            }
            lines.sort(null);
            assertThat(lines).as("messages of %s", person.getKey()).isEqualTo(person.getValue());
        }

        long orphans = 0;
        for (int partition = 0; partition < partitions; partition++) {
            final ReadOnlyKeyValueStore<String, Long> meta = streams.store(StoreQueryParameters.fromNameAndType(
                    StoreNames.LIFECYCLE_META, QueryableStoreTypes.<String, Long>keyValueStore()).withPartition(partition));
            final Long n = meta.get(LifecycleProcessor.ORPHAN_RECEIPTS_KEY);
            orphans += n == null ? 0 : n;
        }
        assertThat(orphans).as("orphan receipts").isEqualTo(expected.orphans);
    }

    /**
     * Whether an instance that owns every task has nothing in flight, by cheap probes only (metrics and a few store
     * reads, no comparison): RUNNING; its main consumer's every partition (inputs and repartition topics) at lag 0 as of
     * its last fetch; no transition waiting for the next delta flush; nothing parked by a stalled decode or for the
     * alerts. A flush or a commit can be on its way between two probes: ask twice, a few commit intervals apart
     * ({@link #awaitSettled}).
     */
    public static boolean settled(final Verifier verifier) {
        final KafkaStreams streams = verifier.streams();
        if (streams.state() != KafkaStreams.State.RUNNING || verifier.restoring() != null) {
            return false;
        }
        int partitions = 0;
        for (final Map.Entry<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> metric
                : streams.metrics().entrySet()) {
            final org.apache.kafka.common.MetricName name = metric.getKey();
            final String client = name.tags().getOrDefault("client-id", "");
            if (!"records-lag".equals(name.name()) || !name.tags().containsKey("partition") || !client.endsWith("-consumer")
                    || client.endsWith("restore-consumer")) {
                continue;
            }
            partitions++;
            if (!(metric.getValue().metricValue() instanceof Number lag) || Double.isNaN(lag.doubleValue()) || lag.doubleValue() > 0) {
                return false;
            }
        }
        return partitions > 0 && isEmpty(streams, StoreNames.PENDING_TRANSITIONS) && isEmpty(streams, StoreNames.DECODE_BACKLOG_SMS)
                && isEmpty(streams, StoreNames.DECODE_BACKLOG_CAMPAIGNS) && isEmpty(streams, StoreNames.ALERT_BACKLOG);
    }

    /** Waits until {@link #settled} holds twice in a row, {@code apart} apart (a few commit intervals). */
    public static void awaitSettled(final Verifier streams, final Duration atMost, final Duration apart) {
        final long[] settledSince = {0};
        io.smsreports.testing.Poll.until("nothing left in flight", atMost, apart, () -> {
            if (!settled(streams)) {
                settledSince[0] = 0;
                return false;
            }
            if (settledSince[0] == 0) {
                settledSince[0] = System.nanoTime();
                return false;
            }
            return true;
        }, org.apache.kafka.streams.errors.InvalidStateStoreException.class);
    }

    private static boolean isEmpty(final KafkaStreams streams, final String store) {
        final ReadOnlyKeyValueStore<Object, Object> kv = streams.store(StoreQueryParameters.fromNameAndType(store,
                QueryableStoreTypes.keyValueStore()));
        try (KeyValueIterator<Object, Object> it = kv.all()) {
            return !it.hasNext();
        }
    }

    // ---- Kafka plumbing ----

    /** Produces every input (acks=all, idempotent), waiting for each acknowledgement. */
    public static void produce(final String bootstrap, final String registryUrl, final List<Input> inputs) {
        produce(bootstrap, registryUrl, inputs, 0, new AtomicBoolean(true));
    }

    /**
     * Produces the inputs at about {@code perSecond} records a second (0: as fast as possible), while {@code keepGoing}
     * holds; the producer's own registry client has the schemas cached after the first record of each topic, as a
     * long-running sender's would.
     */
    public static void produce(final String bootstrap, final String registryUrl, final List<Input> inputs, final int perSecond,
            final AtomicBoolean keepGoing) {
        final Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000, AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        final SpecificAvroSerializer<SpecificRecord> avro = new SpecificAvroSerializer<>();
        avro.configure(config, false);
        final List<Future<?>> sent = new ArrayList<>(inputs.size());
        final long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < inputs.size() && keepGoing.get(); i++) {
                final Input input = inputs.get(i);
                final byte[] value = input.value instanceof byte[] raw ? raw : avro.serialize(input.topic, (SpecificRecord) input.value);
                sent.add(producer.send(new ProducerRecord<>(input.topic, null, input.timestamp, input.key, value)));
                if (perSecond > 0 && i % 100 == 0) {
                    // A steady pace. The order between partitions does not matter (rule 13: the model takes each input in
                    // its own order, and the pipeline's watermark waits for the slower input); within a partition the
                    // idempotent producer keeps it.
                    producer.flush();
                    final long due = started + i * 1_000_000_000L / perSecond;
                    final long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
            producer.flush();
            for (final Future<?> future : sent) {
                future.get(); // any rejected record fails the test here
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("producing the dataset failed", e);
        }
        avro.close();
    }

    /**
     * Whether consumer group {@code group} (a Kafka Streams application id) has committed every record of the inputs:
     * its offsets on each partition of {@code topics}' dispatches and receipts at their end offsets.
     */
    public static boolean consumedAll(final String bootstrap, final String group, final Topics topics, final int partitions)
            throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            final List<TopicPartition> inputs = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                inputs.add(new TopicPartition(topics.dispatches(), p));
                inputs.add(new TopicPartition(topics.receipts(), p));
            }
            final var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            final var ends = admin.listOffsets(inputs.stream().collect(java.util.stream.Collectors.toMap(tp -> tp,
                    tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get();
            return inputs.stream().allMatch(tp -> committed.get(tp) != null && committed.get(tp).offset() >= ends.get(tp).offset());
        }
    }

    /** Records in a topic, read_committed. */
    public static int count(final String bootstrap, final String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
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
    public static final class DeliveredWatcher implements AutoCloseable {
        private final Map<String, List<String>> events = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private volatile int count;

        public DeliveredWatcher(final String bootstrap, final String registryUrl, final String topic) {
            final SpecificAvroDeserializer<SmsDelivered> deserializer = new SpecificAvroDeserializer<>(SmsDelivered.class);
            deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
            final KafkaConsumer<String, SmsDelivered> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), deserializer);
            final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            thread = new Thread(() -> {
                try (consumer) {
                    while (running.get()) {
                        final org.apache.kafka.clients.consumer.ConsumerRecords<String, SmsDelivered> records;
                        try {
                            records = consumer.poll(Duration.ofMillis(100));
                        } catch (RuntimeException e) {
                            // A broker restart or a slow metadata update must not stop the count: say so and go on.
                            org.slf4j.LoggerFactory.getLogger(DeliveredWatcher.class).warn("Reading {} failed, retrying: {}", topic, e.toString());
                            sleepQuietly(500);
                            continue;
                        }
                        for (final ConsumerRecord<String, SmsDelivered> record : records) {
                            final SmsDelivered d = record.value();
                            events.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.key() + "|" + d.getMessageId() + "|"
                                    + d.getPlatform() + "|" + d.getDispatchedAt().toEpochMilli() + "|" + d.getDeliveredAt().toEpochMilli()
                                    + "|" + d.getLatencyMs());
                            count++;
                        }
                    }
                }
            }, "delivered-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        public int count() {
            return count;
        }

        private static void sleepQuietly(final long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        public List<String> all() {
            return events.values().stream().flatMap(List::stream).collect(Collectors.toList());
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
