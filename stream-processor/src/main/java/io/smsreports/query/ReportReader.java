package io.smsreports.query;

import io.smsreports.alerting.Alert;
import io.smsreports.events.Campaign;
import io.smsreports.reporting.BreakdownRow;
import io.smsreports.reporting.CampaignStats;
import io.smsreports.reporting.DeliveredRecord;
import io.smsreports.reporting.Dimension;
import io.smsreports.reporting.FailedRecipient;
import io.smsreports.reporting.NotSentRecipient;
import io.smsreports.reporting.FailureKey;
import io.smsreports.reporting.HourlyCounts;
import io.smsreports.reporting.PersonMessage;
import io.smsreports.replies.PersonReply;
import io.smsreports.topology.ReplyProcessor;
import io.smsreports.reporting.PersonMessages;
import io.smsreports.reporting.PersonProfile;
import io.smsreports.state.CampaignOrderKeys;
import io.smsreports.state.LatencyKey;
import io.smsreports.topology.CampaignKeys;
import io.smsreports.topology.LifecycleProcessor;
import io.smsreports.topology.PersonHistoryKeys;
import io.smsreports.topology.PipelineMonitor;
import io.smsreports.topology.QueryableStores;
import io.smsreports.topology.StoreNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The read facade over this instance's share of the pipeline's state: everything the query side reads, as domain
 * records. Store names, key layouts and per-task counters stay behind it.
 *
 * <p>Campaign state is keyed by messageId, so a campaign is in one partition of the reporting tasks (the caller routes
 * to its owner first, {@link Cluster}). Person state lives in the lifecycle tasks, keyed by smsId, so one person's
 * data is spread over partitions: those reads go through every local partition one by one. A partition that is
 * assigned here but not queryable (restoring, moving) makes a read fail with {@link StateUnavailableException}, never a
 * wrong "not found".
 */
public final class ReportReader {

    private static final Instant END_OF_TIME = Instant.ofEpochMilli(Long.MAX_VALUE);

    private final KafkaStreams streams;
    private final QueryableStores queryable;
    private final Cluster cluster;
    private final String lifecycleTopic;
    private final String receiptsTopic;
    private final String reportingTopic;
    private final String routesTopic;
    private final String repliesTopic;

    /**
     * @param lifecycleTopic the dispatches topic (its partitions are the lifecycle tasks')
     * @param receiptsTopic  the receipts topic (the lifecycle tasks' other input)
     * @param applicationId  the application id (the reporting tasks read its repartition topic)
     */
    public ReportReader(final KafkaStreams streams, final QueryableStores queryable, final Cluster cluster, final String lifecycleTopic,
            final String receiptsTopic, final String applicationId) {
        this.streams = streams;
        this.queryable = queryable;
        this.cluster = cluster;
        this.lifecycleTopic = lifecycleTopic;
        this.receiptsTopic = receiptsTopic;
        this.reportingTopic = Cluster.repartitionTopic(applicationId, StoreNames.REPARTITION_SMS);
        this.routesTopic = Cluster.repartitionTopic(applicationId, StoreNames.REPARTITION_ROUTES);
        this.repliesTopic = Cluster.repartitionTopic(applicationId, StoreNames.REPARTITION_REPLY_SENDS);
    }

    // ---- campaigns (at the campaign's owner) ----

    /** The campaign's metadata, or null when none arrived. */
    public Campaign campaign(final String messageId) {
        return readCampaign(StoreNames.CAMPAIGNS, QueryableStoreTypes.<String, Campaign>keyValueStore(), messageId,
                store -> store.get(messageId));
    }

    /** The campaign's counts, or null when no SMS of it was counted. */
    public CampaignStats stats(final String messageId) {
        return readCampaign(StoreNames.CAMPAIGN_STATS, QueryableStoreTypes.<String, CampaignStats>keyValueStore(), messageId,
                store -> store.get(messageId));
    }

    /** Whether the campaign is known here (metadata or counts). */
    public boolean knows(final String messageId) {
        return campaign(messageId) != null || stats(messageId) != null;
    }

    /** The campaign's delivery-latency histogram: bucket → Delivered SMS. */
    public SortedMap<Integer, Long> latency(final String messageId) {
        return readCampaign(StoreNames.CAMPAIGN_LATENCY, QueryableStoreTypes.<LatencyKey, Long>keyValueStore(), messageId, store -> {
            final SortedMap<Integer, Long> buckets = new TreeMap<>();
            try (KeyValueIterator<LatencyKey, Long> it = store.prefixScan(messageId, LatencyKey.PREFIX_SERIALIZER)) {
                it.forEachRemaining(kv -> buckets.put(kv.key.bucket(), kv.value));
            }
            return buckets;
        });
    }

    /** The campaign's rows of one breakdown, by row key. */
    public SortedMap<String, BreakdownRow> breakdown(final String messageId, final Dimension dimension) {
        return readCampaign(StoreNames.CAMPAIGN_BREAKDOWN, QueryableStoreTypes.<String, BreakdownRow>keyValueStore(), messageId, store -> {
            final SortedMap<String, BreakdownRow> rows = new TreeMap<>();
            try (KeyValueIterator<String, BreakdownRow> it = store.prefixScan(CampaignKeys.prefix(messageId, dimension),
                    new StringSerializer())) {
                it.forEachRemaining(kv -> rows.put(CampaignKeys.breakdownRowOf(kv.key), kv.value));
            }
            return rows;
        });
    }

    /** The campaign's Failed SMS per failure key (status, error code, provider, operator). */
    public Map<FailureKey, Long> failures(final String messageId) {
        return readCampaign(StoreNames.CAMPAIGN_FAILURES, QueryableStoreTypes.<String, Long>keyValueStore(), messageId, store -> {
            final Map<FailureKey, Long> counts = new LinkedHashMap<>();
            try (KeyValueIterator<String, Long> it = store.prefixScan(CampaignKeys.prefix(messageId), new StringSerializer())) {
                it.forEachRemaining(kv -> counts.put(FailureKey.parse(CampaignKeys.rowKeyOf(kv.key)), kv.value));
            }
            return counts;
        });
    }

    /** The campaign's counts per UTC hour in [from, to], in time order. */
    public void hourly(final String messageId, final Instant from, final Instant to, final BiConsumer<Instant, HourlyCounts> sink) {
        readCampaign(StoreNames.CAMPAIGN_HOURLY, QueryableStoreTypes.<String, HourlyCounts>windowStore(), messageId, store -> {
            try (WindowStoreIterator<HourlyCounts> it = store.fetch(messageId, from, to)) {
                it.forEachRemaining(kv -> sink.accept(Instant.ofEpochMilli(kv.key), kv.value));
            }
            return null;
        });
    }

    /** The campaign's failed recipients from {@code from} on, in the order they failed, while {@code sink} asks for more. */
    public void failed(final String messageId, final Instant from, final Predicate<FailedRecipient> sink) {
        readCampaign(StoreNames.CAMPAIGN_FAILED, QueryableStoreTypes.<String, FailedRecipient>windowStore(), messageId, store -> {
            try (WindowStoreIterator<FailedRecipient> it = store.fetch(messageId, from, END_OF_TIME)) {
                while (it.hasNext() && sink.test(it.next().value)) {
                    // the sink takes rows until it has enough
                }
            }
            return null;
        });
    }

    /** Every recipient of the campaign not sent to (rule 14), in smsId order. */
    public void notSent(final String messageId, final Consumer<NotSentRecipient> sink) {
        final String prefix = io.smsreports.topology.CampaignKeys.prefix(messageId);
        readCampaign(StoreNames.CAMPAIGN_NOT_SENT, QueryableStoreTypes.<String, NotSentRecipient>windowStore(), messageId, store -> {
            try (var it = store.fetch(prefix, prefix + '\uffff', Instant.EPOCH, END_OF_TIME)) {
                it.forEachRemaining(kv -> sink.accept(kv.value));
            }
            return null;
        });
    }

    /** Every SMS Delivered row of the campaign, in delivery order. */
    public void delivered(final String messageId, final Consumer<DeliveredRecord> sink) {
        readCampaign(StoreNames.CAMPAIGN_DELIVERED, QueryableStoreTypes.<String, DeliveredRecord>windowStore(), messageId, store -> {
            try (WindowStoreIterator<DeliveredRecord> it = store.fetch(messageId, Instant.EPOCH, END_OF_TIME)) {
                it.forEachRemaining(kv -> sink.accept(kv.value));
            }
            return null;
        });
    }

    /**
     * The next {@code limit} campaigns held here after {@code after} (null: from the start), newest first: a range scan
     * of each local partition's order index, never a read of every campaign.
     */
    public List<CampaignOrder> campaignOrder(final CampaignOrder after, final int limit) {
        final TreeSet<CampaignOrder> ordered = new TreeSet<>();
        final Bytes from = after == null ? Bytes.wrap(new byte[1])
                : CampaignOrderKeys.after(CampaignOrderKeys.of(after.createdAt(), after.messageId()));
        for (final int partition : cluster.assignedPartitions(reportingTopic)) {
            final ReadOnlyKeyValueStore<Bytes, byte[]> index = partitionStore(StoreNames.CAMPAIGN_ORDER,
                    QueryableStoreTypes.<Bytes, byte[]>keyValueStore(), partition);
            try (KeyValueIterator<Bytes, byte[]> it = index.range(from, CampaignOrderKeys.highest())) {
                for (int n = 0; n < limit && it.hasNext(); ) {
                    final Bytes key = it.next().key;
                    if (key.get().length >= 8) { // not the index's "built" marker
                        ordered.add(new CampaignOrder(CampaignOrderKeys.createdAt(key), CampaignOrderKeys.messageId(key)));
                        n++;
                    }
                }
            }
        }
        return ordered.stream().limit(limit).toList();
    }

    /** Whether this instance runs reporting tasks (it answers for no campaign when it runs none). */
    public boolean holdsCampaigns() {
        return cluster.runsReportingTasks();
    }

    // ---- routes (keyed by route over the reporting partitions: every instance holds a part) ----

    /**
     * The route scorecard's rows held here: per route, per dispatch hour with a window start in [from, to], summed over
     * this instance's route partitions, with the partitions read (the caller checks that the parts cover every partition).
     */
    public RouteRows routes(final Instant from, final Instant to) {
        final Map<String, SortedMap<Long, BreakdownRow>> rows = new TreeMap<>();
        final java.util.Set<Integer> partitions = cluster.assignedPartitions(routesTopic);
        for (final int partition : partitions) {
            final ReadOnlyWindowStore<String, BreakdownRow> store = partitionStore(StoreNames.ROUTE_HOURLY,
                    QueryableStoreTypes.<String, BreakdownRow>windowStore(), partition);
            try (KeyValueIterator<Windowed<String>, BreakdownRow> it = store.fetchAll(from, to)) {
                it.forEachRemaining(kv -> rows.computeIfAbsent(kv.key.key(), r -> new TreeMap<>())
                        .merge(kv.key.window().start(), kv.value, BreakdownRow::plus));
            }
        }
        return new RouteRows(List.copyOf(partitions), rows);
    }

    /** Every partition of the route stores, as the group's last assignment gives them to the instances. */
    public java.util.Set<Integer> routePartitions() {
        return cluster.partitionsOfAllInstances(routesTopic);
    }

    /** A part of the route scorecard: the route partitions it read, and per route and dispatch hour (ms) the row. */
    public record RouteRows(List<Integer> partitions, Map<String, SortedMap<Long, BreakdownRow>> rows) {
    }

    // ---- people (spread over the lifecycle partitions) ----

    /** The latest profile stored under a lookup key in any local partition, with the day it was stored at. */
    public PersonHit person(final String lookupKey) {
        PersonHit latest = null;
        for (final ReadOnlyWindowStore<String, PersonProfile> store : lifecyclePartitions(StoreNames.PEOPLE,
                QueryableStoreTypes.<String, PersonProfile>windowStore())) {
            try (WindowStoreIterator<PersonProfile> it = store.fetch(lookupKey, Instant.EPOCH, END_OF_TIME)) {
                while (it.hasNext()) {
                    final KeyValue<Long, PersonProfile> next = it.next();
                    if (latest == null || next.key >= latest.day()) {
                        latest = new PersonHit(next.value, next.key);
                    }
                }
            }
        }
        return latest;
    }

    /**
     * The person's messages dispatched in [from, to] held here: one entry per SMS in the history store, and what
     * versions before it wrote to the legacy per-person lists (an entry in the history store wins).
     */
    public List<PersonMessage> personMessages(final String personId, final Instant from, final Instant to) {
        final Map<String, PersonMessage> bySms = new LinkedHashMap<>();
        for (final ReadOnlyWindowStore<String, PersonMessages> store : lifecyclePartitions(StoreNames.PERSON_MESSAGES,
                QueryableStoreTypes.<String, PersonMessages>windowStore())) {
            try (WindowStoreIterator<PersonMessages> it = store.fetch(personId, from, to)) {
                it.forEachRemaining(kv -> kv.value.messages().forEach(m -> bySms.put(m.smsId(), m)));
            }
        }
        for (final ReadOnlyWindowStore<String, PersonMessage> store : lifecyclePartitions(StoreNames.PERSON_HISTORY,
                QueryableStoreTypes.<String, PersonMessage>windowStore())) {
            try (KeyValueIterator<Windowed<String>, PersonMessage> it = store.fetch(PersonHistoryKeys.first(personId),
                    PersonHistoryKeys.last(personId), from, to)) {
                it.forEachRemaining(kv -> bySms.put(kv.value.smsId(), kv.value));
            }
        }
        return new ArrayList<>(bySms.values());
    }

    /**
     * The person's replies received in [from, to] held here (rule 17; kept under the person id of their msisdn), each with
     * the SMS it answers.
     */
    public List<PersonReply> personReplies(final String msisdnPersonId, final Instant from, final Instant to) {
        final List<PersonReply> replies = new ArrayList<>();
        for (final ReadOnlyWindowStore<String, PersonReply> store : replyPartitions(StoreNames.PERSON_REPLIES,
                QueryableStoreTypes.<String, PersonReply>windowStore())) {
            try (KeyValueIterator<Windowed<String>, PersonReply> it = store.fetch(PersonHistoryKeys.first(msisdnPersonId),
                    PersonHistoryKeys.last(msisdnPersonId), from, to)) {
                it.forEachRemaining(kv -> replies.add(kv.value));
            }
        }
        return replies;
    }

    /** Inbound messages that answer no SMS (rule 17), counted by this instance's replies tasks. */
    public long unattributedReplies() {
        long total = 0;
        for (final ReadOnlyKeyValueStore<String, Long> store : replyPartitions(StoreNames.REPLY_META,
                QueryableStoreTypes.<String, Long>keyValueStore())) {
            final Long count = store.get(ReplyProcessor.UNATTRIBUTED_KEY);
            total += count == null ? 0 : count;
        }
        return total;
    }

    private <S> List<S> replyPartitions(final String name, final QueryableStoreType<S> type) {
        final List<S> stores = new ArrayList<>();
        for (final int partition : cluster.assignedPartitions(repliesTopic)) {
            stores.add(partitionStore(name, type, partition));
        }
        return stores;
    }

    // ---- freshness (over the local lifecycle tasks) ----

    /**
     * How far this instance's lifecycle tasks have got: the earliest of their watermarks (rule 13: the event time up to
     * which both inputs are processed; null when none has processed anything), and the input records not yet fetched and
     * processed (consumer lag of their dispatches and receipts partitions; a partition whose lag is not known yet counts 0).
     */
    public Progress progress() {
        Long asOf = null;
        long lag = 0;
        final var metrics = streams.metrics();
        for (final int partition : cluster.assignedPartitions(lifecycleTopic)) {
            final ReadOnlyKeyValueStore<String, Long> meta = partitionStore(StoreNames.LIFECYCLE_META,
                    QueryableStoreTypes.<String, Long>keyValueStore(), partition);
            final Long watermark = meta.get(LifecycleProcessor.WATERMARK_KEY);
            final Long processed = watermark != null ? watermark : meta.get(LifecycleProcessor.PROCESSED_TIME_KEY); // before rule 13
            if (processed != null) {
                asOf = asOf == null ? processed : Math.min(asOf, processed);
            }
            for (final String topic : List.of(lifecycleTopic, receiptsTopic)) {
                final Double partitionLag = PipelineMonitor.lag(metrics, topic, partition);
                lag += partitionLag == null || partitionLag.isNaN() ? 0 : Math.max(0, partitionLag.longValue());
            }
        }
        return new Progress(asOf, lag);
    }

    /** A share of the pipeline's progress: the earliest processed event time (null: none yet) and the unprocessed input. */
    public record Progress(Long asOf, long inputLag) {
        /** Both parts as one: the earlier time, the summed lag. */
        public Progress plus(final Progress other) {
            final Long earliest = asOf == null ? other.asOf : other.asOf == null ? asOf : Long.valueOf(Math.min(asOf, other.asOf));
            return new Progress(earliest, inputLag + other.inputLag);
        }
    }

    // ---- global reconciliation (summed over the local lifecycle tasks) ----

    /** Orphan receipts (rule 7) counted by this instance's lifecycle tasks. */
    public long orphanReceipts() {
        return lifecycleCounter(LifecycleProcessor.ORPHAN_RECEIPTS_KEY);
    }

    /** This instance's share of the clicks for smsIds never dispatched (rule 16). */
    public long orphanClicks() {
        return lifecycleCounter(LifecycleProcessor.ORPHAN_CLICKS_KEY);
    }

    /** Input records whose event time was not believable and fell back (rule 12), counted by this instance's tasks. */
    public long clampedTimes() {
        return lifecycleCounter(LifecycleProcessor.CLAMPED_TIMES_KEY);
    }

    private long lifecycleCounter(final String key) {
        long total = 0;
        for (final ReadOnlyKeyValueStore<String, Long> store : lifecyclePartitions(StoreNames.LIFECYCLE_META,
                QueryableStoreTypes.<String, Long>keyValueStore())) {
            final Long count = store.get(key);
            total += count == null ? 0 : count;
        }
        return total;
    }

    // ---- alerts (the one alert task) ----

    /** Every alert kept (opened and resolved), from the alert task's store: call at the instance that runs it. */
    public List<Alert> alerts() {
        final List<Alert> alerts = new ArrayList<>();
        final ReadOnlyKeyValueStore<String, Alert> store = partitionStore(StoreNames.ALERTS, QueryableStoreTypes.keyValueStore(), 0);
        try (KeyValueIterator<String, Alert> it = store.all()) {
            it.forEachRemaining(kv -> alerts.add(kv.value));
        }
        return alerts;
    }

    // ---- stores ----

    /**
     * What {@code read} reads in the store of the partition that holds a campaign's key, provided the partition's task was the
     * same restored, running incarnation from before the read to after it (else 503, {@link QueryableStores#generation}): Kafka
     * Streams resolves the store at each call, so a task closed and reopened between the check and the read would be read
     * while it restores (a campaign answered as unknown, or with part of its counts).
     */
    private <S, T> T readCampaign(final String name, final QueryableStoreType<S> type, final String messageId,
            final java.util.function.Function<S, T> read) {
        final int partition = cluster.partitionOfCampaign(messageId);
        final long generation = queryable.generation(name, partition);
        final T result = read.apply(partitionStore(name, type, partition));
        if (generation < 0 || queryable.generation(name, partition) != generation) {
            throw new StateUnavailableException("State store " + name + " partition " + partition + " was closed or reopened here while "
                    + "it was read (" + streams.state() + ")");
        }
        return result;
    }

    private <S> S partitionStore(final String name, final QueryableStoreType<S> type, final int partition) {
        if (!queryable.isQueryable(name, partition)) {
            // Assigned here but still restoring (or not assigned here): Kafka Streams would serve the part restored so far.
            throw new StateUnavailableException("State store " + name + " partition " + partition + " is not restored and running "
                    + "here now (" + streams.state() + ")");
        }
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name, type).withPartition(partition));
        } catch (InvalidStateStoreException e) {
            throw new StateUnavailableException("State store " + name + " partition " + partition + " is not queryable here now ("
                    + streams.state() + "): " + e.getMessage(), e);
        }
    }

    /** One store per lifecycle partition assigned to this instance (a restoring one makes the read unavailable). */
    private <S> List<S> lifecyclePartitions(final String name, final QueryableStoreType<S> type) {
        final List<S> stores = new ArrayList<>();
        for (final int partition : cluster.assignedPartitions(lifecycleTopic)) {
            stores.add(partitionStore(name, type, partition));
        }
        return stores;
    }
}
