package io.smsreports.topology;

import static io.smsreports.topology.TopologyFixture.T0;
import static io.smsreports.topology.TopologyFixture.dispatch;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The expiry scan keeps up with bursts: when more deadlines fall due at once than one scan's budget applies, the
 * rest drains in short slices between records, not one budget per scan interval (10 s), which would fall behind any
 * sustained traffic (BENCHMARKS.md, "Expiry scan").
 */
class ExpiryDrainTest {

    private static final int SMS = 5_000;
    private final TopologyFixture fx = new TopologyFixture(TopologyFixture.settings()
            .withExpiryScanBudget(Duration.ofMillis(1)));

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void shouldDrainABurstOfDueDeadlinesInSlicesWellWithinOneScanInterval() {
        for (int i = 0; i < SMS; i++) {
            fx.pipe(dispatch("s" + i, "burst", "ios", T0.plusMillis(i)));
        }
        // Every timeout is due at once; one scan (1 ms budget) applies only its first batch.
        fx.advanceStreamTimeTo(T0.plus(Duration.ofDays(4)).plusSeconds(60));
        final long afterOneScan = fx.totals("burst").unconfirmed();
        assertThat(afterOneScan).as("one scan's budget is not enough for the burst").isBetween(1L, (long) SMS - 1);

        // Short ticks, far less than the 10 s scan interval, drain the rest.
        for (int tick = 0; tick < 10 && fx.totals("burst").unconfirmed() < SMS; tick++) {
            fx.driver.advanceWallClockTime(Duration.ofMillis(200));
        }
        assertThat(fx.totals("burst").unconfirmed()).as("all due deadlines applied within 2 s of ticks").isEqualTo(SMS);
        assertThat(fx.indexEntries()).as("index entries left: one per SMS, for its retention").isEqualTo(SMS + 1);
    }
}
