package io.smsreports.topology;

import static io.smsreports.topology.TopologyFixture.T0;
import static io.smsreports.topology.TopologyFixture.dispatch;
import static io.smsreports.topology.TopologyFixture.receipt;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDispatched;
import io.smsreports.reporting.HourlyCounts;
import io.smsreports.reporting.PlatformCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rule 12: an event time later than now + the allowed clock skew (1 h) or older than the history retention never
 * reaches a windowed store as such; the SMS is still counted, its time falls back (doneAt → receivedAt → the record's
 * timestamp; dispatchedAt → the record's timestamp), {@code clampedTimes} counts it, no history is dropped and the
 * totals still equal the sums over hours. The driver's wall clock ("now") is {@link #NOW}; DESIGN's default bounds.
 */
class GuardedTimesTest {

    private static final String M = "m-guard";
    private static final Instant NOW = T0.plus(Duration.ofHours(6));
    private static final Instant YEAR_AHEAD = NOW.plus(Duration.ofDays(365));
    private final TopologyFixture fx = new TopologyFixture(TopologySettings.defaults(TopologyFixture.TOPICS, 1)
            .withAggregationInterval(Duration.ofMillis(1)), NOW);

    @AfterEach
    void close() {
        fx.close();
    }

    /** An SMS delivered at T0 whose hour must survive whatever comes after. */
    private void earlierHistory() {
        fx.sendAndReceipt("early", M, "android", T0, ReceiptStatus.DELIVERED, T0.plusSeconds(30));
    }

    private void pipe(final DeliveryReceipt receipt, final Instant recordTimestamp) {
        fx.receipts.pipeInput(receipt.getSmsId(), receipt, recordTimestamp);
    }

    private void assertTotalsEqualTheSumsOverHours() {
        final PlatformCounts totals = fx.totals(M);
        final HourlyCounts.Counts overHours = fx.hourly(M).values().stream().map(HourlyCounts::totals)
                .reduce(HourlyCounts.Counts.ZERO, HourlyCounts.Counts::plus);
        assertThat(overHours).isEqualTo(new HourlyCounts.Counts(totals.sent(), totals.delivered(), totals.failed()));
    }

    @Test
    void shouldFileAReceiptDoneAYearAheadUnderItsReceivedAt() {
        earlierHistory();
        final Instant receivedAt = T0.plus(Duration.ofHours(2)).plusSeconds(7);
        fx.pipe(dispatch("s1", M, "ios", T0.plus(Duration.ofHours(2))));
        pipe(receipt("s1", ReceiptStatus.DELIVERED, YEAR_AHEAD, receivedAt), receivedAt);

        assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(2, 2, 0, 0, 2));
        final Map<Instant, HourlyCounts> hours = fx.hourly(M);
        assertThat(hours).containsOnlyKeys(T0, T0.plus(Duration.ofHours(2)));
        assertThat(hours.get(T0).totals()).as("the earlier hour is not dropped").isEqualTo(new HourlyCounts.Counts(1, 1, 0));
        assertThat(hours.get(T0.plus(Duration.ofHours(2))).totals()).isEqualTo(new HourlyCounts.Counts(1, 1, 0));
        assertThat(fx.deliveredRecords(M)).filteredOn(r -> r.smsId().equals("s1")).singleElement()
                .satisfies(r -> assertThat(r.deliveredAt()).isEqualTo(receivedAt.toEpochMilli()));
        assertThat(fx.clampedTimes()).isEqualTo(1);
        assertTotalsEqualTheSumsOverHours();
    }

    @Test
    void shouldFileAReceiptDoneAtEpochZeroUnderItsReceivedAt() {
        earlierHistory();
        final Instant receivedAt = T0.plus(Duration.ofHours(1)).plusSeconds(3);
        fx.pipe(dispatch("s1", M, "web", T0.plus(Duration.ofHours(1))));
        pipe(receipt("s1", ReceiptStatus.UNDELIVERABLE, Instant.EPOCH, receivedAt), receivedAt);

        assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(2, 1, 1, 0, 2));
        assertThat(fx.failed(M)).singleElement().satisfies(f -> assertThat(f.failedAt()).isEqualTo(receivedAt.toEpochMilli()));
        assertThat(fx.hourly(M)).containsOnlyKeys(T0, T0.plus(Duration.ofHours(1)));
        assertThat(fx.clampedTimes()).isEqualTo(1);
        assertTotalsEqualTheSumsOverHours();
    }

    @Test
    void shouldFallBackToTheRecordTimestampWhenDoneAtAndReceivedAtAreBothBeyondBelief() {
        earlierHistory();
        final Instant recordTime = T0.plus(Duration.ofHours(3));
        fx.pipe(dispatch("s1", M, "web", T0.plus(Duration.ofHours(3))));
        pipe(receipt("s1", ReceiptStatus.DELIVERED, YEAR_AHEAD, YEAR_AHEAD.plusSeconds(1)), recordTime);

        assertThat(fx.totals(M).delivered()).isEqualTo(2);
        assertThat(fx.deliveredRecords(M)).filteredOn(r -> r.smsId().equals("s1")).singleElement()
                .satisfies(r -> assertThat(r.deliveredAt()).isEqualTo(recordTime.toEpochMilli()));
        assertThat(fx.hourly(M)).containsOnlyKeys(T0, T0.plus(Duration.ofHours(3)));
        assertThat(fx.clampedTimes()).isEqualTo(1);
        assertTotalsEqualTheSumsOverHours();
    }

    @Test
    void shouldFileADispatchAYearAheadUnderItsRecordTimestampAndKeepThePersonHistory() {
        earlierHistory();
        final Instant recordTime = T0.plus(Duration.ofHours(4));
        final SmsDispatched future = dispatch("s1", M, "android", YEAR_AHEAD);
        fx.dispatches.pipeInput("s1", future, recordTime);

        assertThat(fx.totals(M).sent()).isEqualTo(2);
        assertThat(fx.hourly(M)).containsOnlyKeys(T0, T0.plus(Duration.ofHours(4)));
        assertThat(fx.personMessages(TopologyFixture.personOf(future))).singleElement()
                .satisfies(m -> assertThat(m.dispatchedAt()).isEqualTo(recordTime.toEpochMilli()));
        assertThat(fx.personMessages(TopologyFixture.personOf(dispatch("early", M, "android", T0)))).hasSize(1);
        assertThat(fx.clampedTimes()).isEqualTo(1);
        assertTotalsEqualTheSumsOverHours();
    }

    @Test
    void shouldNotLetARecordTimestampAYearAheadMoveTheLifecycleClock() {
        fx.pipe(dispatch("waiting", M, "android", T0)); // no receipt yet: pending until T0 + the receipt timeout
        final Instant far = YEAR_AHEAD;
        fx.receipts.pipeInput("ghost", receipt("ghost", ReceiptStatus.DELIVERED, far, far), far);
        fx.advanceWallClock(Duration.ofSeconds(30)); // expiry scans run at the guarded clock (now + 1 h at most)

        assertThat(fx.totals(M)).as("not timed out by a year-ahead timestamp").isEqualTo(new PlatformCounts(1, 0, 0, 0, 1));
        assertThat(fx.clampedTimes()).isEqualTo(1);
        assertThat(fx.orphanReceipts()).as("the ghost receipt is held, not orphaned a year early").isZero();
    }

    @Test
    void shouldBelieveTimesWithinTheSkewAndTheRetention() {
        final Instant soon = NOW.plus(Duration.ofMinutes(59));
        fx.pipe(dispatch("s1", M, "android", soon));
        fx.pipe(dispatch("s2", M, "android", NOW.minus(Duration.ofDays(182))));

        assertThat(fx.hourly(M)).containsKeys(Instant.ofEpochMilli(HourlyCounts.hourOf(soon.toEpochMilli())));
        assertThat(fx.clampedTimes()).isZero();
    }
}
