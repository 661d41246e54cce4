package io.smsreports.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.smsreports.alerting.Alert;
import io.smsreports.api.RoutesResource;
import io.smsreports.query.CampaignOrder;
import io.smsreports.query.ReportReader;
import io.smsreports.query.StateUnavailableException;
import io.smsreports.reporting.BreakdownRow;
import io.smsreports.reporting.CampaignStats;
import io.smsreports.reporting.Costs;
import io.smsreports.reporting.PlatformCounts;
import io.smsreports.topology.RestoreProgress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report figures as Prometheus gauges, for Grafana and alerting rules ({@code ops/}): what this instance's tasks hold,
 * so that summing a series over the instances gives the whole (each campaign's counts live in one task, each route
 * partition in one task). Read from the local stores every {@link #PERIOD} by one background thread, never at scrape
 * time: a scrape stays cheap however often it comes, and the stores are read at a bounded rate.
 *
 * <ul>
 *   <li>{@code sms_campaign_messages{campaign, status}}: sent, delivered, failed, unconfirmed, pending, not_sent of the
 *       {@link #CAMPAIGNS} newest campaigns held here (a bound on the series a scrape returns);</li>
 *   <li>{@code sms_campaign_spend_micros{campaign, currency, kind}}: spend and wasted spend (rule 15);</li>
 *   <li>{@code sms_route_messages{route, status}}: per route over the 24 dispatch hours up to the current one,
 *       the default range of {@code GET /routes} (rule 15);</li>
 *   <li>{@code sms_alerts_open{rule}}: open alerts per rule, at the instance that runs the alert task;</li>
 *   <li>{@code sms_freshness_lag_seconds}, {@code sms_input_lag_records}: how far behind the wall clock the processed
 *       event time is, and the input not processed yet (the same figures as a report's {@code freshness});</li>
 *   <li>{@code sms_input_uncommitted_records{topic, partition}} and {@code sms_input_committed_offset{topic, partition}}:
 *       the dispatches and receipts of this instance's lifecycle partitions past the group's committed offset, read from
 *       the broker (end offset minus committed offset). Unlike the consumer's lag this also counts a partition the consumer
 *       does not fetch, so a stalled partition shows (rule {@code SmsReportsInputStalled}: records waiting, and a committed
 *       offset that has not moved for 10 minutes);</li>
 *   <li>{@code sms_restore_remaining_offsets}, {@code sms_restore_partitions}, {@code sms_restore_records_total}.</li>
 * </ul>
 *
 * A part whose stores are not queryable now (restoring, migrating) keeps its last values until it is: a restore shows
 * in the restore gauges, not as a dip in the counts.
 */
final class ReportMetrics implements AutoCloseable {

    static final Duration PERIOD = Duration.ofSeconds(10);
    static final int CAMPAIGNS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(ReportMetrics.class);

    private final ReportReader reader;
    private final Clock clock;
    private final MultiGauge campaignMessages;
    private final MultiGauge campaignSpend;
    private final MultiGauge routeMessages;
    private final MultiGauge alertsOpen;
    private volatile double freshnessLagSeconds = Double.NaN;
    private volatile double inputLagRecords = Double.NaN;
    private final MultiGauge uncommittedRecords;
    private final MultiGauge committedOffsets;
    private final InputOffsets inputOffsets;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread thread = new Thread(r, "sms-report-metrics");
        thread.setDaemon(true);
        return thread;
    });

    private ReportMetrics(final ReportReader reader, final RestoreProgress restore, final InputOffsets inputOffsets,
            final MeterRegistry registry, final Clock clock) {
        this.reader = reader;
        this.clock = clock;
        this.inputOffsets = inputOffsets;
        campaignMessages = MultiGauge.builder("sms.campaign.messages")
                .description("SMS of a campaign by status (sent, delivered, failed, unconfirmed, pending, not_sent), for the "
                        + CAMPAIGNS + " newest campaigns held by this instance").register(registry);
        campaignSpend = MultiGauge.builder("sms.campaign.spend.micros")
                .description("What a campaign's Sent SMS cost (kind=spend) and what its failed and unconfirmed ones cost (kind=wasted), "
                        + "in millionths of the currency").register(registry);
        routeMessages = MultiGauge.builder("sms.route.messages")
                .description("SMS per route (provider/operator) dispatched in the 24 hours up to the current one (GET /routes' default range), "
                        + "by status, held by this instance")
                .register(registry);
        alertsOpen = MultiGauge.builder("sms.alerts.open")
                .description("Open alerts per rule (exported by the instance that runs the alert task)").register(registry);
        Gauge.builder("sms.freshness.lag.seconds", this, m -> m.freshnessLagSeconds)
                .description("Wall clock minus the event time up to which this instance's lifecycle tasks have processed both inputs "
                        + "(rule 13); grows while input waits or while no event arrives").register(registry);
        Gauge.builder("sms.input.lag.records", this, m -> m.inputLagRecords)
                .description("Dispatches and receipts on this instance's lifecycle partitions not processed yet").register(registry);
        uncommittedRecords = MultiGauge.builder("sms.input.uncommitted.records")
                .description("Records of an input partition of this instance's lifecycle tasks past the group's committed offset (from the broker)")
                .register(registry);
        committedOffsets = MultiGauge.builder("sms.input.committed.offset")
                .description("The group's committed offset of an input partition of this instance's lifecycle tasks").register(registry);
        Gauge.builder("sms.restore.remaining.offsets", restore, RestoreProgress::remainingOffsets)
                .description("Changelog offsets this instance still restores before its stores answer").register(registry);
        Gauge.builder("sms.restore.partitions", restore, RestoreProgress::partitions)
                .description("Changelog partitions this instance is restoring now").register(registry);
        FunctionCounter.builder("sms.restore.records", restore, RestoreProgress::restoredRecords)
                .description("Changelog records restored since this instance started").register(registry);
    }

    /** Registers the gauges and starts refreshing them every {@link #PERIOD}. */
    static ReportMetrics start(final ReportReader reader, final RestoreProgress restore, final InputOffsets inputOffsets,
            final MeterRegistry registry, final Clock clock) {
        final ReportMetrics metrics = new ReportMetrics(reader, restore, inputOffsets, registry, clock);
        metrics.refresher.scheduleWithFixedDelay(metrics::refreshQuietly, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return metrics;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // A gauge is never worth a dead refresher: the next period tries again.
            LOG.warn("Refreshing the report metrics failed: {}", e.toString());
        }
    }

    /** Reads every part now (each part that cannot be read keeps its last values). */
    void refresh() {
        whileReadable(() -> {
            final ReportReader.Progress progress = reader.progress();
            freshnessLagSeconds = progress.asOf() == null ? Double.NaN
                    : Math.max(0, clock.millis() - progress.asOf()) / 1000.0;
            inputLagRecords = progress.inputLag();
        });
        final List<InputOffsets.Partition> offsets = inputOffsets.read();
        if (offsets != null) { // else the broker did not answer: keep the last figures
            final List<MultiGauge.Row<?>> uncommitted = new ArrayList<>();
            final List<MultiGauge.Row<?>> committed = new ArrayList<>();
            for (final InputOffsets.Partition partition : offsets) {
                final Tags tags = Tags.of("topic", partition.partition().topic(), "partition", String.valueOf(partition.partition().partition()));
                uncommitted.add(MultiGauge.Row.of(tags, partition.uncommitted()));
                committed.add(MultiGauge.Row.of(tags, partition.committed()));
            }
            uncommittedRecords.register(uncommitted, true);
            committedOffsets.register(committed, true);
        }
        whileReadable(() -> {
            if (reader.holdsCampaigns()) {
                refreshCampaigns();
            } else {
                campaignMessages.register(List.of(), true);
                campaignSpend.register(List.of(), true);
            }
        });
        whileReadable(this::refreshRoutes);
        if (!whileReadable(this::refreshAlerts)) {
            alertsOpen.register(List.of(), true); // the alert task runs elsewhere (or is restoring here)
        }
    }

    /**
     * Runs one part's read; false when its stores cannot be read now (restoring, migrating, a rebalance in progress): the
     * part keeps its last values.
     */
    private static boolean whileReadable(final Runnable read) {
        try {
            read.run();
            return true;
        } catch (StateUnavailableException | org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            return false;
        }
    }

    private void refreshCampaigns() {
        final List<MultiGauge.Row<?>> messages = new ArrayList<>();
        final List<MultiGauge.Row<?>> spend = new ArrayList<>();
        for (final CampaignOrder campaign : reader.campaignOrder(null, CAMPAIGNS)) {
            final CampaignStats stats = reader.stats(campaign.messageId());
            final CampaignStats known = stats == null ? CampaignStats.EMPTY : stats;
            final Tags tags = Tags.of("campaign", campaign.messageId());
            messageRows(tags, known.totals(), known.notSentTotal(), messages);
            spendRows(tags, known.costs(), spend);
        }
        campaignMessages.register(messages, true);
        campaignSpend.register(spend, true);
    }

    private void refreshRoutes() {
        final java.time.Instant[] lastDay = RoutesResource.lastDay(clock.instant());
        final Map<String, PlatformCounts> routes = new TreeMap<>();
        reader.routes(lastDay[0], lastDay[1].minusMillis(1)).rows().forEach((route, hours) -> {
            for (final BreakdownRow row : hours.values()) {
                routes.merge(route, row.counts(), PlatformCounts::plus);
            }
        });
        final List<MultiGauge.Row<?>> rows = new ArrayList<>();
        routes.forEach((route, counts) -> messageRows(Tags.of("route", route), counts, null, rows));
        routeMessages.register(rows, true);
    }

    private void refreshAlerts() {
        final Map<Alert.Rule, Integer> open = new EnumMap<>(Alert.Rule.class);
        for (final Alert.Rule rule : Alert.Rule.values()) {
            open.put(rule, 0); // every rule, so that "no alert open" is a 0 and not a missing series
        }
        for (final Alert alert : reader.alerts()) {
            if (alert.state() == Alert.State.OPENED) {
                open.merge(alert.rule(), 1, Integer::sum);
            }
        }
        final List<MultiGauge.Row<?>> rows = new ArrayList<>();
        open.forEach((rule, n) -> rows.add(MultiGauge.Row.of(Tags.of("rule", rule.label()), n)));
        alertsOpen.register(rows, true);
    }

    private static void messageRows(final Tags tags, final PlatformCounts counts, final Long notSent, final List<MultiGauge.Row<?>> rows) {
        rows.add(MultiGauge.Row.of(tags.and("status", "sent"), counts.sent()));
        rows.add(MultiGauge.Row.of(tags.and("status", "delivered"), counts.delivered()));
        rows.add(MultiGauge.Row.of(tags.and("status", "failed"), counts.failed()));
        rows.add(MultiGauge.Row.of(tags.and("status", "unconfirmed"), counts.unconfirmed()));
        rows.add(MultiGauge.Row.of(tags.and("status", "pending"), counts.pending()));
        if (notSent != null) {
            rows.add(MultiGauge.Row.of(tags.and("status", "not_sent"), notSent));
        }
    }

    private static void spendRows(final Tags tags, final Costs costs, final List<MultiGauge.Row<?>> rows) {
        costs.currencies().forEach((currency, spend) -> {
            rows.add(MultiGauge.Row.of(tags.and("currency", currency, "kind", "spend"), spend.spendMicros()));
            rows.add(MultiGauge.Row.of(tags.and("currency", currency, "kind", "wasted"), spend.wastedMicros()));
        });
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        inputOffsets.close();
    }
}
