package io.smsreports.api;

import io.smsreports.alerting.Alert;
import io.smsreports.alerting.Scope;
import io.smsreports.api.dto.Alerts;
import io.smsreports.api.dto.Breakdown;
import io.smsreports.api.dto.CampaignReport;
import io.smsreports.api.dto.Cost;
import io.smsreports.api.dto.DeliveredInsight;
import io.smsreports.api.dto.FailedUser;
import io.smsreports.api.dto.Failures;
import io.smsreports.api.dto.Heatmap;
import io.smsreports.api.dto.LatencyHistogram;
import io.smsreports.api.dto.Page;
import io.smsreports.api.dto.PersonMessages;
import io.smsreports.api.dto.PlatformsReport;
import io.smsreports.api.dto.Routes;
import io.smsreports.api.dto.Timeline;
import io.smsreports.events.Campaign;
import io.smsreports.query.CampaignOrder;
import io.smsreports.query.PersonHit;
import io.smsreports.query.ReportReader;
import io.smsreports.reporting.BreakdownRow;
import io.smsreports.reporting.CampaignStats;
import io.smsreports.reporting.DeliveredRecord;
import io.smsreports.reporting.Dimension;
import io.smsreports.reporting.FailedRecipient;
import io.smsreports.reporting.FailureKey;
import io.smsreports.reporting.FailureTaxonomy;
import io.smsreports.reporting.HourlyCounts;
import io.smsreports.reporting.LatencyBuckets;
import io.smsreports.reporting.PersonMessage;
import io.smsreports.reporting.PlatformCounts;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;


/**
 * This instance's answers from its own state, as the API's response shapes: the figures come from the pipeline's read
 * facade ({@link ReportReader}) as domain records; this class only shapes them (ratios, quantiles, time zones, pages)
 * and says 404 for a campaign the owner does not know.
 */
public final class LocalReports {

    private static final Instant END_OF_TIME = Instant.ofEpochMilli(Long.MAX_VALUE);

    private final ReportReader reader;
    private final List<Long> deliveredWithinMs;
    private final FailureTaxonomy taxonomy;
    private final FreshnessSource freshness;

    /**
     * @param deliveredWithinMs the delivery-time service levels the pipeline counts (ms)
     * @param taxonomy          rule 11's mapping table: the category and permanent flag of every failure shown
     */
    public LocalReports(final ReportReader reader, final List<Long> deliveredWithinMs, final FailureTaxonomy taxonomy) {
        this(reader, deliveredWithinMs, taxonomy, new FreshnessSource(java.time.Clock.systemUTC()));
    }

    LocalReports(final ReportReader reader, final List<Long> deliveredWithinMs, final FailureTaxonomy taxonomy,
            final FreshnessSource freshness) {
        this.freshness = freshness;
        this.reader = reader;
        this.taxonomy = taxonomy;
        this.deliveredWithinMs = List.copyOf(deliveredWithinMs);
    }

    // ---- campaigns (key-local) ----

    /** The campaign's report, or null when this instance knows nothing of it. */
    public CampaignReport campaign(final String messageId) {
        final Campaign campaign = reader.campaign(messageId);
        final CampaignStats stats = reader.stats(messageId);
        if (campaign == null && stats == null) {
            return null;
        }
        final CampaignStats counts = stats == null ? CampaignStats.EMPTY : stats;
        return report(messageId, campaign, counts, latency(messageId), campaignDeliveredWithin(messageId, counts.totals().sent()),
                freshness.current());
    }

    /** Campaign names of those of {@code messageIds} this instance holds. */
    public Map<String, String> campaignNames(final List<String> messageIds) {
        final Map<String, String> names = new TreeMap<>();
        for (final String id : messageIds) {
            final Campaign campaign = reader.campaign(id);
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
        final List<CampaignReport> page = new ArrayList<>(limit);
        for (final CampaignOrder order : reader.campaignOrder(after, limit)) {
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
        return new PlatformsReport(messageId, platforms, freshness.current());
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
        return new Timeline(messageId, platform, buckets, freshness.current());
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
        return new Heatmap(messageId, zone.getId(), cells, freshness.current());
    }

    /** A page of failed users in the order they failed; the cursor is the last item's (failedAt, smsId). */
    public Page<FailedUser> failed(final String messageId, final Long afterFailedAt, final String afterSmsId, final int limit) {
        requireKnown(messageId);
        final List<FailedUser> items = new ArrayList<>(limit);
        final boolean[] more = {false};
        final long from = afterFailedAt == null ? 0 : afterFailedAt;
        final boolean[] skipping = {afterFailedAt != null};
        reader.failed(messageId, Instant.ofEpochMilli(from), f -> {
            if (skipping[0]) {
                if (f.failedAt() == from && !f.smsId().equals(afterSmsId)) {
                    return true;
                }
                skipping[0] = false;
                if (f.failedAt() == from) {
                    return true; // the cursor's own item
                }
            }
            if (items.size() == limit) {
                more[0] = true;
                return false;
            }
            items.add(failedUser(f));
            return true;
        });
        final String cursor = more[0] && !items.isEmpty()
                ? Params.encodeCursor(String.valueOf(items.get(items.size() - 1).failedAt().toEpochMilli()),
                items.get(items.size() - 1).smsId())
                : null;
        return new Page<>(items, cursor);
    }

    /** Streams every failed recipient of a campaign, in the order they failed, to {@code sink}. */
    public void eachFailed(final String messageId, final Consumer<FailedRecipient> sink) {
        reader.failed(messageId, Instant.EPOCH, f -> {
            sink.accept(f);
            return true;
        });
    }

    /** Streams every recipient of a campaign not sent to (rule 14) to {@code sink}. */
    public void eachNotSent(final String messageId, final Consumer<io.smsreports.reporting.NotSentRecipient> sink) {
        reader.notSent(messageId, sink);
    }

    /** Every SMS Delivered event of a campaign, in delivery order. */
    public void eachDelivered(final String messageId, final Consumer<DeliveredRecord> sink) {
        reader.delivered(messageId, sink);
    }

    /** Whether this instance holds the campaign (metadata or counts). */
    public boolean knows(final String messageId) {
        return reader.knows(messageId);
    }

    /** Whether this instance runs reporting tasks (holds campaigns at all). */
    public boolean holdsCampaigns() {
        return reader.holdsCampaigns();
    }

    // ---- people (spread over the lifecycle partitions) ----

    public PersonHit person(final String lookupKey) {
        return reader.person(lookupKey);
    }

    public List<PersonMessage> personMessages(final String personId, final Instant from, final Instant to) {
        return reader.personMessages(personId, from, to);
    }

    /** The replies of the person with this msisdn person id (rule 17) held here. */
    public List<io.smsreports.replies.PersonReply> personReplies(final String msisdnPersonId, final Instant from, final Instant to) {
        return reader.personReplies(msisdnPersonId, from, to);
    }

    public long orphanReceipts() {
        return reader.orphanReceipts();
    }

    /** This instance's share of the global reconciliation counters. */
    public Reconciliation reconciliation() {
        return new Reconciliation(reader.orphanReceipts(), reader.clampedTimes(), reader.orphanClicks(), reader.unattributedReplies());
    }

    /**
     * The global reconciliation ({@code GET /reconciliation}): receipts for smsIds never dispatched (rule 7) and input
     * records whose event time fell back (rule 12), clicks for smsIds never dispatched (rule 16), inbound messages that answer
     * no SMS (rule 17). A record, so every instance answers in one key order.
     */
    public record Reconciliation(long orphanReceipts, long clampedTimes, long orphanClicks, long unattributedReplies) {
        Reconciliation plus(final Reconciliation other) {
            return new Reconciliation(orphanReceipts + other.orphanReceipts, clampedTimes + other.clampedTimes, orphanClicks + other.orphanClicks,
                    unattributedReplies + other.unattributedReplies);
        }
    }

    // ---- helpers ----

    static CampaignReport report(final String messageId, final Campaign c, final CampaignStats stats, final CampaignReport.Latency latency,
            final Map<String, Double> deliveredWithin, final io.smsreports.api.dto.Freshness freshness) {
        final PlatformCounts t = stats.totals();
        final Long target = c == null ? null : c.getTargetAudience();
        final CampaignReport.Metrics metrics = new CampaignReport.Metrics(target, t.sent(), t.delivered(), t.failed(), t.unconfirmed(),
                t.pending(), t.segments(), ratio(t.delivered(), t.sent()), ratio(t.failed(), t.sent()),
                target == null ? null : ratio(t.sent(), target));
        final io.smsreports.reporting.Reconciliation r = stats.reconciliation();
        return new CampaignReport(messageId, c == null ? null : c.getName(), c == null ? null : c.getMessageType().name(),
                c == null ? null : c.getText(), c == null ? null : c.getCreator(), c == null ? null : c.getMethod().name(),
                c == null ? null : c.getStatus().name(), c == null ? null : c.getCreatedAt(), c == null ? null : c.getStartedAt(),
                c == null ? null : c.getEndedAt(), metrics, latency, deliveredWithin, freshness,
                new CampaignReport.Reconciliation(r.duplicateReceipts(), r.conflictingFinals(), r.lateReceipts(), r.badPrices()),
                cost(stats.costs()), stats.notSentTotal(), engagement(stats.engagement(), t.delivered()));
    }

    /** Rule 16: clicks, and CTR = unique clicks / delivered; rule 17: replies, opt-outs and opt-out rate = opt-outs / delivered. */
    static CampaignReport.Engagement engagement(final io.smsreports.reporting.Engagement e, final long delivered) {
        return new CampaignReport.Engagement(e.totalClicks(), e.uniqueClicks(), e.botClicks(), ratio(e.uniqueClicks(), delivered),
                e.replies(), e.optOuts(), ratio(e.optOuts(), delivered));
    }

    /** A campaign's clicks per link (rule 16), most unique clicks first. */
    public io.smsreports.api.dto.Links links(final String messageId) {
        requireKnown(messageId);
        final CampaignStats found = reader.stats(messageId);
        final CampaignStats stats = found == null ? CampaignStats.EMPTY : found;
        final long delivered = stats.totals().delivered();
        final List<io.smsreports.api.dto.Links.Link> links = new ArrayList<>();
        stats.engagement().links().forEach((linkId, c) -> links.add(new io.smsreports.api.dto.Links.Link(linkId, c.url(), c.totalClicks(),
                c.uniqueClicks(), c.botClicks(), ratio(c.uniqueClicks(), delivered))));
        links.sort(Comparator.comparingLong(io.smsreports.api.dto.Links.Link::uniqueClicks).reversed()
                .thenComparing(io.smsreports.api.dto.Links.Link::linkId));
        return new io.smsreports.api.dto.Links(messageId, links, freshness.current());
    }

    /** A campaign's funnel (rule 14). */
    public io.smsreports.api.dto.Funnel funnel(final String messageId) {
        requireKnown(messageId);
        final CampaignStats found = reader.stats(messageId);
        final CampaignStats stats = found == null ? CampaignStats.EMPTY : found;
        final Campaign campaign = reader.campaign(messageId);
        final Long audience = campaign == null ? null : campaign.getTargetAudience();
        final PlatformCounts t = stats.totals();
        final long notSent = stats.notSentTotal();
        return new io.smsreports.api.dto.Funnel(messageId, audience, notSent, stats.notSent(), t.sent(), t.delivered(), t.failed(),
                t.unconfirmed(), t.pending(), audience == null ? null : audience - notSent - t.sent(), freshness.current());
    }

    /** A campaign's delivery-latency histogram, with its delivered-within shares. */
    public LatencyHistogram latencyHistogram(final String messageId) {
        requireKnown(messageId);
        final List<LatencyHistogram.Bucket> buckets = new ArrayList<>();
        reader.latency(messageId).forEach((bucket, count) -> buckets.add(new LatencyHistogram.Bucket(LatencyBuckets.lowerBound(bucket),
                LatencyBuckets.upperBound(bucket), count)));
        final CampaignStats stats = reader.stats(messageId);
        return new LatencyHistogram(messageId, buckets, campaignDeliveredWithin(messageId, stats == null ? 0 : stats.totals().sent()),
                freshness.current());
    }

    /** A campaign's breakdown by one dimension: rows by sent, most first (ties by key). */
    public Breakdown breakdown(final String messageId, final Dimension dimension) {
        requireKnown(messageId);
        final List<Breakdown.Row> rows = new ArrayList<>();
        reader.breakdown(messageId, dimension).forEach((key, row) -> {
            final PlatformCounts c = row.counts();
            final SortedMap<Integer, Long> buckets = row.latencyBuckets();
            rows.add(new Breakdown.Row(key, c.sent(), c.delivered(), c.failed(), c.unconfirmed(), c.pending(), ratio(c.delivered(), c.sent()),
                    new Breakdown.Latency(LatencyBuckets.quantile(buckets, 0.50), LatencyBuckets.quantile(buckets, 0.95)),
                    deliveredWithin(row.within(), c.sent()), cost(row.costs()), row.notSentTotal(), row.notSent(),
                    engagement(row.clicks(), c.delivered())));
        });
        rows.sort(Comparator.comparingLong(Breakdown.Row::sent).reversed().thenComparing(Breakdown.Row::key));
        return new Breakdown(messageId, dimension.label(), rows, freshness.current());
    }

    // ---- routes (spread over the route partitions: every instance holds a part) ----

    /** This instance's part of the route scorecard: dispatch hours in [from, to). */
    public ReportReader.RouteRows routeRows(final Instant from, final Instant to) {
        return reader.routes(from, to.minusMillis(1));
    }

    /** Every partition of the route stores, as the group's last assignment gives them. */
    public java.util.Set<Integer> routePartitions() {
        return reader.routePartitions();
    }

    /** The scorecard from every instance's part: rows by sent, most first (ties by route). */
    public Routes routes(final Instant from, final Instant to, final List<ReportReader.RouteRows> parts) {
        final Map<String, SortedMap<Long, BreakdownRow>> hoursByRoute = new TreeMap<>();
        for (final ReportReader.RouteRows part : parts) {
            part.rows().forEach((route, hours) -> hours.forEach((hour, row) ->
                    hoursByRoute.computeIfAbsent(route, r -> new TreeMap<>()).merge(hour, row, BreakdownRow::plus)));
        }
        final List<Routes.Route> routes = new ArrayList<>();
        hoursByRoute.forEach((route, hours) -> {
            BreakdownRow all = BreakdownRow.EMPTY;
            final List<Routes.Hour> series = new ArrayList<>();
            for (final Map.Entry<Long, BreakdownRow> hour : hours.entrySet()) {
                all = all.plus(hour.getValue());
                final PlatformCounts h = hour.getValue().counts();
                if (h.sent() + h.delivered() + h.failed() > 0) {
                    series.add(new Routes.Hour(Instant.ofEpochMilli(hour.getKey()), h.sent(), h.delivered(), h.failed(),
                            ratio(h.delivered(), h.sent())));
                }
            }
            final PlatformCounts c = all.counts();
            final SortedMap<Integer, Long> buckets = all.latencyBuckets();
            final String[] providerOperator = Dimension.splitRoute(route);
            routes.add(new Routes.Route(route, providerOperator[0], providerOperator[1], c.sent(), c.delivered(), c.failed(), c.unconfirmed(), c.pending(),
                    ratio(c.delivered(), c.sent()), new Breakdown.Latency(LatencyBuckets.quantile(buckets, 0.50),
                    LatencyBuckets.quantile(buckets, 0.95)), deliveredWithin(all.within(), c.sent()), cost(all.costs()), series));
        });
        routes.sort(Comparator.comparingLong(Routes.Route::sent).reversed().thenComparing(Routes.Route::route));
        return new Routes(from, to, routes, freshness.current());
    }

    /** The campaign's delivered-within shares: its platform rows together are the whole campaign. */
    private Map<String, Double> campaignDeliveredWithin(final String messageId, final long sent) {
        BreakdownRow all = BreakdownRow.EMPTY;
        for (final BreakdownRow row : reader.breakdown(messageId, Dimension.PLATFORM).values()) {
            all = all.plus(row);
        }
        return deliveredWithin(all.within(), sent);
    }

    /** Per service level ("5s"), the share of {@code sent} delivered within it; null shares when nothing was sent. */
    private Map<String, Double> deliveredWithin(final Map<Long, Long> within, final long sent) {
        final Map<String, Double> shares = new LinkedHashMap<>();
        for (final long level : deliveredWithinMs) {
            shares.put(level % 1000 == 0 ? level / 1000 + "s" : level + "ms", ratio(within.getOrDefault(level, 0L), sent));
        }
        return shares;
    }

    /** The response shape of the pipeline's costs. */
    static Cost cost(final io.smsreports.reporting.Costs costs) {
        final List<Cost.Spend> spend = new ArrayList<>();
        costs.currencies().forEach((currency, s) -> spend.add(new Cost.Spend(currency, s.spendMicros(), s.wastedMicros(), s.delivered(),
                s.costPerDeliveredMicros())));
        return new Cost(spend, costs.unpriced(), new Cost.Encoding(costs.gsm7(), costs.gsm7Parts(), costs.ucs2(), costs.ucs2Parts(),
                costs.ucs2ExtraParts()));
    }

    static Double ratio(final long part, final long whole) {
        if (whole <= 0) {
            return null;
        }
        return Math.round(part * 10_000.0 / whole) / 10_000.0;
    }

    FailedUser failedUser(final FailedRecipient f) {
        final FailureTaxonomy.Classification kind = taxonomy.classify(f.status(), f.errorCode(), f.provider());
        return new FailedUser(f.smsId(), f.externalId(), f.msisdn(), f.email(), f.platform(), f.provider(), f.status().name(),
                f.errorCode(), f.failReason(), kind.category().name(), kind.permanent(), Instant.ofEpochMilli(f.failedAt()), f.priceMicros(),
                f.currency());
    }

    /** This instance's share of the pipeline's progress (for the freshness of every report). */
    public ReportReader.Progress progress() {
        return reader.progress();
    }

    FreshnessSource freshnessSource() {
        return freshness;
    }

    /** Rule 11's mapping table in force. */
    public FailureTaxonomy taxonomy() {
        return taxonomy;
    }

    /**
     * The alerts kept by the alert task (call where it runs), newest first: {@code open} only those still open;
     * {@code messageId} only that campaign's.
     */
    public Alerts alerts(final boolean open, final String messageId) {
        final List<Alert> alerts = new ArrayList<>(reader.alerts());
        alerts.sort(java.util.Comparator.comparingLong((Alert a) -> a.resolvedAt() == null ? a.openedAt() : a.resolvedAt())
                .reversed().thenComparing(Alert::alertId));
        return new Alerts(alerts.stream()
                .filter(a -> !open || a.state() == Alert.State.OPENED)
                .filter(a -> messageId == null || (a.scope().kind() == Scope.Kind.CAMPAIGN && a.scope().key().equals(messageId)))
                .map(a -> new Alerts.Item(a.alertId(), a.state().name(), a.rule().label(), a.scope().kind().label(), a.scope().key(),
                        a.errorCode(), a.observed(), a.baseline(), java.time.Duration.ofMillis(a.windowMs()).toString(),
                        Instant.ofEpochMilli(a.openedAt()).toString(), a.resolvedAt() == null ? null
                                : Instant.ofEpochMilli(a.resolvedAt()).toString(), a.message()))
                .toList());
    }

    /** A campaign's failures grouped by category, error code, provider or operator (pre-aggregated, classified now). */
    public Failures failures(final String messageId, final String by) {
        requireKnown(messageId);
        final Map<String, long[]> groups = new TreeMap<>();
        long total = 0;
        for (final Map.Entry<FailureKey, Long> e : reader.failures(messageId).entrySet()) {
            final FailureKey k = e.getKey();
            final FailureTaxonomy.Classification kind = taxonomy.classify(k.status(), k.errorCode(), k.provider());
            final String key = switch (by) {
                case "category" -> kind.category().name();
                case "errorCode" -> k.errorCode() == null ? "(none)" : k.errorCode();
                case "provider" -> k.provider() == null ? Dimension.UNKNOWN : k.provider();
                default -> k.operator() == null ? Dimension.UNKNOWN : k.operator();
            };
            final long[] counts = groups.computeIfAbsent(key, x -> new long[2]);
            counts[0] += e.getValue();
            counts[1] += kind.permanent() ? e.getValue() : 0;
            total += e.getValue();
        }
        final List<Failures.Row> rows = new ArrayList<>();
        final long all = total;
        groups.forEach((key, counts) -> rows.add(new Failures.Row(key, counts[0], counts[1], all == 0 ? 0.0 : ratio(counts[0], all))));
        rows.sort(Comparator.comparingLong(Failures.Row::failed).reversed().thenComparing(Failures.Row::key));
        return new Failures(messageId, by, rows, freshness.current());
    }

    static DeliveredInsight.Event event(final DeliveredRecord d) {
        return new DeliveredInsight.Event(d.smsId(), d.messageId(), d.msisdn(), d.externalId(), d.email(), d.platform(), d.provider(),
                Instant.ofEpochMilli(d.dispatchedAt()), Instant.ofEpochMilli(d.deliveredAt()), d.latencyMs());
    }

    PersonMessages.Item item(final PersonMessage m, final String campaignName) {
        FailureTaxonomy.Classification kind = null;
        if (m.status() == io.smsreports.lifecycle.Outcome.FAILED && m.receiptStatus() != null) {
            kind = taxonomy.classify(io.smsreports.events.ReceiptStatus.valueOf(m.receiptStatus()), m.errorCode(), m.provider());
        }
        return new PersonMessages.Item(m.smsId(), m.messageId(), campaignName, m.status().name(), m.receiptStatus(), m.errorCode(),
                m.failReason(), kind == null ? null : kind.category().name(), kind == null ? null : kind.permanent(), m.platform(),
                m.provider(), Instant.ofEpochMilli(m.dispatchedAt()), m.finalAt() == null ? null : Instant.ofEpochMilli(m.finalAt()));
    }

    private CampaignReport.Latency latency(final String messageId) {
        final SortedMap<Integer, Long> buckets = reader.latency(messageId);
        return new CampaignReport.Latency(LatencyBuckets.quantile(buckets, 0.50), LatencyBuckets.quantile(buckets, 0.95),
                LatencyBuckets.quantile(buckets, 0.99));
    }

    private void hourly(final String messageId, final Instant from, final Instant to,
            final java.util.function.BiConsumer<Instant, HourlyCounts> sink) {
        reader.hourly(messageId, from, to, sink);
    }

    private CampaignStats statsOrThrow(final String messageId) {
        final CampaignStats stats = reader.stats(messageId);
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
}
