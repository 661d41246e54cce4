package io.smsreports.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.events.AlertState;
import io.smsreports.events.DeliveryAlert;
import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDispatched;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The alert rules (DESIGN "Alerts") through the whole topology: for each rule, traffic by event time that opens an
 * alert, keeps it open while the figure hovers around the threshold (no flapping), and resolves it, each exactly once on
 * {@code sms.alerts}, at the minute the arithmetic of the rule says. Every minute below carries 10 SMS unless said.
 */
class AlertRulesTest {

    private static final Instant T0 = TopologyFixture.T0; // a whole minute

    /** One minute of a campaign's traffic: {@code sms} SMS, the first {@code delivered} delivered, the rest failed. */
    private record Minute(int minute, int sms, int delivered, String failCode, IntFunction<Long> latencyMs) {
    }

    private static final IntFunction<Long> NORMAL = i -> 1_500L;

    private static void play(final TopologyFixture fx, final String campaign, final String provider, final String operator,
            final List<Minute> minutes, final boolean settleEachMinute) {
        for (final Minute m : minutes) {
            for (int i = 0; i < m.sms; i++) {
                final String smsId = campaign + "-" + m.minute + "-" + i;
                final Instant at = T0.plus(Duration.ofMinutes(m.minute)).plusSeconds(i * 5L);
                fx.pipe(SmsDispatched.newBuilder(TopologyFixture.dispatch(smsId, campaign, "android", at)).setProvider(provider)
                        .setOperator(operator).build());
                if (m.latencyMs == null) {
                    continue; // no receipt
                }
                final boolean ok = i < m.delivered;
                final Instant done = at.plusMillis(m.latencyMs.apply(i));
                fx.pipe(DeliveryReceipt.newBuilder(TopologyFixture.receipt(smsId, ok ? ReceiptStatus.DELIVERED : ReceiptStatus.UNDELIVERABLE,
                        done, done.plusMillis(100))).setProvider(provider).setErrorCode(ok ? null : m.failCode).build());
            }
            if (settleEachMinute) {
                fx.settle();
            }
        }
    }

    /** Records of another campaign far later on both inputs: the watermark (and so the alerts') moves past every minute above. */
    private static void tick(final TopologyFixture fx, final int minute) {
        fx.advanceStreamTimeTo(T0.plus(Duration.ofMinutes(minute)));
        fx.settle();
    }

    private static List<Minute> rates(final int from, final int to, final int delivered, final String failCode) {
        final List<Minute> minutes = new ArrayList<>();
        for (int m = from; m <= to; m++) {
            minutes.add(new Minute(m, 10, delivered, failCode, NORMAL));
        }
        return minutes;
    }

    /** Baseline 90 %; 50 % for ten minutes; then 5-minute blocks of 60 % and 90 % (the window's rate crosses the opening
     *  threshold, 72 %, both ways but stays under the resolving one, 81 %); then 90 % again. */
    private static List<Minute> deliveryRateScenario() {
        final List<Minute> minutes = new ArrayList<>(rates(0, 59, 9, "ERR1"));
        minutes.addAll(rates(60, 69, 5, "ERR1"));
        for (int block = 70; block < 130; block += 5) {
            minutes.addAll(rates(block, block + 4, (block / 5) % 2 == 0 ? 6 : 9, "ERR1"));
        }
        minutes.addAll(rates(130, 189, 9, "ERR1"));
        return minutes;
    }

    private static List<DeliveryAlert> of(final List<DeliveryAlert> alerts, final String rule, final String scope) {
        return alerts.stream().filter(a -> a.getRule().equals(rule) && a.getScope().equals(scope)).toList();
    }

    private static Instant minute(final int m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    @Test
    void deliveryRateDropOpensOnceStaysOpenWhileTheRateHoversAndResolvesOnce() {
        try (TopologyFixture fx = new TopologyFixture()) {
            play(fx, "m-rate", "p1", "286-01", deliveryRateScenario(), true);
            tick(fx, 300);
            final List<DeliveryAlert> alerts = fx.alerts.readValuesToList();
            for (final String scope : List.of("campaign", "provider", "operator")) {
                final List<DeliveryAlert> drops = of(alerts, "delivery-rate-drop", scope);
                assertThat(drops).as(scope).extracting(DeliveryAlert::getState).containsExactly(AlertState.OPENED, AlertState.RESOLVED);
                // Window (51, 66]: 8 minutes at 90 %, 7 at 50 % = 71.3 % < 0.8 × 90 %; one minute earlier it was 74 %.
                assertThat(drops.get(0).getOpenedAt()).as(scope).isEqualTo(minute(67));
                assertThat(drops.get(0).getBaseline()).as(scope).isEqualTo(0.9);
                assertThat(drops.get(0).getObserved()).as(scope).isEqualTo(107.0 / 150);
                // Window (120, 135]: 4 minutes at 60 %, 11 at 90 % = 82 % ≥ 0.9 × 90 % (81 %); at 134 it was 80 %.
                assertThat(drops.get(1).getResolvedAt()).as(scope).isEqualTo(minute(136));
                assertThat(drops.get(1).getAlertId()).isEqualTo(drops.get(0).getAlertId());
            }
            assertThat(alerts).as("no other rule fires: ERR1 was 10 % of the baseline").hasSize(6);
            assertThat(alerts.get(0).getMessage()).contains("fell to 71.3%").contains("baseline 90.0%").doesNotContain("+90");
        }
    }

    @Test
    void aReplayOfTheSameInputInOneBatchYieldsTheSameAlerts() {
        final List<DeliveryAlert> live;
        try (TopologyFixture fx = new TopologyFixture()) {
            play(fx, "m-rate", "p1", "286-01", deliveryRateScenario(), true);
            tick(fx, 300);
            live = fx.alerts.readValuesToList();
        }
        try (TopologyFixture fx = new TopologyFixture()) {
            play(fx, "m-rate", "p1", "286-01", deliveryRateScenario(), false); // one delta with every minute, as a replay sends
            tick(fx, 300);
            assertThat(fx.alerts.readValuesToList()).isEqualTo(live);
        }
    }

    @Test
    void alertsWaitForTheSchemaRegistryInsteadOfFailingAndComeOutInOrderWhenItAnswers() {
        final List<DeliveryAlert> reference;
        try (TopologyFixture fx = new TopologyFixture()) {
            fx.pipe(TopologyFixture.dispatch("warm-up", "warm-up", "web", T0));
            play(fx, "m-rate", "p1", "286-01", deliveryRateScenario(), true);
            tick(fx, 300);
            reference = fx.alerts.readValuesToList();
        }
        final RegistryOutageTest.SwitchableRegistry[] registry = new RegistryOutageTest.SwitchableRegistry[1];
        try (TopologyFixture fx = new TopologyFixture(TopologyFixture.settings(), T0, client -> {
            registry[0] = new RegistryOutageTest.SwitchableRegistry(client);
            return registry[0];
        }, "alerts-outage-" + java.util.UUID.randomUUID(), null)) {
            // Registrations fail from the start: the first alert delta goes out inside the warm-up's commit (the deltas leave
            // at every commit), so sms.alerts' schema must not be registrable even then.
            registry[0].registrationsDown.set(true);
            fx.pipe(TopologyFixture.dispatch("warm-up", "warm-up", "web", T0));
            play(fx, "m-rate", "p1", "286-01", deliveryRateScenario(), true);
            tick(fx, 300);
            assertThat(fx.alerts.isEmpty()).as("held, not failed").isTrue();
            assertThat(registry[0].refusedCalls.get()).as("the alert task asked the registry").isPositive();
            registry[0].registrationsDown.set(false);
            // The retries: the held inputs drain within a real-time budget per tick (DecodeProcessor keeps each transaction
            // short), so on a loaded machine they take more than one tick. Ticks of the driver's clock until the alerts are
            // out, at most a minute of it; a wrong, missing or reordered alert still fails below.
            final List<DeliveryAlert> released = new java.util.ArrayList<>();
            for (int tick = 0; tick < 60 && released.size() < reference.size(); tick++) {
                fx.driver.advanceWallClockTime(Duration.ofSeconds(1));
                released.addAll(fx.alerts.readValuesToList());
            }
            assertThat(released).isEqualTo(reference).hasSize(6);
        }
    }

    @Test
    void resolvedAlertsAreForgottenAfterTheHistoryRetentionButStayOnTheTopic() {
        try (TopologyFixture fx = new TopologyFixture(TopologyFixture.settings().withHistoryRetention(Duration.ofDays(7)))) {
            play(fx, "m-rate", "p1", "286-01", deliveryRateScenario(), true);
            tick(fx, 300);
            final var store = fx.driver.<String, Object>getKeyValueStore(StoreNames.ALERTS);
            final java.util.function.Supplier<Long> kept = () -> {
                try (var it = store.all()) {
                    long n = 0;
                    for (; it.hasNext(); it.next()) {
                        n++;
                    }
                    return n;
                }
            };
            assertThat(kept.get()).as("three alerts, resolved").isEqualTo(3);
            tick(fx, 136 + 7 * 24 * 60 - 10); // not yet a week after they resolved
            assertThat(kept.get()).isEqualTo(3);
            tick(fx, 136 + 7 * 24 * 60 + 70); // a week after (pruned once an hour of event time)
            assertThat(kept.get()).isZero();
            assertThat(fx.alerts.readValuesToList()).hasSize(6);
        }
    }

    @Test
    void failureSpikeOfOneCodeOpensAndResolvesWithoutADeliveryRateAlert() {
        // 20 SMS a minute. Baseline: 16 delivered, 4 fail with E-OTHER. Minutes 60-79: 13 delivered, 2 E-OTHER, 5 E-SPIKE.
        final List<Minute> minutes = new ArrayList<>();
        final IntFunction<String> codes = i -> i < 2 ? "E-OTHER" : "E-SPIKE";
        for (int m = 0; m < 140; m++) {
            final boolean spike = m >= 60 && m < 80;
            minutes.add(new Minute(m, 20, spike ? 13 : 16, spike ? "mixed" : "E-OTHER", NORMAL));
        }
        try (TopologyFixture fx = new TopologyFixture()) {
            for (final Minute m : minutes) {
                for (int i = 0; i < m.sms; i++) {
                    final String smsId = "sp-" + m.minute + "-" + i;
                    final Instant at = minute(m.minute).plusSeconds(i * 2L);
                    fx.pipe(SmsDispatched.newBuilder(TopologyFixture.dispatch(smsId, "m-spike", "ios", at)).setProvider("p2").build());
                    final boolean ok = i < m.delivered;
                    final String code = m.failCode.equals("mixed") ? codes.apply(i - m.delivered) : m.failCode;
                    final Instant done = at.plusMillis(1_500);
                    fx.pipe(DeliveryReceipt.newBuilder(TopologyFixture.receipt(smsId, ok ? ReceiptStatus.DELIVERED
                            : ReceiptStatus.UNDELIVERABLE, done, done.plusMillis(100))).setProvider("p2").setErrorCode(ok ? null : code).build());
                }
                fx.settle();
            }
            tick(fx, 300);
            final List<DeliveryAlert> alerts = fx.alerts.readValuesToList();
            final List<DeliveryAlert> spikes = of(alerts, "failure-spike", "campaign");
            assertThat(spikes).extracting(DeliveryAlert::getState).containsExactly(AlertState.OPENED, AlertState.RESOLVED);
            assertThat(spikes).extracting(DeliveryAlert::getErrorCode).containsOnly("E-SPIKE");
            // 13 spike minutes × 5 = 65 of 300 finals = 21.7 % > 20 % (12 minutes: exactly 20 %, not above).
            assertThat(spikes.get(0).getOpenedAt()).isEqualTo(minute(73));
            assertThat(spikes.get(0).getBaseline()).isEqualTo(0.0);
            // Window (73, 88]: 6 spike minutes × 5 = 30 of 300 = 10 % ≤ half the threshold.
            assertThat(spikes.get(1).getResolvedAt()).isEqualTo(minute(89));
            assertThat(of(alerts, "failure-spike", "provider")).hasSize(2);
            assertThat(alerts).as("the delivery rate (65 %) stayed at or above 0.8 × its baseline (80 %); E-OTHER never spiked")
                    .allMatch(a -> a.getRule().equals("failure-spike") && "E-SPIKE".equals(a.getErrorCode()));
        }
    }

    @Test
    void receiptsStalledOpensWhenACampaignKeepsDispatchingWithoutReceiptsAndResolvesWhenTheyComeBack() {
        final List<Minute> minutes = new ArrayList<>();
        for (int m = 0; m <= 40; m++) {
            minutes.add(new Minute(m, 5, 5, null, m >= 15 && m < 30 ? null : NORMAL)); // no receipts for minutes 15-29
        }
        try (TopologyFixture fx = new TopologyFixture()) {
            play(fx, "m-stall", "p3", null, minutes, true);
            tick(fx, 200);
            final List<DeliveryAlert> alerts = fx.alerts.readValuesToList();
            final List<DeliveryAlert> stalls = of(alerts, "receipts-stalled", "campaign");
            assertThat(stalls).extracting(DeliveryAlert::getState).containsExactly(AlertState.OPENED, AlertState.RESOLVED);
            // Last receipt in minute 14: the window (14, 24] is the first with dispatches and no receipt.
            assertThat(stalls.get(0).getOpenedAt()).isEqualTo(minute(25));
            assertThat(stalls.get(0).getKey()).isEqualTo("m-stall");
            assertThat(stalls.get(1).getResolvedAt()).isEqualTo(minute(31));
            assertThat(alerts).as("stalls are a campaign rule; the rate of what arrived never dropped").hasSize(2);
        }
    }

    @Test
    void implausibleReceiptsOpenForARouteThatReportsEverythingDeliveredAtOnceAndResolveWhenItStops() {
        final List<Minute> minutes = new ArrayList<>();
        for (int m = 0; m < 100; m++) {
            // Minutes 0-29: every receipt 300-340 ms after dispatch. Then 20-60 s, as real handsets answer.
            minutes.add(new Minute(m, 10, 10, null, m < 30 ? i -> 300L + (i % 5) * 10 : i -> 20_000L + i * 4_000L));
        }
        try (TopologyFixture fx = new TopologyFixture()) {
            play(fx, "m-fake", "fakeroute", "286-99", minutes, true);
            tick(fx, 300);
            final List<DeliveryAlert> alerts = fx.alerts.readValuesToList();
            for (final String scope : List.of("provider", "operator")) {
                final List<DeliveryAlert> fakes = of(alerts, "implausible-receipts", scope);
                assertThat(fakes).as(scope).extracting(DeliveryAlert::getState).containsExactly(AlertState.OPENED, AlertState.RESOLVED);
                // 200 DELIVERED receipts after 20 minutes, all within 1 s, spread 14 ms.
                assertThat(fakes.get(0).getOpenedAt()).as(scope).isEqualTo(minute(20));
                assertThat(fakes.get(0).getObserved()).as(scope).isEqualTo(1.0);
                // Slow receipts land partly in the minute after their dispatch: by minute 42, 300 fast of 424 = 70.8 %
                // < 0.8 × 90 %; by 41, 300 of 414 = 72.5 %.
                assertThat(fakes.get(1).getResolvedAt()).as(scope).isEqualTo(minute(43));
            }
            assertThat(of(alerts, "implausible-receipts", "campaign")).as("a route's rule, not a campaign's").isEmpty();
            assertThat(alerts).hasSize(4);
        }
    }
}
