package io.smsreports.topology;

import io.smsreports.events.Campaign;
import io.smsreports.events.CampaignStatus;
import io.smsreports.events.DeliveryAlert;
import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.MessageType;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SendMethod;
import io.smsreports.events.SmsDelivered;
import io.smsreports.events.SmsDispatched;
import io.smsreports.events.Topics;
import io.smsreports.lifecycle.PersonIds;
import io.smsreports.registry.MockSchemaRegistry;
import io.smsreports.registry.SchemaRegistryClient;
import io.smsreports.reporting.CampaignStats;
import io.smsreports.reporting.FailedRecipient;
import io.smsreports.reporting.HourlyCounts;
import io.smsreports.reporting.PersonMessage;
import io.smsreports.reporting.PersonProfile;
import io.smsreports.reporting.PlatformCounts;
import io.smsreports.serde.SpecificAvroSerializer;
import io.smsreports.state.LatencyKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The whole topology in a {@link TopologyTestDriver}, with typed inputs, outputs and store readers. Record
 * timestamps are the event times (dispatchedAt, receivedAt), as a producer using create time would give.
 */
final class TopologyFixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");
    static final Topics TOPICS = Topics.defaults();
    private static final Instant END_OF_TIME = Instant.ofEpochMilli(Long.MAX_VALUE);

    final TopologySettings settings;
    final TopologyTestDriver driver;
    final TestInputTopic<String, SmsDispatched> dispatches;
    final TestInputTopic<String, DeliveryReceipt> receipts;
    final TestInputTopic<String, Campaign> campaigns;
    final TestInputTopic<String, io.smsreports.events.SmsNotSent> notSent;
    final TestInputTopic<String, io.smsreports.events.SmsLinkClicked> clicks;
    final TestInputTopic<String, io.smsreports.events.SmsInbound> inbound;
    final TestInputTopic<byte[], byte[]> rawDispatches;
    final TestInputTopic<byte[], byte[]> rawReceipts;
    final TestInputTopic<byte[], byte[]> rawCampaigns;
    final TestOutputTopic<String, SmsDelivered> delivered;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final TestOutputTopic<String, DeliveryAlert> alerts;
    private final String scope;
    private final Path stateDir;
    final PipelineMonitor monitor;

    TopologyFixture() {
        this(settings());
    }

    /**
     * DESIGN's defaults, except that the tests' event times, days or weeks after the driver's wall clock ({@link #T0}),
     * are believed: rule 12's own tests set the real bound.
     */
    static TopologySettings settings() {
        return TopologySettings.defaults(TOPICS, 1).withAllowedClockSkew(Duration.ofDays(400)).withAggregationInterval(Duration.ofMillis(1));
    }

    /**
     * Lets the SMS tasks send what they summed per campaign to the campaign stores (the two-phase aggregation runs
     * on the wall clock), as a reader of the campaign stores would see after one commit. With the fixture's 1 ms
     * interval this moves the wall clock by next to nothing.
     */
    void settle() {
        driver.advanceWallClockTime(settings.aggregationInterval());
    }

    TopologyFixture(final TopologySettings settings) {
        this(settings, T0);
    }

    TopologyFixture(final TopologySettings settings, final Instant initialWallClock) {
        this(settings, initialWallClock, UnaryOperator.identity(), "topology-" + UUID.randomUUID(), null);
    }

    /**
     * @param pipelineRegistry wraps the registry client the pipeline decodes with (producers use the plain one)
     * @param scope            the mock registry scope (reuse one to restart over the same schemas)
     * @param stateDir         the state directory (reuse one to restart over the same state), or null for a new one
     */
    TopologyFixture(final TopologySettings settings, final Instant initialWallClock,
            final UnaryOperator<SchemaRegistryClient> pipelineRegistry, final String scope, final Path stateDir) {
        this.settings = settings;
        this.scope = scope;
        this.monitor = PipelineMonitor.synchronous();
        final SchemaRegistryClient registry = MockSchemaRegistry.clientForScope(scope);
        final EventSerdes serdes = EventSerdes.using(pipelineRegistry.apply(registry));
        try {
            this.stateDir = stateDir != null ? stateDir : Files.createTempDirectory("ttd-state-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "sms-reports-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, this.stateDir.toString());
        driver = new TopologyTestDriver(SmsReportsTopology.build(settings, serdes, monitor), props, initialWallClock);
        // Producers (the sender, the gateways) register their schemas; the pipeline only looks them up.
        dispatches = driver.createInputTopic(TOPICS.dispatches(), new StringSerializer(), new SpecificAvroSerializer<>(registry, true));
        receipts = driver.createInputTopic(TOPICS.receipts(), new StringSerializer(), new SpecificAvroSerializer<>(registry, true));
        campaigns = driver.createInputTopic(TOPICS.campaigns(), new StringSerializer(), new SpecificAvroSerializer<>(registry, true));
        notSent = driver.createInputTopic(TOPICS.notSent(), new StringSerializer(), new SpecificAvroSerializer<>(registry, true));
        clicks = driver.createInputTopic(TOPICS.clicks(), new StringSerializer(), new SpecificAvroSerializer<>(registry, true));
        inbound = driver.createInputTopic(TOPICS.inbound(), new StringSerializer(), new SpecificAvroSerializer<>(registry, true));
        rawDispatches = driver.createInputTopic(TOPICS.dispatches(), new ByteArraySerializer(), new ByteArraySerializer());
        rawReceipts = driver.createInputTopic(TOPICS.receipts(), new ByteArraySerializer(), new ByteArraySerializer());
        rawCampaigns = driver.createInputTopic(TOPICS.campaigns(), new ByteArraySerializer(), new ByteArraySerializer());
        delivered = driver.createOutputTopic(TOPICS.delivered(), new StringDeserializer(), serdes.delivered().deserializer());
        deadLetters = driver.createOutputTopic(TOPICS.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        alerts = driver.createOutputTopic(TOPICS.alerts(), new StringDeserializer(), serdes.alerts().deserializer());
    }

    Path stateDir() {
        return stateDir;
    }

    /** Closes the driver (stores flushed) and keeps the state directory and registry scope, to start another over them. */
    void closeKeepingState() {
        driver.close();
    }

    /** The mock registry scope of this fixture. */
    String scope() {
        return scope;
    }

    // ---- inputs ----

    static SmsDispatched dispatch(final String smsId, final String messageId, final String platform, final Instant at) {
        return SmsDispatched.newBuilder().setSmsId(smsId).setMessageId(messageId).setMsisdn("+9055500" + Math.abs(smsId.hashCode() % 100000))
                .setExternalId("user-" + smsId).setEmail(null).setPlatform(platform).setProvider("acme").setCountry("TR")
                .setOperator(null).setSegments(1).setDispatchedAt(at).build();
    }

    static DeliveryReceipt receipt(final String smsId, final ReceiptStatus status, final Instant doneAt, final Instant receivedAt) {
        final boolean failure = status != ReceiptStatus.DELIVERED && status != ReceiptStatus.ACCEPTED && status != ReceiptStatus.ENROUTE;
        return DeliveryReceipt.newBuilder().setSmsId(smsId).setProvider("acme").setStatus(status).setProviderStatus(status.name())
                .setErrorCode(failure ? "E" + status.ordinal() : null).setFailReason(failure ? "reason " + status : null)
                .setDoneAt(doneAt).setReceivedAt(receivedAt).build();
    }

    static Campaign campaign(final String messageId, final long targetAudience) {
        return Campaign.newBuilder().setMessageId(messageId).setName("Campaign " + messageId).setMessageType(MessageType.CAMPAIGN)
                .setText("Hello").setCreator("ops").setMethod(SendMethod.BROADCAST).setStatus(CampaignStatus.SENDING)
                .setCreatedAt(T0).setStartedAt(T0).setEndedAt(null).setTargetAudience(targetAudience).build();
    }

    void pipe(final SmsDispatched dispatch) {
        dispatches.pipeInput(dispatch.getSmsId(), dispatch, dispatch.getDispatchedAt());
    }

    void pipe(final DeliveryReceipt receipt) {
        receipts.pipeInput(receipt.getSmsId(), receipt, receipt.getReceivedAt());
    }

    /** A recipient of {@code messageId} the sender did not send to, for {@code reason}, decided at {@code at}. */
    static io.smsreports.events.SmsNotSent notSent(final String smsId, final String messageId, final String platform,
            final io.smsreports.events.NotSentReason reason, final Instant at) {
        return io.smsreports.events.SmsNotSent.newBuilder().setSmsId(smsId).setMessageId(messageId)
                .setMsisdn("+9055500" + Math.abs(smsId.hashCode() % 100000)).setExternalId("user-" + smsId).setPlatform(platform)
                .setCountry("TR").setOperator("286-01").setReason(reason).setDecidedAt(at).build();
    }

    void pipe(final io.smsreports.events.SmsNotSent decision) {
        notSent.pipeInput(decision.getSmsId(), decision, decision.getDecidedAt());
    }

    /** A click on link {@code linkId} of {@code smsId}. */
    static io.smsreports.events.SmsLinkClicked click(final String clickId, final String smsId, final String linkId, final boolean bot,
            final Instant at) {
        return io.smsreports.events.SmsLinkClicked.newBuilder().setClickId(clickId).setSmsId(smsId).setLinkId(linkId)
                .setUrl("https://ex.co/" + linkId).setClickedAt(at).setUserAgent(bot ? "facebookexternalhit/1.1" : "Mozilla/5.0")
                .setBot(bot).build();
    }

    void pipe(final io.smsreports.events.SmsLinkClicked click) {
        clicks.pipeInput(click.getSmsId(), click, click.getClickedAt());
    }

    /** A message {@code msisdn} sent back (rule 17), received at {@code at}. */
    static io.smsreports.events.SmsInbound inbound(final String inboundId, final String msisdn, final String body, final Instant at) {
        return io.smsreports.events.SmsInbound.newBuilder().setInboundId(inboundId).setMsisdn(msisdn).setTo("4545").setBody(body)
                .setReceivedAt(at).setProvider("acme").build();
    }

    void pipe(final io.smsreports.events.SmsInbound message) {
        inbound.pipeInput(message.getMsisdn(), message, message.getReceivedAt());
    }

    /** Inbound messages that answer no SMS (rule 17), over the replies task. */
    long unattributedReplies() {
        final Long n = driver.<String, Long>getKeyValueStore(StoreNames.REPLY_META).get(ReplyProcessor.UNATTRIBUTED_KEY);
        return n == null ? 0 : n;
    }

    /** The replies kept in the person's history (person id tel:msisdn), by inboundId. */
    java.util.Map<String, io.smsreports.replies.PersonReply> personReplies(final String msisdn) {
        final java.util.Map<String, io.smsreports.replies.PersonReply> replies = new java.util.TreeMap<>();
        final org.apache.kafka.streams.state.WindowStore<String, io.smsreports.replies.PersonReply> store =
                driver.getWindowStore(StoreNames.PERSON_REPLIES);
        final String person = io.smsreports.lifecycle.PersonIds.forMsisdn(msisdn);
        try (var it = store.fetch(PersonHistoryKeys.first(person), PersonHistoryKeys.last(person), Instant.EPOCH,
                Instant.ofEpochMilli(Long.MAX_VALUE))) {
            it.forEachRemaining(kv -> replies.put(kv.value.inboundId(), kv.value));
        }
        return replies;
    }

    void pipe(final Campaign campaign) {
        campaigns.pipeInput(campaign.getMessageId(), campaign, campaign.getCreatedAt());
    }

    /** Sends the SMS and a receipt done at {@code doneAt}, received a second later. */
    void sendAndReceipt(final String smsId, final String messageId, final String platform, final Instant at,
            final ReceiptStatus status, final Instant doneAt) {
        pipe(dispatch(smsId, messageId, platform, at));
        pipe(receipt(smsId, status, doneAt, doneAt.plusSeconds(1)));
    }

    /** Fires the wall-clock punctuations (expiry scans) over {@code duration}, one interval at a time. */
    void advanceWallClock(final Duration duration) {
        final Duration step = settings.expiryScanInterval();
        for (Duration done = Duration.ZERO; done.compareTo(duration) < 0; done = done.plus(step)) {
            driver.advanceWallClockTime(step);
        }
    }

    /** A campaign that only exists to move stream time; no test looks at its counts. */
    static final String CLOCK_CAMPAIGN = "clock-campaign";

    /**
     * Moves the watermark to {@code at} (rule 13: both inputs must reach it) with a dispatch of {@link #CLOCK_CAMPAIGN}
     * and an intermediate receipt for it (it counts nothing), then punctuates.
     */
    void advanceStreamTimeTo(final Instant at) {
        final String smsId = "clock-tick-" + at.toEpochMilli();
        pipe(dispatch(smsId, CLOCK_CAMPAIGN, "web", at));
        pipe(receipt(smsId, ReceiptStatus.ACCEPTED, null, at));
        driver.advanceWallClockTime(settings.expiryScanInterval());
    }

    /** Clicks for smsIds never dispatched, summed over the lifecycle task (rule 16). */
    long orphanClicks() {
        final KeyValueStore<String, Long> meta = driver.getKeyValueStore(StoreNames.LIFECYCLE_META);
        final Long n = meta.get(LifecycleProcessor.ORPHAN_CLICKS_KEY);
        return n == null ? 0 : n;
    }

    /** The campaign's rows of recipients not sent to (rule 14): smsId → reason, as the export reads them. */
    Map<String, String> notSentRows(final String messageId) {
        settle();
        final WindowStore<String, io.smsreports.reporting.NotSentRecipient> store = driver.getWindowStore(StoreNames.CAMPAIGN_NOT_SENT);
        final Map<String, String> rows = new TreeMap<>();
        final String prefix = CampaignKeys.prefix(messageId);
        try (var it = store.fetch(prefix, prefix + '\uffff', Instant.EPOCH, END_OF_TIME)) {
            it.forEachRemaining(kv -> rows.put(kv.value.smsId(), kv.value.reason()));
        }
        return rows;
    }

    // ---- stores ----

    PlatformCounts totals(final String messageId) {
        final CampaignStats stats = stats(messageId);
        return stats == null ? PlatformCounts.ZERO : stats.totals();
    }

    CampaignStats stats(final String messageId) {
        settle();
        final KeyValueStore<String, CampaignStats> store = driver.getKeyValueStore(StoreNames.CAMPAIGN_STATS);
        return store.get(messageId);
    }

    Campaign campaignMetadata(final String messageId) {
        final KeyValueStore<String, Campaign> store = driver.getKeyValueStore(StoreNames.CAMPAIGNS);
        return store.get(messageId);
    }

    /** Hour start → counts of one campaign. */
    Map<Instant, HourlyCounts> hourly(final String messageId) {
        settle();
        final WindowStore<String, HourlyCounts> store = driver.getWindowStore(StoreNames.CAMPAIGN_HOURLY);
        final Map<Instant, HourlyCounts> hours = new TreeMap<>();
        try (WindowStoreIterator<HourlyCounts> it = store.fetch(messageId, Instant.EPOCH, END_OF_TIME)) {
            it.forEachRemaining(kv -> hours.put(Instant.ofEpochMilli(kv.key), kv.value));
        }
        return hours;
    }

    List<FailedRecipient> failed(final String messageId) {
        settle();
        final WindowStore<String, FailedRecipient> store = driver.getWindowStore(StoreNames.CAMPAIGN_FAILED);
        final List<FailedRecipient> failed = new ArrayList<>();
        try (WindowStoreIterator<FailedRecipient> it = store.fetch(messageId, Instant.EPOCH, END_OF_TIME)) {
            it.forEachRemaining(kv -> failed.add(kv.value));
        }
        return failed;
    }

    List<io.smsreports.reporting.DeliveredRecord> deliveredRecords(final String messageId) {
        settle();
        final WindowStore<String, io.smsreports.reporting.DeliveredRecord> store = driver.getWindowStore(StoreNames.CAMPAIGN_DELIVERED);
        final List<io.smsreports.reporting.DeliveredRecord> records = new ArrayList<>();
        try (WindowStoreIterator<io.smsreports.reporting.DeliveredRecord> it = store.fetch(messageId, Instant.EPOCH, END_OF_TIME)) {
            it.forEachRemaining(kv -> records.add(kv.value));
        }
        return records;
    }

    /** Row key → row of one campaign's breakdown by {@code dimension}. */
    Map<String, io.smsreports.reporting.BreakdownRow> breakdown(final String messageId, final io.smsreports.reporting.Dimension dimension) {
        settle();
        final KeyValueStore<String, io.smsreports.reporting.BreakdownRow> store = driver.getKeyValueStore(StoreNames.CAMPAIGN_BREAKDOWN);
        final Map<String, io.smsreports.reporting.BreakdownRow> rows = new TreeMap<>();
        try (KeyValueIterator<String, io.smsreports.reporting.BreakdownRow> it = store.prefixScan(CampaignKeys.prefix(messageId, dimension),
                new StringSerializer())) {
            it.forEachRemaining(kv -> rows.put(CampaignKeys.breakdownRowOf(kv.key), kv.value));
        }
        return rows;
    }

    /** Route → dispatch hour (ms) → row of the route scorecard, every hour kept. */
    Map<String, Map<Long, io.smsreports.reporting.BreakdownRow>> routes() {
        return routes(Instant.EPOCH, END_OF_TIME);
    }

    /** Route → dispatch hour (ms) → row of the route scorecard, the hours starting in [from, to]. */
    Map<String, Map<Long, io.smsreports.reporting.BreakdownRow>> routes(final Instant from, final Instant to) {
        settle();
        final WindowStore<String, io.smsreports.reporting.BreakdownRow> store = driver.getWindowStore(StoreNames.ROUTE_HOURLY);
        final Map<String, Map<Long, io.smsreports.reporting.BreakdownRow>> rows = new TreeMap<>();
        try (KeyValueIterator<org.apache.kafka.streams.kstream.Windowed<String>, io.smsreports.reporting.BreakdownRow> it =
                store.fetchAll(from, to)) {
            it.forEachRemaining(kv -> rows.computeIfAbsent(kv.key.key(), r -> new TreeMap<>()).put(kv.key.window().start(), kv.value));
        }
        return rows;
    }

    /** Bucket → count of one campaign's latency distribution. */
    Map<Integer, Long> latencyBuckets(final String messageId) {
        settle();
        final KeyValueStore<LatencyKey, Long> store = driver.getKeyValueStore(StoreNames.CAMPAIGN_LATENCY);
        final Map<Integer, Long> buckets = new TreeMap<>();
        try (KeyValueIterator<LatencyKey, Long> it = store.prefixScan(messageId, LatencyKey.PREFIX_SERIALIZER)) {
            it.forEachRemaining(kv -> buckets.put(kv.key.bucket(), kv.value));
        }
        return buckets;
    }

    List<PersonMessage> personMessages(final String personId) {
        final WindowStore<String, PersonMessage> store = driver.getWindowStore(StoreNames.PERSON_HISTORY);
        final List<PersonMessage> messages = new ArrayList<>();
        try (KeyValueIterator<org.apache.kafka.streams.kstream.Windowed<String>, PersonMessage> it = store.fetch(
                PersonHistoryKeys.first(personId), PersonHistoryKeys.last(personId), Instant.EPOCH, END_OF_TIME)) {
            it.forEachRemaining(kv -> messages.add(kv.value));
        }
        return messages;
    }

    /** The latest profile under a lookup key ({@code ext:}, {@code tel:} or {@code email:}). */
    PersonProfile person(final String lookupKey) {
        final WindowStore<String, PersonProfile> store = driver.getWindowStore(StoreNames.PEOPLE);
        PersonProfile latest = null;
        try (WindowStoreIterator<PersonProfile> it = store.fetch(lookupKey, Instant.EPOCH, END_OF_TIME)) {
            while (it.hasNext()) {
                latest = it.next().value;
            }
        }
        return latest;
    }

    static String personOf(final SmsDispatched dispatch) {
        return PersonIds.of(dispatch.getExternalId(), dispatch.getMsisdn());
    }

    long orphanReceipts() {
        final KeyValueStore<String, Long> store = driver.getKeyValueStore(StoreNames.LIFECYCLE_META);
        final Long orphans = store.get(LifecycleProcessor.ORPHAN_RECEIPTS_KEY);
        return orphans == null ? 0 : orphans;
    }

    /** The lifecycle task's watermark (rule 13), as committed with its state; Long.MIN_VALUE before any. */
    long watermark() {
        final Long watermark = driver.<String, Long>getKeyValueStore(StoreNames.LIFECYCLE_META).get(LifecycleProcessor.WATERMARK_KEY);
        return watermark == null ? Long.MIN_VALUE : watermark;
    }

    /** Inputs ignored as older than the SMS retention (rule 13). */
    long staleInputs() {
        final Long stale = driver.<String, Long>getKeyValueStore(StoreNames.LIFECYCLE_META).get(LifecycleProcessor.STALE_INPUTS_KEY);
        return stale == null ? 0 : stale;
    }

    long clampedTimes() {
        final KeyValueStore<String, Long> store = driver.getKeyValueStore(StoreNames.LIFECYCLE_META);
        final Long clamped = store.get(LifecycleProcessor.CLAMPED_TIMES_KEY);
        return clamped == null ? 0 : clamped;
    }

    long liveSmsStates() {
        return count(StoreNames.SMS_STATE);
    }

    long indexEntries() {
        return count(StoreNames.EXPIRY_INDEX);
    }

    private long count(final String storeName) {
        final KeyValueStore<?, ?> store = driver.getKeyValueStore(storeName);
        long n = 0;
        try (KeyValueIterator<?, ?> it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    List<KeyValue<String, SmsDelivered>> drainDelivered() {
        return delivered.readKeyValuesToList();
    }

    @Override
    public void close() {
        driver.close();
        MockSchemaRegistry.dropScope(scope);
        try (var paths = Files.walk(stateDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // best effort: a temp directory
        }
    }
}
