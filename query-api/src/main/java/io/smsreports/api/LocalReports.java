package io.smsreports.api;

import io.smsreports.api.dto.CampaignReport;
import io.smsreports.api.dto.DeliveredInsight;
import io.smsreports.api.dto.FailedUser;
import io.smsreports.api.dto.Heatmap;
import io.smsreports.api.dto.Page;
import io.smsreports.api.dto.PersonMessages;
import io.smsreports.api.dto.PlatformsReport;
import io.smsreports.api.dto.Timeline;
import io.smsreports.events.Campaign;
import io.smsreports.lifecycle.LifecycleProcessor;
import io.smsreports.reporting.CampaignStats;
import io.smsreports.reporting.DeliveredRecord;
import io.smsreports.reporting.FailedRecipient;
import io.smsreports.reporting.HourlyCounts;
import io.smsreports.reporting.LatencyBuckets;
import io.smsreports.reporting.PersonMessage;
import io.smsreports.reporting.PersonProfile;
import io.smsreports.reporting.PlatformCounts;
import io.smsreports.state.CampaignOrderKeys;
import io.smsreports.state.LatencyKey;
import io.smsreports.topology.PersonHistoryKeys;
import io.smsreports.topology.StoreNames;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads this instance's state stores. Campaign stores are keyed by messageId, so a campaign's data is in
 * one partition and a plain store read finds it (the caller routes to the owner first). Person stores live in
 * the lifecycle partitions, keyed by person, so one person's data is spread over partitions: those reads go
 * through every local partition one by one, since Kafka Streams' composite store stops at the first
 * partition that holds a key.
 */
public final class LocalReports {

    private static final Instant END_OF_TIME = Instant.ofEpochMilli(Long.MAX_VALUE);

    private final KafkaStreams streams;
    private final String lifecycleTopic;
    private final String reportingTopic;
    private final Cluster cluster;

    /**
     * @param lifecycleTopic     a topic the lifecycle tasks read (their partitions are the person stores' partitions)
     * @param reportingTopic     a topic the reporting tasks read (their partitions are the campaign stores' partitions)
     * @param cluster            where the keys' partitions and this instance's assigned partitions come from
     */
    public LocalReports(final KafkaStreams streams, final String lifecycleTopic, final String reportingTopic, final Cluster cluster) {
        this.streams = streams;
        this.lifecycleTopic = lifecycleTopic;
        this.reportingTopic = reportingTopic;
        this.cluster = cluster;
    }

    // ---- campaigns (key-local) ----

    /** The campaign's report, or null when this instance knows nothing of it. */
    public CampaignReport campaign(final String messageId) {
        final Campaign campaign = campaigns(messageId).get(messageId);
        final CampaignStats stats = stats(messageId).get(messageId);
        if (campaign == null && stats == null) {
            return null;
        }
        return report(messageId, campaign, stats == null ? CampaignStats.EMPTY : stats, latency(messageId));
    }

    /** Campaign names of those of {@code messageIds} this instance holds. */
    public Map<String, String> campaignNames(final List<String> messageIds) {
        final Map<String, String> names = new TreeMap<>();
        for (final String id : messageIds) {
            final Campaign campaign = campaigns(id).get(id);
            if (campaign != null) {
                names.put(id, campaign.getName());
            }
        }
        return names;
    }

    /**
     * This instance's campaigns, newest first (by createdAt, then messageId; campaigns without metadata last),
     * after the position {@code after} of a previous page.
     */
    public List<CampaignReport> campaignsPage(final CampaignOrder after, final int limit) {
        // Every reporting partition assigned here, one by one: a partition still restoring is not queryable and makes
        // the answer a 503, rather than a list that silently lacks its campaigns. Each partition's order index gives
        // its next `limit` campaigns by a range scan: a page never reads every campaign.
        final TreeSet<CampaignOrder> ordered = new TreeSet<>();
        final Bytes from = after == null ? Bytes.wrap(new byte[1]) : CampaignOrderKeys.after(CampaignOrderKeys.of(after.createdAt(),
                after.messageId()));
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
        final List<CampaignReport> page = new ArrayList<>(limit);
        for (final CampaignOrder order : ordered) {
            if (page.size() == limit) {
                break;
            }
            final CampaignReport report = campaign(order.messageId());
            if (report != null) {
                page.add(report);
            }
        }
        return page;
    }

    public PlatformsReport platforms(final String messageId) {
        final CampaignStats stats = statsOrThrow(messageId);
        final List<PlatformsReport.Platform> platforms = new ArrayList<>();
        stats.platforms().forEach((platform, c) -> platforms.add(new PlatformsReport.Platform(platform, c.sent(), c.delivered(),
                c.failed(), c.unconfirmed(), c.pending(), ratio(c.delivered(), c.sent()))));
        platforms.sort(Comparator.comparing((PlatformsReport.Platform p) -> p.deliveryRate() == null ? -1 : p.deliveryRate()).reversed()
                .thenComparing(Comparator.comparingLong(PlatformsReport.Platform::sent).reversed())
                .thenComparing(PlatformsReport.Platform::platform));
        return new PlatformsReport(messageId, platforms);
    }

    public Timeline timeline(final String messageId, final Instant from, final Instant to, final String platform) {
        requireKnown(messageId);
        final List<Timeline.Bucket> buckets = new ArrayList<>();
        hourly(messageId, from, to, (hour, counts) -> {
            final HourlyCounts.Counts c = platform == null ? counts.totals()
                    : counts.platforms().getOrDefault(platform, HourlyCounts.Counts.ZERO);
            if (c.sent() + c.delivered() + c.failed() > 0) {
                buckets.add(new Timeline.Bucket(hour, c.sent(), c.delivered(), c.failed()));
            }
        });
        return new Timeline(messageId, platform, buckets);
    }

    public Heatmap heatmap(final String messageId, final ZoneId zone) {
        requireKnown(messageId);
        final SortedMap<LocalDate, long[]> days = new TreeMap<>();
        hourly(messageId, Instant.EPOCH, END_OF_TIME, (hour, counts) -> {
            final long delivered = counts.totals().delivered();
            if (delivered > 0) {
                final ZonedDateTime local = hour.atZone(zone);
                days.computeIfAbsent(local.toLocalDate(), d -> new long[24])[local.getHour()] += delivered;
            }
        });
        final List<Heatmap.Cell> cells = new ArrayList<>();
        days.forEach((day, hours) -> {
            for (int h = 0; h < 24; h++) {
                if (hours[h] > 0) {
                    cells.add(new Heatmap.Cell(day, h, hours[h]));
                }
            }
        });
        return new Heatmap(messageId, zone.getId(), cells);
    }

    /** A page of failed users in the order they failed; the cursor is the last item's (failedAt, smsId). */
    public Page<FailedUser> failed(final String messageId, final Long afterFailedAt, final String afterSmsId, final int limit) {
        requireKnown(messageId);
        final List<FailedUser> items = new ArrayList<>(limit);
        boolean more = false;
        final long from = afterFailedAt == null ? 0 : afterFailedAt;
        boolean skipping = afterFailedAt != null;
        try (WindowStoreIterator<FailedRecipient> it = failedStore(messageId).fetch(messageId, Instant.ofEpochMilli(from), END_OF_TIME)) {
            while (it.hasNext()) {
                final KeyValue<Long, FailedRecipient> next = it.next();
                if (skipping) {
                    if (next.key == from && !next.value.smsId().equals(afterSmsId)) {
                        continue;
                    }
                    skipping = false;
                    if (next.key == from) {
                        continue; // the cursor's own item
                    }
                }
                if (items.size() == limit) {
                    more = true;
                    break;
                }
                items.add(failedUser(next.value));
            }
        }
        final String cursor = more && !items.isEmpty()
                ? Params.encodeCursor(String.valueOf(items.get(items.size() - 1).failedAt().toEpochMilli()),
                items.get(items.size() - 1).smsId())
                : null;
        return new Page<>(items, cursor);
    }

    /** Streams every failed recipient of a campaign, in the order they failed, to {@code sink}. */
    public void eachFailed(final String messageId, final Consumer<FailedRecipient> sink) {
        try (WindowStoreIterator<FailedRecipient> it = failedStore(messageId).fetch(messageId, Instant.EPOCH, END_OF_TIME)) {
            it.forEachRemaining(kv -> sink.accept(kv.value));
        }
    }

    /** Every SMS Delivered event of a campaign, in delivery order. */
    public void eachDelivered(final String messageId, final Consumer<DeliveredRecord> sink) {
        final ReadOnlyWindowStore<String, DeliveredRecord> store = keyStore(StoreNames.CAMPAIGN_DELIVERED, QueryableStoreTypes.windowStore(), messageId);
        try (WindowStoreIterator<DeliveredRecord> it = store.fetch(messageId, Instant.EPOCH, END_OF_TIME)) {
            it.forEachRemaining(kv -> sink.accept(kv.value));
        }
    }

    /** Whether this instance holds the campaign (metadata or counts). */
    public boolean knows(final String messageId) {
        return campaigns(messageId).get(messageId) != null || stats(messageId).get(messageId) != null;
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
     * The person's messages dispatched in [from, to] held by this instance: one entry per SMS in the history store,
     * and what versions before it wrote to the legacy store (an entry in the history store wins).
     */
    public List<PersonMessage> personMessages(final String personId, final Instant from, final Instant to) {
        final Map<String, PersonMessage> bySms = new java.util.LinkedHashMap<>();
        for (final ReadOnlyWindowStore<String, io.smsreports.reporting.PersonMessages> store : lifecyclePartitions(
                StoreNames.PERSON_MESSAGES, QueryableStoreTypes.<String, io.smsreports.reporting.PersonMessages>windowStore())) {
            try (WindowStoreIterator<io.smsreports.reporting.PersonMessages> it = store.fetch(personId, from, to)) {
                it.forEachRemaining(kv -> kv.value.messages().forEach(m -> bySms.put(m.smsId(), m)));
            }
        }
        for (final ReadOnlyWindowStore<String, PersonMessage> store : lifecyclePartitions(StoreNames.PERSON_HISTORY,
                QueryableStoreTypes.<String, PersonMessage>windowStore())) {
            try (KeyValueIterator<org.apache.kafka.streams.kstream.Windowed<String>, PersonMessage> it = store.fetch(
                    PersonHistoryKeys.first(personId), PersonHistoryKeys.last(personId), from, to)) {
                it.forEachRemaining(kv -> bySms.put(kv.value.smsId(), kv.value));
            }
        }
        return new ArrayList<>(bySms.values());
    }

    /** Orphan receipts counted by this instance's lifecycle tasks. */
    public long orphanReceipts() {
        return lifecycleCounter(LifecycleProcessor.ORPHAN_RECEIPTS_KEY);
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

    /** A stored profile and the day (epoch millis) it was stored under; the latest day wins. */
    public record PersonHit(PersonProfile profile, long day) {
    }

    /** The sort position of a campaign in the newest-first list. */
    public record CampaignOrder(long createdAt, String messageId) implements Comparable<CampaignOrder> {
        @Override
        public int compareTo(final CampaignOrder other) {
            final int byTime = Long.compare(other.createdAt, createdAt);
            return byTime != 0 ? byTime : messageId.compareTo(other.messageId);
        }

        public static CampaignOrder of(final CampaignReport report) {
            return new CampaignOrder(report.createdAt() == null ? Long.MIN_VALUE : report.createdAt().toEpochMilli(),
                    report.messageId());
        }
    }

    // ---- helpers ----

    static CampaignReport report(final String messageId, final Campaign c, final CampaignStats stats, final CampaignReport.Latency latency) {
        final PlatformCounts t = stats.totals();
        final Long target = c == null ? null : c.getTargetAudience();
        final CampaignReport.Metrics metrics = new CampaignReport.Metrics(target, t.sent(), t.delivered(), t.failed(), t.unconfirmed(),
                t.pending(), t.segments(), ratio(t.delivered(), t.sent()), ratio(t.failed(), t.sent()),
                target == null ? null : ratio(t.sent(), target));
        final io.smsreports.reporting.Reconciliation r = stats.reconciliation();
        return new CampaignReport(messageId, c == null ? null : c.getName(), c == null ? null : c.getMessageType().name(),
                c == null ? null : c.getText(), c == null ? null : c.getCreator(), c == null ? null : c.getMethod().name(),
                c == null ? null : c.getStatus().name(), c == null ? null : c.getCreatedAt(), c == null ? null : c.getStartedAt(),
                c == null ? null : c.getEndedAt(), metrics, latency,
                new CampaignReport.Reconciliation(r.duplicateReceipts(), r.conflictingFinals(), r.lateReceipts()));
    }

    static Double ratio(final long part, final long whole) {
        if (whole <= 0) {
            return null;
        }
        return Math.round(part * 10_000.0 / whole) / 10_000.0;
    }

    static FailedUser failedUser(final FailedRecipient f) {
        return new FailedUser(f.smsId(), f.externalId(), f.msisdn(), f.email(), f.platform(), f.provider(), f.status().name(),
                f.errorCode(), f.failReason(), Instant.ofEpochMilli(f.failedAt()));
    }

    static DeliveredInsight.Event event(final DeliveredRecord d) {
        return new DeliveredInsight.Event(d.smsId(), d.messageId(), d.msisdn(), d.externalId(), d.email(), d.platform(), d.provider(),
                Instant.ofEpochMilli(d.dispatchedAt()), Instant.ofEpochMilli(d.deliveredAt()), d.latencyMs());
    }

    static PersonMessages.Item item(final PersonMessage m, final String campaignName) {
        return new PersonMessages.Item(m.smsId(), m.messageId(), campaignName, m.status().name(), m.receiptStatus(), m.errorCode(),
                m.failReason(), m.platform(), m.provider(), Instant.ofEpochMilli(m.dispatchedAt()),
                m.finalAt() == null ? null : Instant.ofEpochMilli(m.finalAt()));
    }

    private CampaignReport.Latency latency(final String messageId) {
        final SortedMap<Integer, Long> buckets = new TreeMap<>();
        final ReadOnlyKeyValueStore<LatencyKey, Long> store = keyStore(StoreNames.CAMPAIGN_LATENCY, QueryableStoreTypes.keyValueStore(), messageId);
        try (KeyValueIterator<LatencyKey, Long> it = store.prefixScan(messageId, LatencyKey.PREFIX_SERIALIZER)) {
            it.forEachRemaining(kv -> buckets.put(kv.key.bucket(), kv.value));
        }
        return new CampaignReport.Latency(LatencyBuckets.quantile(buckets, 0.50), LatencyBuckets.quantile(buckets, 0.95),
                LatencyBuckets.quantile(buckets, 0.99));
    }

    private void hourly(final String messageId, final Instant from, final Instant to,
            final java.util.function.BiConsumer<Instant, HourlyCounts> sink) {
        final ReadOnlyWindowStore<String, HourlyCounts> store = keyStore(StoreNames.CAMPAIGN_HOURLY, QueryableStoreTypes.windowStore(), messageId);
        try (WindowStoreIterator<HourlyCounts> it = store.fetch(messageId, from, to)) {
            it.forEachRemaining(kv -> sink.accept(Instant.ofEpochMilli(kv.key), kv.value));
        }
    }

    private CampaignStats statsOrThrow(final String messageId) {
        final CampaignStats stats = stats(messageId).get(messageId);
        if (stats == null) {
            requireKnown(messageId);
            return CampaignStats.EMPTY;
        }
        return stats;
    }

    private void requireKnown(final String messageId) {
        if (!knows(messageId)) {
            throw ApiException.notFound("unknown campaign", "No campaign with messageId '" + messageId + "'");
        }
    }

    private ReadOnlyKeyValueStore<String, Campaign> campaigns(final String messageId) {
        return keyStore(StoreNames.CAMPAIGNS, QueryableStoreTypes.keyValueStore(), messageId);
    }

    private ReadOnlyKeyValueStore<String, CampaignStats> stats(final String messageId) {
        return keyStore(StoreNames.CAMPAIGN_STATS, QueryableStoreTypes.keyValueStore(), messageId);
    }

    private ReadOnlyWindowStore<String, FailedRecipient> failedStore(final String messageId) {
        return keyStore(StoreNames.CAMPAIGN_FAILED, QueryableStoreTypes.windowStore(), messageId);
    }

    /**
     * The store of the partition that holds a campaign's key: a partition that is not running here (restoring, moving)
     * is not queryable, which answers 503, never a wrong "unknown campaign".
     */
    private <S> S keyStore(final String name, final QueryableStoreType<S> type, final String messageId) {
        return partitionStore(name, type, cluster.partitionOfCampaign(messageId));
    }

    private <S> S partitionStore(final String name, final QueryableStoreType<S> type, final int partition) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name, type).withPartition(partition));
        } catch (InvalidStateStoreException e) {
            throw ApiException.unavailable("State store " + name + " partition " + partition + " is not queryable here now ("
                    + streams.state() + "): " + e.getMessage());
        }
    }

    /** One store per lifecycle partition assigned to this instance (restoring ones make it a 503). */
    private <S> List<S> lifecyclePartitions(final String name, final QueryableStoreType<S> type) {
        final List<S> stores = new ArrayList<>();
        for (final int partition : cluster.assignedPartitions(lifecycleTopic)) {
            stores.add(partitionStore(name, type, partition));
        }
        return stores;
    }
}
