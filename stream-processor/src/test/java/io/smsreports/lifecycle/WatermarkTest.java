package io.smsreports.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.lifecycle.Watermark.Input;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Rule 13: the lowest time the inputs have reached, an idle input excepted; the wall clock only when both are idle. */
class WatermarkTest {

    private static final Duration IDLENESS = Duration.ofSeconds(60);
    private static final Duration IDLE_LAG = Duration.ofMinutes(5);
    private static final long WALL = 1_800_000_000_000L;

    private static Watermark fresh() {
        return new Watermark(IDLENESS, IDLE_LAG, Watermark.State.EMPTY, WALL);
    }

    @Test
    void shouldBeTheSlowerInputsTime() {
        final Watermark w = fresh();
        assertThat(w.onRecord(Input.RECEIPTS, 5_000, WALL)).as("one input alone holds nothing up").isEqualTo(Watermark.NONE);
        assertThat(w.onRecord(Input.DISPATCHES, 2_000, WALL)).isEqualTo(2_000);
        assertThat(w.onRecord(Input.DISPATCHES, 9_000, WALL)).as("receipts are behind now").isEqualTo(5_000);
        assertThat(w.onRecord(Input.DISPATCHES, 1_000, WALL)).as("a record out of order moves nothing back").isEqualTo(5_000);
        assertThat(w.onRecord(Input.RECEIPTS, 12_000, WALL)).isEqualTo(9_000);
    }

    @Test
    void shouldStopWaitingForAnInputThatIsCaughtUpAndSilent() {
        final Watermark w = fresh();
        w.onRecord(Input.DISPATCHES, 1_000, WALL);
        w.onRecord(Input.RECEIPTS, 50_000, WALL + 30_000);
        assertThat(w.tick(WALL + 59_000, input -> true)).as("silent for less than the idleness").isFalse();
        assertThat(w.now()).isEqualTo(1_000);
        assertThat(w.tick(WALL + 61_000, input -> input != Input.DISPATCHES)).as("silent, but not caught up").isFalse();
        assertThat(w.tick(WALL + 61_000, input -> true)).as("dispatches silent and consumed").isTrue();
        assertThat(w.idle(Input.DISPATCHES)).isTrue();
        assertThat(w.idle(Input.RECEIPTS)).as("receipts came 31 s ago").isFalse();
        assertThat(w.now()).as("the receipts' time").isEqualTo(50_000);
        assertThat(w.onRecord(Input.DISPATCHES, 2_000, WALL + 62_000)).as("back again, but never backwards").isEqualTo(50_000);
    }

    @Test
    void shouldFollowTheWallClockOnlyWhenBothInputsAreIdle() {
        final Watermark w = fresh();
        w.onRecord(Input.DISPATCHES, 1_000, WALL);
        w.onRecord(Input.RECEIPTS, 3_000, WALL);
        final long later = WALL + IDLENESS.toMillis();
        assertThat(w.tick(later, input -> true)).isTrue();
        assertThat(w.now()).isEqualTo(later - IDLE_LAG.toMillis());
        assertThat(w.state().idleFloor()).isEqualTo(later - IDLE_LAG.toMillis());
    }

    @Test
    void shouldNotAskWhetherABusyInputIsCaughtUp() {
        final Watermark w = fresh();
        w.onRecord(Input.DISPATCHES, 1_000, WALL);
        w.onRecord(Input.RECEIPTS, 1_000, WALL);
        assertThat(w.tick(WALL + 1_000, input -> {
            throw new AssertionError("asked about " + input + " although it brought a record a second ago");
        })).isFalse();
    }

    @Test
    void shouldResumeFromItsStateAndCountSilenceFromTheRestart() {
        final Watermark.State state = new Watermark.State(7_000, 4_000, 100, 4_000);
        final Watermark w = new Watermark(IDLENESS, IDLE_LAG, state, WALL);
        assertThat(w.now()).isEqualTo(4_000);
        assertThat(w.state()).isEqualTo(state);
        assertThat(w.tick(WALL + 1_000, input -> true)).as("a restarted task waits a whole idleness period").isFalse();
        assertThat(w.onRecord(Input.RECEIPTS, 8_000, WALL + 2_000)).isEqualTo(7_000);
    }
}
