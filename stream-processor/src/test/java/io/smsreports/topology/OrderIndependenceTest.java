package io.smsreports.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.events.DeliveryAlert;
import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.NotSentReason;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDelivered;
import io.smsreports.events.SmsDispatched;
import io.smsreports.events.SmsInbound;
import io.smsreports.events.SmsLinkClicked;
import io.smsreports.events.SmsNotSent;
import io.smsreports.reporting.CampaignStats;
import io.smsreports.reporting.Dimension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/**
 * Rule 13: the same events give the same figures whatever order the two inputs reach Kafka in. Eight days of traffic
 * (one SMS every ten minutes, and a burst through a degraded provider that opens and resolves alerts), with receipts
 * after seconds to hours, after two to three days, just past the timeout, or never, duplicated, conflicting, and
 * receipts for SMS never dispatched, are fed three ways: merged by time, every receipt first (a sender's outbox backlog),
 * every dispatch first (a gateway's backlog). Every figure must be the same in all three — counts, hours, breakdowns,
 * failures, reconciliation with late receipts and orphans, {@code sms.delivered} rows, alerts — and the counts equal
 * what the order-independent {@link ReferenceModel} computes.
 */
class OrderIndependenceTest {

    private static final long MINUTE = 60_000L;
    private static final long HOUR = ReferenceModel.HOUR;
    private static final long DAY = ReferenceModel.DAY;
    private static final Instant START = TopologyFixture.T0;
    private static final List<String> CAMPAIGNS = List.of("daily", "burst");

    /**
     * An input record; the receipts' side also carries the clicks (rule 16) and the replies (rule 17: they come from the
     * gateways), the dispatches' the not-sent decisions (rule 14).
     */
    private record Input(Object payload, long timestamp) {
        boolean isReceipt() {
            return payload instanceof DeliveryReceipt || payload instanceof SmsLinkClicked || payload instanceof SmsInbound;
        }
    }

    enum Order {
        MERGED_BY_TIME, RECEIPTS_FIRST, DISPATCHES_FIRST
    }

    @Test
    void shouldGiveTheSameFiguresWhateverOrderTheInputsArriveIn() {
        final List<Input> data = eightDays(20261204);
        final Map<Order, Figures> figures = new LinkedHashMap<>();
        for (final Order order : Order.values()) {
            figures.put(order, run(arrange(data, order)));
        }
        final Figures merged = figures.get(Order.MERGED_BY_TIME);
        assertThat(merged.alerts()).as("the burst opens and resolves alerts").isNotEmpty();
        assertThat(merged.counts().get("daily").get("reconciliation")).as("some late receipts").isNotEqualTo("[0, 0, 0]");
        for (final Order order : List.of(Order.RECEIPTS_FIRST, Order.DISPATCHES_FIRST)) {
            final Figures other = figures.get(order);
            assertThat(other.counts()).as("counts, hours, breakdowns and failures, %s", order).isEqualTo(merged.counts());
            assertThat(other.orphans()).as("orphan receipts, %s", order).isEqualTo(merged.orphans());
            assertThat(other.orphanClicks()).as("orphan clicks, %s", order).isEqualTo(merged.orphanClicks());
            assertThat(other.unattributedReplies()).as("unattributed replies, %s", order).isEqualTo(merged.unattributedReplies());
            assertThat(other.delivered()).as("sms.delivered, %s", order).isEqualTo(merged.delivered());
            assertThat(other.alerts()).as("sms.alerts, %s", order).isEqualTo(merged.alerts());
        }

        final ReferenceModel model = new ReferenceModel(4 * DAY, 4 * DAY, 7 * DAY);
        for (final Input input : data) { // each input in its own order; the model never sees how they were interleaved
            if (input.payload() instanceof SmsDispatched d) {
                model.dispatch(d, input.timestamp());
            } else if (input.payload() instanceof SmsNotSent n) {
                model.notSent(n, input.timestamp());
            } else if (input.payload() instanceof SmsLinkClicked c) {
                model.click(c, input.timestamp());
            } else if (input.payload() instanceof SmsInbound) {
                continue; // rule 17: judged by repliesOf below
            } else {
                model.receipt((DeliveryReceipt) input.payload(), input.timestamp());
            }
        }
        model.evaluate(Long.MAX_VALUE);
        for (final String m : CAMPAIGNS) {
            final Map<String, String> expected = new TreeMap<>();
            model.stats.get(m).forEach((platform, c) -> expected.put(platform, java.util.Arrays.toString(c)));
            assertThat(merged.platformCounts().get(m)).as("counts of %s: the model's", m).isEqualTo(expected);
            assertThat(merged.counts().get(m).get("reconciliation")).as("reconciliation of %s: the model's", m)
                    .isEqualTo(java.util.Arrays.toString(model.reconciliation.get(m)));
            assertThat(merged.counts().get(m).get("notSent")).as("not sent of %s (rule 14): the model's", m)
                    .isEqualTo(model.notSent.getOrDefault(m, Map.of()).toString());
            assertThat(merged.counts().get(m).get("clicks")).as("clicks of %s (rule 16): the model's", m)
                    .isEqualTo(java.util.Arrays.toString(model.engagement.getOrDefault(m, new long[3])));
        }
        final Map<String, String> replies = repliesOf(data);
        for (final String m : CAMPAIGNS) {
            assertThat(merged.counts().get(m).get("replies")).as("replies and opt-outs of %s (rule 17)", m).isEqualTo(replies.get(m));
        }
        assertThat(replies.get("daily")).as("the data has replies and opt-outs").doesNotContain("[0,").doesNotEndWith(" 0]");
        assertThat(merged.unattributedReplies()).as("unattributed replies (rule 17)").isEqualTo(Long.parseLong(replies.get("unattributed")))
                .isPositive();
        assertThat(merged.counts().get("daily").get("notSent")).as("the data has recipients not sent to").isNotEqualTo("{}");
        assertThat(merged.orphanClicks()).as("orphan clicks: the model's").isEqualTo(model.orphanClicks).isPositive();
        assertThat(merged.orphans()).as("orphans: the model's").isEqualTo(model.orphanReceipts);
        assertThat(merged.delivered()).as("sms.delivered: the model's").isEqualTo(model.delivered.stream().sorted().toList());
    }

    /** What a run leaves: every figure as text, comparable between runs. */
    private record Figures(Map<String, Map<String, String>> counts, Map<String, Map<String, String>> platformCounts, long orphans,
            List<String> delivered, List<String> alerts, long orphanClicks, long unattributedReplies) {
    }

    private static Figures run(final List<Input> inputs) {
        // Inputs never idle in the driver: the watermark moves with the data alone.
        final TopologySettings settings = TopologyFixture.settings().withInputIdleness(Duration.ofDays(365));
        try (TopologyFixture fx = new TopologyFixture(settings)) {
            for (final Input input : inputs) {
                if (input.payload() instanceof SmsDispatched d) {
                    fx.dispatches.pipeInput(d.getSmsId(), d, input.timestamp());
                } else if (input.payload() instanceof SmsNotSent n) {
                    fx.notSent.pipeInput(n.getSmsId(), n, input.timestamp());
                } else if (input.payload() instanceof SmsLinkClicked c) {
                    fx.clicks.pipeInput(c.getSmsId(), c, input.timestamp());
                } else if (input.payload() instanceof SmsInbound i) {
                    fx.inbound.pipeInput(i.getMsisdn(), i, input.timestamp());
                } else {
                    final DeliveryReceipt r = (DeliveryReceipt) input.payload();
                    fx.receipts.pipeInput(r.getSmsId(), r, input.timestamp());
                }
                fx.settle();
            }
            // Past every deadline on both inputs: the last timeouts, orphans and alert minutes are judged.
            fx.advanceStreamTimeTo(START.plus(Duration.ofDays(30)));
            fx.settle();
            final Map<String, Map<String, String>> counts = new TreeMap<>();
            final Map<String, Map<String, String>> platformCounts = new TreeMap<>();
            for (final String m : CAMPAIGNS) {
                final Map<String, String> figures = new TreeMap<>();
                final CampaignStats stats = fx.stats(m);
                assertThat(stats).as("counts of %s", m).isNotNull();
                final Map<String, String> platforms = new TreeMap<>();
                stats.platforms().forEach((p, c) -> platforms.put(p, java.util.Arrays.toString(new long[] {c.sent(), c.delivered(),
                    c.failed(), c.unconfirmed(), c.segments()})));
                platformCounts.put(m, platforms);
                figures.put("platforms", platforms.toString());
                figures.put("reconciliation", java.util.Arrays.toString(new long[] {stats.reconciliation().duplicateReceipts(),
                    stats.reconciliation().conflictingFinals(), stats.reconciliation().lateReceipts()}));
                figures.put("notSent", stats.notSent().toString());
                figures.put("clicks", java.util.Arrays.toString(new long[] {stats.engagement().totalClicks(),
                    stats.engagement().uniqueClicks(), stats.engagement().botClicks()}));
                figures.put("links", stats.engagement().links().toString());
                figures.put("replies", java.util.Arrays.toString(new long[] {stats.engagement().replies(), stats.engagement().optOuts()}));
                figures.put("hourly", fx.hourly(m).toString());
                figures.put("latency", fx.latencyBuckets(m).toString());
                figures.put("failed", sorted(fx.failed(m), Object::toString).toString());
                for (final Dimension dimension : Dimension.values()) {
                    figures.put("breakdown by " + dimension, fx.breakdown(m, dimension).toString());
                }
                counts.put(m, figures);
            }
            final List<String> delivered = new ArrayList<>();
            for (final KeyValue<String, SmsDelivered> kv : fx.drainDelivered()) {
                final SmsDelivered d = kv.value;
                delivered.add(kv.key + "|" + d.getMessageId() + "|" + d.getPlatform() + "|" + d.getDispatchedAt().toEpochMilli() + "|"
                        + d.getDeliveredAt().toEpochMilli() + "|" + d.getLatencyMs());
            }
            delivered.sort(null);
            final List<String> alerts = sorted(fx.alerts.readValuesToList(), DeliveryAlert::toString);
            return new Figures(counts, platformCounts, fx.orphanReceipts(), delivered, alerts, fx.orphanClicks(), fx.unattributedReplies());
        }
    }

    private static <T> List<String> sorted(final List<T> values, final Function<T, String> text) {
        return values.stream().map(text).sorted().toList();
    }

    /** The inputs in one of the three orders; within each input, its own (time) order. */
    private static List<Input> arrange(final List<Input> data, final Order order) {
        final List<Input> byTime = new ArrayList<>(data);
        byTime.sort(Comparator.comparingLong(Input::timestamp));
        if (order == Order.MERGED_BY_TIME) {
            return byTime;
        }
        final List<Input> receipts = byTime.stream().filter(Input::isReceipt).toList();
        final List<Input> dispatches = byTime.stream().filter(i -> !i.isReceipt()).toList();
        final List<Input> arranged = new ArrayList<>(order == Order.RECEIPTS_FIRST ? receipts : dispatches);
        arranged.addAll(order == Order.RECEIPTS_FIRST ? dispatches : receipts);
        return arranged;
    }

    /** Eight days of traffic, each input in time order. */
    private static List<Input> eightDays(final long seed) {
        final Random r = new Random(seed);
        final List<Input> inputs = new ArrayList<>();
        final long t0 = START.toEpochMilli();
        final String[] providers = {"acme", "globex", "initech"};
        final String[] operators = {"286-01", "286-02", "262-01"};
        int n = 0;
        for (long at = t0; at < t0 + 8 * DAY; at += 10 * MINUTE) {
            sms(r, inputs, "daily-" + n++, "daily", at, providers[r.nextInt(3)], operators[r.nextInt(3)], 0.1);
        }
        // The burst: 600 SMS in 30 minutes on day two, through one provider that fails half of them for ten minutes.
        final long burst = t0 + DAY + 10 * HOUR;
        for (int i = 0; i < 600; i++) {
            final long at = burst + i * 3_000L;
            final boolean degraded = at >= burst + 10 * MINUTE && at < burst + 20 * MINUTE;
            sms(r, inputs, "burst-" + i, "burst", at, "initech", operators[i % 3], degraded ? 0.5 : 0.05);
        }
        for (int g = 0; g < 20; g++) { // receipts for SMS never dispatched
            final long at = t0 + r.nextInt((int) (7 * DAY));
            inputs.add(new Input(receipt("ghost-" + g, "acme", ReceiptStatus.DELIVERED, at, at), at));
        }
        for (int g = 0; g < 10; g++) { // clicks for SMS never dispatched (rule 16)
            final long at = t0 + r.nextInt((int) (7 * DAY));
            inputs.add(new Input(click("ghost-click-" + g, "ghost-clicked-" + g, false, at), at));
        }
        for (int g = 0; g < 5; g++) { // rule 17: strangers write to the short code
            final long at = t0 + r.nextInt((int) (7 * DAY));
            inputs.add(new Input(SmsInbound.newBuilder().setInboundId("stranger-" + g).setMsisdn("+9099" + String.format("%07d", g))
                    .setTo("4545").setBody("STOP").setReceivedAt(Instant.ofEpochMilli(at)).build(), at));
        }
        // Rule 14: recipients of the daily campaign the sender did not send to, every forty minutes; now and then a decision
        // for an SMS that was dispatched after all (a minute later).
        int d = 0;
        for (long at = t0; at < t0 + 8 * DAY; at += 40 * MINUTE) {
            final String smsId = r.nextDouble() < 0.1 ? "daily-" + (d * 4) : "daily-not-sent-" + d;
            inputs.add(new Input(SmsNotSent.newBuilder().setSmsId(smsId).setMessageId("daily").setMsisdn("+9055" + String.format("%07d", d))
                    .setPlatform(List.of("android", "ios", "web").get(r.nextInt(3))).setCountry("TR").setOperator("286-01")
                    .setReason(NotSentReason.values()[r.nextInt(NotSentReason.values().length)])
                    .setDecidedAt(Instant.ofEpochMilli(at - MINUTE)).build(), at - MINUTE));
            d++;
        }
        return inputs;
    }

    private static void sms(final Random r, final List<Input> inputs, final String smsId, final String campaign, final long at,
            final String provider, final String operator, final double failureRate) {
        final SmsDispatched dispatch = SmsDispatched.newBuilder().setSmsId(smsId).setMessageId(campaign)
                .setMsisdn("+9055" + String.format("%07d", r.nextInt(500))).setExternalId(null).setEmail(null)
                .setPlatform(List.of("android", "ios", "web").get(r.nextInt(3))).setProvider(provider).setOperator(operator)
                .setCountry(operator.startsWith("286") ? "TR" : "DE").setSegments(1 + r.nextInt(2))
                .setDispatchedAt(Instant.ofEpochMilli(at)).build();
        inputs.add(new Input(dispatch, at));
        final double fate = r.nextDouble();
        final long latency;
        if (fate < 0.6) {
            latency = 2_000 + r.nextInt((int) (2 * HOUR)); // seconds to hours
        } else if (fate < 0.75) {
            latency = 2 * DAY + r.nextInt((int) DAY); // two to three days
        } else if (fate < 0.83) {
            latency = 4 * DAY + MINUTE + r.nextInt((int) HOUR); // just past the timeout
        } else {
            return; // never confirmed
        }
        final ReceiptStatus status = r.nextDouble() < failureRate ? ReceiptStatus.UNDELIVERABLE : ReceiptStatus.DELIVERED;
        final long done = at + latency;
        final long received = done + r.nextInt(30_000);
        inputs.add(new Input(receipt(smsId, provider, status, done, received), received));
        if (status == ReceiptStatus.DELIVERED && r.nextDouble() < 0.2) { // rule 16: a click, sometimes a preview bot's, now and then twice
            final boolean bot = r.nextDouble() < 0.25;
            final long clickAt = received + 1_000 + r.nextInt((int) HOUR);
            inputs.add(new Input(click(smsId + "-click", smsId, bot, clickAt), clickAt));
            if (r.nextDouble() < 0.1) {
                inputs.add(new Input(click(smsId + "-click", smsId, bot, clickAt), clickAt + 5_000));
            }
        }
        if (status == ReceiptStatus.DELIVERED && r.nextDouble() < 0.08) { // rule 17: a reply, up to four days later (the window is 72 h)
            final long replyAt = received + 1_000 + (long) (r.nextDouble() * 4 * DAY);
            final String body = List.of("İPTAL", "iptal", "STOP", "ok", "Teşekkürler", "kim bu").get(r.nextInt(6));
            final SmsInbound reply = SmsInbound.newBuilder().setInboundId(smsId + "-reply").setMsisdn(dispatch.getMsisdn().substring(1))
                    .setTo("4545").setBody(body).setReceivedAt(Instant.ofEpochMilli(replyAt)).build();
            inputs.add(new Input(reply, replyAt));
            if (r.nextDouble() < 0.1) {
                inputs.add(new Input(reply, replyAt + 3_000)); // the gateway's retry
            }
        }
        if (r.nextDouble() < 0.1) { // a duplicate
            inputs.add(new Input(receipt(smsId, provider, status, done, received + 7_000), received + 7_000));
        }
        if (r.nextDouble() < 0.03) { // a conflicting final
            final ReceiptStatus other = status == ReceiptStatus.DELIVERED ? ReceiptStatus.EXPIRED : ReceiptStatus.DELIVERED;
            inputs.add(new Input(receipt(smsId, provider, other, received + 9_000, received + 9_000), received + 9_000));
        }
    }

    /**
     * Rule 17 judged independently of the topology: each inbound message (once per inboundId) answers the latest SMS
     * dispatched to its number at or before it within 72 h; per campaign "[replies, optOuts]" as distinct numbers, and
     * "unattributed".
     */
    private static Map<String, String> repliesOf(final List<Input> data) {
        final Map<String, List<SmsDispatched>> sentTo = new java.util.HashMap<>();
        final Map<String, SmsDispatched> firstDispatch = new java.util.HashMap<>();
        data.stream().filter(i -> i.payload() instanceof SmsDispatched).sorted(Comparator.comparingLong(Input::timestamp))
                .forEach(i -> firstDispatch.putIfAbsent(((SmsDispatched) i.payload()).getSmsId(), (SmsDispatched) i.payload()));
        firstDispatch.values().forEach(d -> sentTo.computeIfAbsent(d.getMsisdn(), k -> new ArrayList<>()).add(d));
        final Map<String, java.util.Set<String>> replied = new TreeMap<>();
        final Map<String, java.util.Set<String>> optedOut = new TreeMap<>();
        final java.util.Set<String> seen = new java.util.HashSet<>();
        long unattributed = 0;
        for (final Input input : data) {
            if (!(input.payload() instanceof SmsInbound in) || !seen.add(in.getInboundId())) {
                continue;
            }
            final String msisdn = "+" + in.getMsisdn().replace("+", "");
            final long at = in.getReceivedAt().toEpochMilli();
            final SmsDispatched answered = sentTo.getOrDefault(msisdn, List.of()).stream()
                    .filter(d -> d.getDispatchedAt().toEpochMilli() <= at && at - d.getDispatchedAt().toEpochMilli() <= 3 * DAY)
                    .max(Comparator.comparingLong((SmsDispatched d) -> d.getDispatchedAt().toEpochMilli()).thenComparing(SmsDispatched::getSmsId))
                    .orElse(null);
            if (answered == null) {
                unattributed++;
                continue;
            }
            replied.computeIfAbsent(answered.getMessageId(), k -> new java.util.HashSet<>()).add(msisdn);
            if (List.of("İPTAL", "iptal", "STOP").contains(in.getBody())) {
                optedOut.computeIfAbsent(answered.getMessageId(), k -> new java.util.HashSet<>()).add(msisdn);
            }
        }
        final Map<String, String> figures = new TreeMap<>();
        for (final String m : CAMPAIGNS) {
            figures.put(m, java.util.Arrays.toString(new long[] {replied.getOrDefault(m, java.util.Set.of()).size(),
                optedOut.getOrDefault(m, java.util.Set.of()).size()}));
        }
        figures.put("unattributed", String.valueOf(unattributed));
        return figures;
    }

    private static SmsLinkClicked click(final String clickId, final String smsId, final boolean bot, final long at) {
        return SmsLinkClicked.newBuilder().setClickId(clickId).setSmsId(smsId).setLinkId("offer").setUrl("https://ex.co/offer")
                .setClickedAt(Instant.ofEpochMilli(at)).setBot(bot).build();
    }

    private static DeliveryReceipt receipt(final String smsId, final String provider, final ReceiptStatus status, final long doneAt,
            final long receivedAt) {
        final boolean failure = status != ReceiptStatus.DELIVERED;
        return DeliveryReceipt.newBuilder().setSmsId(smsId).setProvider(provider).setStatus(status).setProviderStatus(status.name())
                .setErrorCode(failure ? "0x00B" : null).setFailReason(failure ? "absent subscriber" : null)
                .setDoneAt(Instant.ofEpochMilli(doneAt)).setReceivedAt(Instant.ofEpochMilli(receivedAt)).build();
    }
}
