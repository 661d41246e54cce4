package io.smsreports.topology;

import static io.smsreports.topology.TopologyFixture.T0;
import static io.smsreports.topology.TopologyFixture.dispatch;
import static io.smsreports.topology.TopologyFixture.receipt;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDispatched;
import io.smsreports.reporting.BreakdownRow;
import io.smsreports.reporting.Dimension;
import io.smsreports.reporting.PlatformCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Breakdowns by platform, country, operator and provider, pre-aggregated where the SMS are: every breakdown's rows add up
 * to the campaign's counts, and {@code deliveredWithin} is exact at the service levels' edges (latency ≤ level).
 */
class BreakdownTest {

    private static final String M = "m-breakdown";
    private final TopologyFixture fx = new TopologyFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private static SmsDispatched sms(final String smsId, final String platform, final String country, final String operator,
            final String provider, final Instant at) {
        return SmsDispatched.newBuilder(dispatch(smsId, M, platform, at)).setCountry(country).setOperator(operator).setProvider(provider)
                .build();
    }

    @Test
    void shouldAddUpToTheCampaignInEveryDimension() {
        fx.pipe(sms("a", "android", "TR", "286-01", "acme", T0));
        fx.pipe(sms("b", "ios", "TR", "286-02", "acme", T0.plusSeconds(1)));
        fx.pipe(sms("c", "ios", "DE", "262-01", "globex", T0.plusSeconds(2)));
        fx.pipe(sms("d", "web", null, null, "globex", T0.plusSeconds(3)));
        fx.pipe(receipt("a", ReceiptStatus.DELIVERED, T0.plusSeconds(4), T0.plusSeconds(5)));
        fx.pipe(receipt("b", ReceiptStatus.UNDELIVERABLE, T0.plusSeconds(6), T0.plusSeconds(7)));
        fx.pipe(receipt("c", ReceiptStatus.DELIVERED, T0.plusSeconds(40), T0.plusSeconds(41)));
        fx.pipe(receipt("c", ReceiptStatus.DELIVERED, T0.plusSeconds(40), T0.plusSeconds(42))); // a duplicate counts once

        final PlatformCounts campaign = fx.totals(M);
        assertThat(campaign).isEqualTo(new PlatformCounts(4, 2, 1, 0, 4));
        for (final Dimension dimension : Dimension.values()) {
            final Map<String, BreakdownRow> rows = fx.breakdown(M, dimension);
            final PlatformCounts sum = rows.values().stream().map(BreakdownRow::counts).reduce(PlatformCounts.ZERO, PlatformCounts::plus);
            assertThat(sum).as("%s rows add up to the campaign", dimension).isEqualTo(campaign);
        }
        assertThat(fx.breakdown(M, Dimension.COUNTRY)).containsOnlyKeys("TR", "DE", "unknown");
        assertThat(fx.breakdown(M, Dimension.OPERATOR).get("286-01").counts()).isEqualTo(new PlatformCounts(1, 1, 0, 0, 1));
        assertThat(fx.breakdown(M, Dimension.PROVIDER).get("globex").counts()).isEqualTo(new PlatformCounts(2, 1, 0, 0, 2));
        assertThat(fx.breakdown(M, Dimension.PLATFORM).keySet()).isEqualTo(fx.stats(M).platforms().keySet());
    }

    @Test
    void shouldCountDeliveredWithinEachServiceLevelExactlyAtItsEdges() {
        final long[] latencies = {5_000, 5_001, 30_000, 30_001, 300_000, 300_001};
        for (int i = 0; i < latencies.length; i++) {
            final Instant at = T0.plusSeconds(i);
            fx.pipe(sms("s" + i, "android", "TR", "286-01", "acme", at));
            final Instant done = at.plusMillis(latencies[i]);
            fx.pipe(receipt("s" + i, ReceiptStatus.DELIVERED, done, done.plusSeconds(1)));
        }
        final BreakdownRow row = fx.breakdown(M, Dimension.COUNTRY).get("TR");
        assertThat(row.counts().delivered()).isEqualTo(6);
        // ≤ 5 s: only 5,000 ms; ≤ 30 s: 5,000, 5,001, 30,000; ≤ 300 s: all but 300,001.
        assertThat(row.within()).containsEntry(5_000L, 1L).containsEntry(30_000L, 3L).containsEntry(300_000L, 5L);
    }

    @Test
    void shouldCountTheConfiguredServiceLevels() {
        try (TopologyFixture custom = new TopologyFixture(TopologyFixture.settings().withDeliveredWithin(
                java.util.List.of(Duration.ofMillis(1_500), Duration.ofMinutes(1))))) {
            custom.pipe(sms("x", "ios", "TR", "286-01", "acme", T0));
            custom.pipe(receipt("x", ReceiptStatus.DELIVERED, T0.plusMillis(1_500), T0.plusSeconds(2)));
            assertThat(custom.breakdown(M, Dimension.PLATFORM).get("ios").within())
                    .containsExactlyInAnyOrderEntriesOf(Map.of(1_500L, 1L, 60_000L, 1L));
        }
    }
}
