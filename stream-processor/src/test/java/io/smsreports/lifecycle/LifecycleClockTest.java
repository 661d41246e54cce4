package io.smsreports.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LifecycleClockTest {

    @Test
    void shouldFollowStreamTimeAndTheWallClockOnlyWhenIdle() {
        final LifecycleClock clock = new LifecycleClock(300_000, Long.MIN_VALUE);
        assertThat(clock.now(1_000)).isEqualTo(1_000);

        clock.recordProcessed();
        assertThat(clock.tick(10_000_000, () -> true)).as("busy: no wall-clock advance").isFalse();
        assertThat(clock.now(1_000)).isEqualTo(1_000);

        assertThat(clock.tick(10_000_000, () -> true)).as("idle for a whole interval").isTrue();
        assertThat(clock.now(1_000)).isEqualTo(10_000_000 - 300_000);
        assertThat(clock.now(20_000_000)).as("stream time still wins when ahead").isEqualTo(20_000_000);
        assertThat(clock.tick(5_000_000, () -> true)).as("never backwards").isFalse();
        assertThat(clock.idleFloor()).isEqualTo(9_700_000);
    }

    @Test
    void shouldNotFollowTheWallClockWhileInputIsStillToBeConsumed() {
        final LifecycleClock clock = new LifecycleClock(300_000, Long.MIN_VALUE);
        // A restarted task with a backlog whose first fetch is slow: no record processed in the interval, but lag > 0.
        assertThat(clock.tick(10_000_000, () -> false)).as("idle but behind: the backlog's times are still to come").isFalse();
        assertThat(clock.now(1_000)).isEqualTo(1_000);
        assertThat(clock.tick(10_000_000, () -> true)).as("idle and consumed").isTrue();
        assertThat(clock.now(1_000)).isEqualTo(9_700_000);
    }

    @Test
    void shouldNotAskAboutTheInputWhenBusy() {
        final LifecycleClock clock = new LifecycleClock(300_000, Long.MIN_VALUE);
        clock.recordProcessed();
        assertThat(clock.tick(10_000_000, () -> {
            throw new AssertionError("asked although busy");
        })).isFalse();
    }

    @Test
    void shouldResumeFromAPersistedFloor() {
        assertThat(new LifecycleClock(1, 123).now(5)).isEqualTo(123);
    }
}
