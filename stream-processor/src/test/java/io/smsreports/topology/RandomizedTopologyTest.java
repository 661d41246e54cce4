package io.smsreports.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.events.Campaign;
import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDelivered;
import io.smsreports.events.SmsDispatched;
import io.smsreports.reporting.CampaignStats;
import io.smsreports.reporting.FailedRecipient;
import io.smsreports.reporting.PersonMessage;
import io.smsreports.reporting.PersonProfile;
import io.smsreports.reporting.PlatformCounts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/**
 * Seeded random scenarios — duplicate dispatches and receipts, intermediates, receipts before their dispatch, timeouts,
 * late and very late receipts, orphans, poison records, several campaigns, platforms and people, punctuations at random
 * moments — run through the topology, where every store and the sms.delivered output must equal what
 * {@link ReferenceModel} computes from event times alone.
 *
 * <p>Rule 13: each scenario's two inputs reach the topology in one of four interleavings — merged by time, every
 * dispatch first, every receipt first, or a random merge — while each input keeps its own order up to some jitter (a
 * partition's order: a producer's records are not sorted by event time either). The model never sees the interleaving.
 *
 * <p>{@code -Dsms.random.scenarios=N} changes how many scenarios run (default 1000);
 * {@code -Dsms.random.seed=S} replays one. Scenarios share one driver, each in its own time range with its
 * own ids, and each ends by moving the watermark past every deadline so that nothing carries over.
 */
class RandomizedTopologyTest {

    private static final io.smsreports.events.NotSentReason[] NOT_SENT_REASONS = io.smsreports.events.NotSentReason.values();
    private static final int SCENARIOS = Integer.getInteger("sms.random.scenarios", 1000);
    private static final Long ONLY_SEED = Long.getLong("sms.random.seed");
    private static final long HOUR = ReferenceModel.HOUR;
    private static final long DAY = ReferenceModel.DAY;
    private static final String[] PLATFORMS = {"android", "ios", "web", null, "Android ", " IOS", ""};
    private static final io.smsreports.events.SmsEncoding[] ENCODINGS = {io.smsreports.events.SmsEncoding.GSM7,
        io.smsreports.events.SmsEncoding.GSM7, io.smsreports.events.SmsEncoding.UCS2, null};
    private static final ReceiptStatus[] FAILURES = {ReceiptStatus.EXPIRED, ReceiptStatus.DELETED, ReceiptStatus.UNDELIVERABLE,
        ReceiptStatus.REJECTED, ReceiptStatus.UNKNOWN};

    /** How the two inputs of a scenario are interleaved (rule 13: it must not change a number). */
    enum Interleaving {
        MERGED_BY_TIME, DISPATCHES_FIRST, RECEIPTS_FIRST, RANDOM
    }

    @Test
    void shouldMatchTheReferenceModelOnThousandsOfRandomInterleavings() {
        // The scenarios run back to back, decades of event time past the driver's wall clock: rule 12 must believe them.
        // Inputs never idle here: the random punctuations move the wall clock, and each input must hold the watermark back
        // until it has reached a time (the idleness rule has tests of its own).
        final TopologySettings settings = TopologyFixture.settings().withAllowedClockSkew(Duration.ofDays(100 * 365))
                .withInputIdleness(Duration.ofDays(365));
        final long[] seeds = ONLY_SEED != null ? new long[] {ONLY_SEED} : LongStream.range(1, SCENARIOS + 1).toArray();
        int events = 0;
        try (TopologyFixture fx = new TopologyFixture(settings, TopologyFixture.T0.minus(Duration.ofDays(1)))) {
            long base = TopologyFixture.T0.toEpochMilli();
            long reached = Long.MIN_VALUE;
            for (final long seed : seeds) {
                final Scenario scenario = Scenario.generate(seed, base);
                try {
                    run(fx, settings, scenario, reached);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("Scenario " + seed + " diverged from the reference model. Replay it alone with "
                            + "-Dsms.random.seed=" + seed + " (mvn -pl stream-processor test -Dtest=RandomizedTopologyTest "
                            + "-Dsms.random.seed=" + seed + ")\n" + e.getMessage()
                            + (ONLY_SEED != null ? "\nThe events, as piped (" + scenario.interleaving + "):\n" + scenario.describe() : ""), e);
                }
                events += scenario.events.size();
                reached = scenario.flushAt; // both inputs reached it (the flush)
                base = scenario.flushAt + DAY; // after the clock: no event of the next scenario is in its past
            }
        }
        assertThat(events).as("events run").isGreaterThan(seeds.length);
    }

    private static void run(final TopologyFixture fx, final TopologySettings settings, final Scenario scenario, final long reached) {
        final ReferenceModel model = new ReferenceModel(settings.receiptTimeout().toMillis(), settings.earlyReceiptHold().toMillis(),
                settings.smsRetention().toMillis(), reached);
        final long orphansBefore = fx.orphanReceipts();
        final long orphanClicksBefore = fx.orphanClicks();
        final long unattributedBefore = fx.unattributedReplies();
        int poison = 0;
        for (final Event event : scenario.events) {
            if (event.payload instanceof SmsDispatched d) {
                fx.dispatches.pipeInput(d.getSmsId(), d, event.timestamp);
                model.dispatch(d, event.timestamp);
            } else if (event.payload instanceof io.smsreports.events.SmsLinkClicked c) {
                fx.clicks.pipeInput(c.getSmsId(), c, event.timestamp);
                model.click(c, event.timestamp);
            } else if (event.payload instanceof io.smsreports.events.SmsNotSent n) {
                fx.notSent.pipeInput(n.getSmsId(), n, event.timestamp);
                model.notSent(n, event.timestamp);
            } else if (event.payload instanceof io.smsreports.events.SmsInbound i) {
                fx.inbound.pipeInput(i.getMsisdn(), i, event.timestamp);
                model.inbound(i);
            } else if (event.payload instanceof DeliveryReceipt r) {
                fx.receipts.pipeInput(r.getSmsId(), r, event.timestamp);
                model.receipt(r, event.timestamp);
            } else if (event.payload instanceof Campaign c) {
                fx.campaigns.pipeInput(c.getMessageId(), c, event.timestamp);
            } else if (event.payload instanceof Poison p) {
                (p.onDispatches ? fx.rawDispatches : fx.rawReceipts).pipeInput(p.key, p.value, event.timestamp);
                poison++;
            }
            if (event.punctuateAfter) {
                fx.driver.advanceWallClockTime(settings.expiryScanInterval());
            }
        }
        fx.driver.advanceWallClockTime(settings.expiryScanInterval());

        assertThat(fx.watermark()).as("the watermark (the slower input's time), after %s", scenario.interleaving)
                .isEqualTo(model.watermark());
        model.evaluate(model.watermark());
        compare(fx, scenario, model, "at the end of the scenario (" + scenario.interleaving + ")");
        assertThat(fx.deadLetters.readRecordsToList()).as("dead letters").hasSize(poison);
        final List<KeyValue<String, SmsDelivered>> delivered = fx.drainDelivered();

        // Past every deadline: everything times out, is orphaned or forgotten.
        fx.advanceStreamTimeTo(Instant.ofEpochMilli(scenario.flushAt));
        model.evaluate(scenario.flushAt);
        compare(fx, scenario, model, "after every deadline passed (" + scenario.interleaving + ")");
        delivered.addAll(fx.drainDelivered());
        assertThat(delivered.stream().map(kv -> line(kv.key, kv.value)).sorted().toList()).as("sms.delivered")
                .isEqualTo(model.delivered.stream().sorted().toList());
        assertThat(fx.orphanReceipts() - orphansBefore).as("orphan receipts").isEqualTo(model.orphanReceipts);
        assertThat(fx.orphanClicks() - orphanClicksBefore).as("orphan clicks (rule 16)").isEqualTo(model.orphanClicks);
        assertThat(fx.unattributedReplies() - unattributedBefore).as("unattributed replies (rule 17)").isEqualTo(model.unattributedReplies);
    }

    private static void compare(final TopologyFixture fx, final Scenario scenario, final ReferenceModel model, final String when) {
        for (final String m : scenario.campaigns) {
            final CampaignStats stats = fx.stats(m);
            final Map<String, List<Long>> actual = new TreeMap<>();
            if (stats != null) {
                stats.platforms().forEach((platform, c) -> actual.put(platform,
                        List.of(c.sent(), c.delivered(), c.failed(), c.unconfirmed(), c.segments())));
            }
            final Map<String, List<Long>> expected = new TreeMap<>();
            model.stats.getOrDefault(m, Map.of()).forEach((platform, c) -> expected.put(platform,
                    List.of(c[0], c[1], c[2], c[3], c[4])));
            assertThat(actual).as("counts of %s per platform %s", m, when).isEqualTo(expected);
            ReferenceModel.assertCosts(m, stats, model.spend, model.pricing, when);
            assertThat(stats == null ? List.of(0L, 0L) : List.of(stats.engagement().replies(), stats.engagement().optOuts()))
                    .as("replies and opt-outs of %s %s (rule 17)", m, when)
                    .isEqualTo(java.util.Arrays.stream(model.replies.getOrDefault(m, new long[2])).boxed().toList());
            assertThat(stats == null ? Map.of() : stats.notSent()).as("not sent by reason of %s %s (rule 14)", m, when)
                    .isEqualTo(model.notSent.getOrDefault(m, Map.of()));
            final Map<String, Map<String, Long>> notSentRows = new TreeMap<>();
            fx.breakdown(m, io.smsreports.reporting.Dimension.PLATFORM).forEach((platform, row) -> {
                if (!row.notSent().isEmpty()) {
                    notSentRows.put(platform, row.notSent());
                }
            });
            assertThat(notSentRows).as("not sent by platform of %s %s (rule 14)", m, when)
                    .isEqualTo(model.notSentByPlatform.getOrDefault(m, Map.of()));
            final io.smsreports.reporting.Engagement e = stats == null ? io.smsreports.reporting.Engagement.ZERO : stats.engagement();
            assertThat(List.of(e.totalClicks(), e.uniqueClicks(), e.botClicks())).as("clicks of %s %s (rule 16)", m, when)
                    .isEqualTo(java.util.Arrays.stream(model.engagement.getOrDefault(m, new long[3])).boxed().toList());
            final Map<String, List<Long>> links = new TreeMap<>();
            e.links().forEach((link, c) -> links.put(link, List.of(c.totalClicks(), c.uniqueClicks(), c.botClicks())));
            final Map<String, List<Long>> expectedLinks = new TreeMap<>();
            model.linkClicks.getOrDefault(m, Map.of()).forEach((link, c) -> expectedLinks.put(link, java.util.Arrays.stream(c).boxed().toList()));
            assertThat(links).as("clicks per link of %s %s (rule 16)", m, when).isEqualTo(expectedLinks);
            final Map<String, List<Long>> clickRows = new TreeMap<>();
            fx.breakdown(m, io.smsreports.reporting.Dimension.PLATFORM).forEach((platform, row) -> {
                if (!row.clicks().equals(io.smsreports.reporting.Engagement.ZERO)) {
                    clickRows.put(platform, List.of(row.clicks().totalClicks(), row.clicks().uniqueClicks(), row.clicks().botClicks()));
                }
            });
            final Map<String, List<Long>> expectedRows = new TreeMap<>();
            model.platformClicks.getOrDefault(m, Map.of()).forEach((platform, c) -> expectedRows.put(platform, java.util.Arrays.stream(c).boxed().toList()));
            assertThat(clickRows).as("clicks per platform of %s %s (rule 16)", m, when).isEqualTo(expectedRows);
            final long[] rec = model.reconciliation.getOrDefault(m, new long[3]);
            if (stats != null) {
                assertThat(List.of(stats.reconciliation().duplicateReceipts(), stats.reconciliation().conflictingFinals(),
                        stats.reconciliation().lateReceipts())).as("reconciliation of %s %s", m, when).isEqualTo(List.of(rec[0], rec[1], rec[2]));
                final PlatformCounts totals = stats.totals();
                assertThat(totals.pending()).as("pending of %s %s", m, when)
                        .isEqualTo(totals.sent() - totals.delivered() - totals.failed() - totals.unconfirmed());
            } else {
                assertThat(rec).as("reconciliation of %s %s", m, when).containsOnly(0);
            }

            final Map<Long, Map<String, List<Long>>> hours = new TreeMap<>();
            fx.hourly(m).forEach((hour, counts) -> counts.platforms().forEach((platform, c) ->
                    hours.computeIfAbsent(hour.toEpochMilli(), h -> new TreeMap<>()).put(platform, List.of(c.sent(), c.delivered(), c.failed()))));
            final Map<Long, Map<String, List<Long>>> expectedHours = new TreeMap<>();
            model.hourly.getOrDefault(m, Map.of()).forEach((hour, platforms) -> platforms.forEach((platform, c) ->
                    expectedHours.computeIfAbsent(hour, h -> new TreeMap<>()).put(platform, List.of(c[0], c[1], c[2]))));
            assertThat(hours).as("hourly windows of %s %s", m, when).isEqualTo(expectedHours);

            assertThat(fx.failed(m).stream().map(RandomizedTopologyTest::line).sorted().toList()).as("failed recipients of %s %s", m, when)
                    .isEqualTo(model.failed.getOrDefault(m, List.of()).stream().sorted().toList());
            assertThat(fx.deliveredRecords(m).stream().map(d -> d.smsId() + "|" + d.messageId() + "|" + d.platform() + "|"
                    + d.dispatchedAt() + "|" + d.deliveredAt() + "|" + d.latencyMs()).sorted().toList())
                    .as("delivered records of %s %s", m, when)
                    .isEqualTo(model.delivered.stream().filter(line -> line.split("\\|")[1].equals(m)).sorted().toList());
            assertThat(fx.latencyBuckets(m)).as("latency buckets of %s %s", m, when)
                    .isEqualTo(model.latency.getOrDefault(m, Map.of()));
        }
        // The route scorecard (summed in the routes' own tasks) equals the campaigns' route rows: same SMS, same figures.
        final long firstDispatch = scenario.events.stream().filter(e -> e.payload instanceof SmsDispatched)
                .mapToLong(e -> ((SmsDispatched) e.payload).getDispatchedAt().toEpochMilli()).min().orElse(Long.MAX_VALUE);
        final Map<String, io.smsreports.reporting.BreakdownRow> routes = new TreeMap<>();
        // Not the hour of the flush's clock SMS (TopologyFixture.advanceStreamTimeTo), days after the scenario's last dispatch.
        fx.routes(Instant.ofEpochMilli(firstDispatch - HOUR + 1), Instant.ofEpochMilli(Math.floorDiv(scenario.flushAt, HOUR) * HOUR - 1))
                .forEach((route, hours) -> hours.values().forEach(row -> routes.merge(route, row, io.smsreports.reporting.BreakdownRow::plus)));
        final Map<String, io.smsreports.reporting.BreakdownRow> campaignRoutes = new TreeMap<>();
        for (final String m : scenario.campaigns) {
            fx.breakdown(m, io.smsreports.reporting.Dimension.ROUTE).forEach((route, row) ->
                    campaignRoutes.merge(route, row, io.smsreports.reporting.BreakdownRow::plus));
        }
        assertThat(routes).as("route scorecard %s", when).isEqualTo(campaignRoutes);
        for (final String personId : scenario.people) {
            assertThat(fx.personMessages(personId).stream().map(RandomizedTopologyTest::line).sorted().toList())
                    .as("messages of %s %s", personId, when)
                    .isEqualTo(model.personMessages.getOrDefault(personId, Map.of()).values().stream().sorted().toList());
        }
        model.lookups.forEach((key, byDay) -> {
            if (key.contains("r" + scenario.seed + "-") || scenario.lookupKeys.contains(key)) {
                final PersonProfile profile = fx.person(key);
                assertThat(profile).as("lookup %s %s", key, when).isNotNull();
                assertThat(profile.personId()).as("lookup %s %s", key, when).isEqualTo(byDay.lastEntry().getValue());
            }
        });
    }

    private static String line(final FailedRecipient f) {
        return f.smsId() + "|" + f.status() + "|" + f.failedAt() + "|" + f.errorCode() + "|" + f.failReason() + "|" + f.platform()
                + "|" + f.msisdn();
    }

    private static String line(final PersonMessage p) {
        return p.smsId() + "|" + p.messageId() + "|" + p.dispatchedAt() + "|" + p.status() + "|"
                + (p.finalAt() == null ? "-" : p.finalAt()) + "|" + p.failReason();
    }

    private static String line(final String key, final SmsDelivered d) {
        return key + "|" + d.getMessageId() + "|" + d.getPlatform() + "|" + d.getDispatchedAt().toEpochMilli() + "|"
                + d.getDeliveredAt().toEpochMilli() + "|" + d.getLatencyMs();
    }

    /** A record that cannot be decoded. */
    private record Poison(boolean onDispatches, byte[] key, byte[] value) {
    }

    private static final class Event {
        final Object payload;
        final long timestamp;
        /** When it reaches its input's partition (its place in that input's order). */
        final double arrival;
        boolean punctuateAfter;

        Event(final Object payload, final long timestamp, final double arrival) {
            this.payload = payload;
            this.timestamp = timestamp;
            this.arrival = arrival;
        }
    }

    private static final class Scenario {
        final long seed;
        Interleaving interleaving;
        final List<Event> events = new ArrayList<>();
        final List<String> campaigns = new ArrayList<>();
        final List<String> people = new ArrayList<>();
        final List<String> lookupKeys = new ArrayList<>();
        long flushAt;

        Scenario(final long seed) {
            this.seed = seed;
        }

        static Scenario generate(final long seed, final long base) {
            final Random r = new Random(seed);
            final Scenario s = new Scenario(seed);
            final String prefix = "r" + seed + "-";
            final int campaignCount = 1 + r.nextInt(3);
            for (int c = 0; c < campaignCount; c++) {
                s.campaigns.add(prefix + "m" + c);
                if (r.nextBoolean()) {
                    final long at = base + r.nextInt((int) HOUR);
                    s.add(r, TopologyFixture.campaign(prefix + "m" + c, 100 + r.nextInt(1000)), at, 0);
                }
            }
            final int personCount = 1 + r.nextInt(8);
            final String[] externalIds = new String[personCount];
            final String[] msisdns = new String[personCount];
            final String[] emails = new String[personCount];
            for (int p = 0; p < personCount; p++) {
                externalIds[p] = r.nextDouble() < 0.7 ? prefix + "u" + p : null;
                msisdns[p] = "+90" + seed + "0" + p;
                emails[p] = r.nextDouble() < 0.4 ? (prefix + "P" + p + "@Example.com") : null;
                s.people.add(externalIds[p] != null ? "ext:" + externalIds[p] : "tel:" + msisdns[p]);
                s.lookupKeys.add("tel:" + msisdns[p]);
            }
            // Within one input, records are out of order by up to this much (a partition's order, not event time's); less
            // than any deadline's margin in the data below, so that each record's fate is decided by event time alone.
            final boolean wildOrder = r.nextDouble() < 0.15;
            final int smsCount = 1 + r.nextInt(30);
            long last = base;
            for (int i = 0; i < smsCount; i++) {
                final String smsId = prefix + "s" + i;
                final int person = r.nextInt(personCount);
                final long dispatchedAt = base + r.nextInt((int) (6 * HOUR)) + (r.nextDouble() < 0.05 ? r.nextInt((int) (5 * DAY)) : 0);
                final SmsDispatched dispatch = priceDispatch(r, SmsDispatched.newBuilder()
                        .setSmsId(smsId).setMessageId(prefix + "m" + r.nextInt(campaignCount)).setMsisdn(msisdns[person])
                        .setExternalId(externalIds[person]).setEmail(emails[person]).setPlatform(PLATFORMS[r.nextInt(PLATFORMS.length)])
                        .setProvider("p" + r.nextInt(3)).setCountry(null).setOperator(null).setSegments(1 + r.nextInt(3))
                        .setEncoding(ENCODINGS[r.nextInt(ENCODINGS.length)])
                        .setDispatchedAt(Instant.ofEpochMilli(dispatchedAt)));
                s.add(r, dispatch, dispatchedAt, wildOrder ? 2 * HOUR : 20 * 60_000L);
                if (r.nextDouble() < 0.15) { // repeated dispatch, sometimes with other data
                    final SmsDispatched repeat = r.nextBoolean() ? dispatch
                            : SmsDispatched.newBuilder(dispatch).setPlatform("web").setSegments(4).build();
                    final long at = dispatchedAt + r.nextInt((int) HOUR);
                    s.add(r, repeat, at, 2 * HOUR);
                }
                final int intermediates = r.nextInt(3);
                for (int k = 0; k < intermediates; k++) {
                    final long at = dispatchedAt + r.nextInt(60_000);
                    s.add(r, receipt(smsId, r.nextBoolean() ? ReceiptStatus.ACCEPTED : ReceiptStatus.ENROUTE, null, at), at,
                            wildOrder ? 2 * HOUR : 10 * 60_000L);
                }
                final double fate = r.nextDouble();
                if (fate < 0.9) {
                    final long latency;
                    if (fate < 0.7) {
                        latency = r.nextInt(10) < 7 ? r.nextInt(120_000) : r.nextInt((int) (48 * HOUR));
                    } else if (fate < 0.82) {
                        latency = 4 * DAY + r.nextInt((int) (60 * HOUR)); // late: after the receipt timeout
                    } else if (fate < 0.86) {
                        latency = 7 * DAY + r.nextInt((int) DAY); // after the SMS is forgotten
                    } else {
                        latency = -r.nextInt(5_000); // provider clock behind ours
                    }
                    final ReceiptStatus status = r.nextDouble() < 0.7 ? ReceiptStatus.DELIVERED : FAILURES[r.nextInt(FAILURES.length)];
                    final Instant doneAt = r.nextDouble() < 0.2 ? null : Instant.ofEpochMilli(dispatchedAt + latency);
                    final long receivedAt = dispatchedAt + Math.max(latency, 0) + r.nextInt(600_000);
                    final DeliveryReceipt finalReceipt = priced(r, receipt(smsId, status, doneAt, receivedAt), dispatch);
                    s.add(r, finalReceipt, receivedAt, wildOrder ? 2 * HOUR : 30 * 60_000L);
                    if (r.nextDouble() < 0.15) {
                        final long again = receivedAt + r.nextInt((int) HOUR);
                        // a duplicate: the same price, or (now and then) a provider that re-prices it
                        s.add(r, r.nextDouble() < 0.7 ? DeliveryReceipt.newBuilder(finalReceipt).setReceivedAt(Instant.ofEpochMilli(again)).build()
                                : priced(r, receipt(smsId, status, doneAt, again), dispatch), again, HOUR);
                    }
                    if (r.nextDouble() < 0.08) {
                        final ReceiptStatus other = status == ReceiptStatus.DELIVERED ? FAILURES[r.nextInt(FAILURES.length)]
                                : ReceiptStatus.DELIVERED;
                        final long at = receivedAt + r.nextInt((int) (3 * HOUR));
                        s.add(r, priced(r, receipt(smsId, other, Instant.ofEpochMilli(at), at), dispatch), at, HOUR);
                    }
                }
            }
            // Rule 14: recipients the sender did not send to (some decided twice), and now and then a dispatched SMS that the
            // sender had also decided not to send (before or after its dispatch): that one counts as Sent only.
            final int notSentCount = r.nextInt(6);
            for (int i = 0; i < notSentCount + smsCount / 5; i++) {
                final boolean dispatched = i >= notSentCount;
                final String smsId = dispatched ? prefix + "s" + r.nextInt(smsCount) : prefix + "n" + i;
                final int person = r.nextInt(personCount);
                final String campaign = dispatched ? null : prefix + "m" + r.nextInt(campaignCount);
                final int decisionsOfIt = r.nextDouble() < 0.2 ? 2 : 1;
                for (int k = 0; k < decisionsOfIt; k++) {
                    final long decidedAt = base + r.nextInt((int) (6 * HOUR));
                    final io.smsreports.events.SmsNotSent decision = io.smsreports.events.SmsNotSent.newBuilder()
                            .setSmsId(smsId).setMessageId(campaign != null ? campaign : s.campaignOf(smsId))
                            .setMsisdn(msisdns[person]).setExternalId(externalIds[person]).setPlatform(PLATFORMS[r.nextInt(PLATFORMS.length)])
                            .setReason(NOT_SENT_REASONS[r.nextInt(NOT_SENT_REASONS.length)]).setDecidedAt(Instant.ofEpochMilli(decidedAt)).build();
                    s.add(r, decision, decidedAt, wildOrder ? 2 * HOUR : 20 * 60_000L);
                }
            }
            // Rule 16: clicks on delivered-looking SMS (a link or two, bots, a repeated clickId), some before their dispatch, some
            // long after it (after its retention: not its clicks), and clicks for smsIds never dispatched (orphans).
            final int clickCount = r.nextInt(2 * smsCount + 1);
            for (int i = 0; i < clickCount; i++) {
                final boolean ghost = r.nextDouble() < 0.1;
                final String smsId = ghost ? prefix + "clickghost" + r.nextInt(3) : prefix + "s" + r.nextInt(smsCount);
                // Around its SMS's dispatch (a click before it is held), later that week, or hours after its retention ended; never
                // within a few hours of a deadline (the model judges by event time alone).
                final long from = ghost ? base : s.dispatchedAtOf(smsId);
                final double when = r.nextDouble();
                final long at = from + (when < 0.85 ? -30 * 60_000L + r.nextInt((int) (8 * HOUR)) : when < 0.95 ? r.nextInt((int) (3 * DAY))
                        : 7 * DAY + 4 * HOUR + r.nextInt((int) DAY));
                final io.smsreports.events.SmsLinkClicked click = io.smsreports.events.SmsLinkClicked.newBuilder()
                        .setClickId(prefix + "c" + i).setSmsId(smsId).setLinkId(r.nextDouble() < 0.7 ? "shop" : "terms")
                        .setUrl("https://ex.co/" + i % 2).setClickedAt(Instant.ofEpochMilli(at)).setBot(r.nextDouble() < 0.2).build();
                s.add(r, click, at, wildOrder ? 2 * HOUR : 20 * 60_000L);
                if (r.nextDouble() < 0.1) {
                    s.add(r, click, at + r.nextInt(600_000), 20 * 60_000L); // the tracker sent it twice
                }
            }
            // Rule 17: people write back, within the window of their latest SMS or past it, some with a stop word, the number with or
            // without its + (a gateway's bare form, for numbers of 8 digits or more), now and then twice (the gateway's retry); strangers
            // too.
            final int replyCount = r.nextInt(smsCount / 2 + 3);
            for (int i = 0; i < replyCount; i++) {
                final boolean stranger = r.nextDouble() < 0.1;
                final String number = stranger ? "+90" + seed + "9" + i : msisdns[r.nextInt(personCount)];
                final long at = base + r.nextInt((int) (5 * DAY));
                final io.smsreports.events.SmsInbound reply = io.smsreports.events.SmsInbound.newBuilder().setInboundId(prefix + "r" + i)
                        .setMsisdn(number.length() > 8 && r.nextBoolean() ? number.substring(1) : number).setTo("4545")
                        .setBody(List.of("İPTAL", "iptal", "STOP", "Dur!", "ok", "Merhaba", "stop it please").get(r.nextInt(7)))
                        .setReceivedAt(Instant.ofEpochMilli(at)).build();
                s.add(r, reply, at, wildOrder ? 2 * HOUR : 20 * 60_000L);
                if (r.nextDouble() < 0.1) {
                    s.add(r, reply, at + r.nextInt(600_000), 20 * 60_000L);
                }
            }
            final int ghosts = r.nextInt(3);
            for (int g = 0; g < ghosts; g++) {
                final long at = base + r.nextInt((int) (5 * DAY));
                s.add(r, receipt(prefix + "ghost" + g, r.nextBoolean() ? ReceiptStatus.DELIVERED : ReceiptStatus.ENROUTE,
                        Instant.ofEpochMilli(at), at), at, HOUR);
            }
            final int poison = r.nextDouble() < 0.3 ? 1 + r.nextInt(2) : 0;
            for (int p = 0; p < poison; p++) {
                final byte[] value = new byte[1 + r.nextInt(20)];
                r.nextBytes(value);
                s.add(r, new Poison(r.nextBoolean(), (prefix + "poison" + p).getBytes(StandardCharsets.UTF_8), value),
                        base + r.nextInt((int) DAY), HOUR);
            }
            s.interleaving = Interleaving.values()[r.nextInt(Interleaving.values().length)];
            s.interleave(r);
            for (final Event e : s.events) {
                e.punctuateAfter = r.nextDouble() < 0.1;
                last = Math.max(last, e.timestamp);
            }
            s.flushAt = last + 12 * DAY;
            return s;
        }

        /** Rule 15: most dispatches priced (TRY, some EUR), some not, a few with a price that cannot be used. */
        private static SmsDispatched priceDispatch(final Random r, final SmsDispatched.Builder dispatch) {
            final double p = r.nextDouble();
            if (p < 0.6) {
                dispatch.setPriceMicros((long) r.nextInt(60_000)).setCurrency(r.nextDouble() < 0.85 ? "TRY" : "eur ");
            } else if (p < 0.65) {
                dispatch.setPriceMicros(r.nextBoolean() ? -1L - r.nextInt(100) : 1_000L).setCurrency(r.nextBoolean() ? "XXY" : null);
            }
            return dispatch.build();
        }

        /** A final receipt that now and then carries a price: usually the dispatch's currency, sometimes another, rarely a bad one. */
        private static DeliveryReceipt priced(final Random r, final DeliveryReceipt receipt, final SmsDispatched dispatch) {
            final double p = r.nextDouble();
            if (p < 0.25) {
                final String same = dispatch.getCurrency() != null && dispatch.getCurrency().trim().equalsIgnoreCase("EUR") ? "EUR" : "TRY";
                return DeliveryReceipt.newBuilder(receipt).setPriceMicros((long) r.nextInt(80_000))
                        .setCurrency(r.nextDouble() < 0.85 ? same : ("TRY".equals(same) ? "EUR" : "TRY")).build();
            } else if (p < 0.28) {
                return DeliveryReceipt.newBuilder(receipt).setPriceMicros(-5L).setCurrency("TRY").build();
            }
            return receipt;
        }

        /** When a dispatched smsId of this scenario was first dispatched. */
        long dispatchedAtOf(final String smsId) {
            long at = Long.MAX_VALUE;
            for (final Event e : events) {
                if (e.payload instanceof SmsDispatched d && d.getSmsId().equals(smsId)) {
                    at = Math.min(at, d.getDispatchedAt().toEpochMilli());
                }
            }
            return at;
        }

        /** The campaign of a dispatched smsId of this scenario. */
        String campaignOf(final String smsId) {
            for (final Event e : events) {
                if (e.payload instanceof SmsDispatched d && d.getSmsId().equals(smsId)) {
                    return d.getMessageId();
                }
            }
            throw new IllegalStateException(smsId + " is not dispatched");
        }

        /** One line per event, in piped order (for replaying a failed seed). */
        String describe() {
            final StringBuilder text = new StringBuilder();
            for (final Event e : events) {
                final String what = e.payload instanceof SmsDispatched d ? "dispatch " + d.getSmsId() + " at " + d.getDispatchedAt()
                        : e.payload instanceof DeliveryReceipt r ? "receipt  " + r.getSmsId() + " " + r.getStatus() + " done " + r.getDoneAt()
                        + " received " + r.getReceivedAt() : e.payload.getClass().getSimpleName();
                text.append(Instant.ofEpochMilli(e.timestamp)).append(' ').append(what).append(e.punctuateAfter ? " (punctuate)" : "")
                        .append('\n');
            }
            return text.toString();
        }

        /** Orders each input by arrival, then merges the inputs as the scenario's interleaving says. */
        private void interleave(final Random r) {
            events.sort(Comparator.comparingDouble(e -> e.arrival));
            final List<Event> dispatchSide = new ArrayList<>();
            final List<Event> receiptSide = new ArrayList<>();
            for (final Event e : events) {
                (isReceiptInput(e) ? receiptSide : dispatchSide).add(e);
            }
            if (interleaving == Interleaving.MERGED_BY_TIME) {
                return;
            }
            events.clear();
            switch (interleaving) {
                case DISPATCHES_FIRST -> {
                    events.addAll(dispatchSide);
                    events.addAll(receiptSide);
                }
                case RECEIPTS_FIRST -> {
                    events.addAll(receiptSide);
                    events.addAll(dispatchSide);
                }
                default -> {
                    int d = 0;
                    int c = 0;
                    while (d < dispatchSide.size() || c < receiptSide.size()) {
                        final boolean takeDispatch = c == receiptSide.size() || d < dispatchSide.size() && r.nextBoolean();
                        events.add(takeDispatch ? dispatchSide.get(d++) : receiptSide.get(c++));
                    }
                }
            }
        }

        /** Receipts and poison meant for the receipts topic; everything else (dispatches, campaigns) is the other side. */
        private static boolean isReceiptInput(final Event e) {
            return e.payload instanceof DeliveryReceipt || e.payload instanceof io.smsreports.events.SmsLinkClicked
                    || e.payload instanceof io.smsreports.events.SmsInbound
                    || e.payload instanceof Poison p && !p.onDispatches;
        }

        private void add(final Random r, final Object payload, final long timestamp, final long jitter) {
            final double arrival = timestamp + (jitter == 0 ? 0 : (r.nextDouble() * 2 - 1) * jitter);
            events.add(new Event(payload, timestamp, arrival));
        }

        private static DeliveryReceipt receipt(final String smsId, final ReceiptStatus status, final Instant doneAt, final long receivedAt) {
            return TopologyFixture.receipt(smsId, status, doneAt, Instant.ofEpochMilli(receivedAt));
        }
    }
}
