package io.smsreports.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LifecycleClockTest {

    @Test
    void shouldFollowStreamTimeAndTheWallClockOnlyWhenIdle() {
        final LifecycleClock clock = new LifecycleClock(300_000, Long.MIN_VALUE);
        assertThat(clock.now(1_000)).isEqualTo(1_000);

        clock.recordProcessed();
        assertThat(clock.tick(10_000_000)).as("busy: no wall-clock advance").isFalse();
        assertThat(clock.now(1_000)).isEqualTo(1_000);

        assertThat(clock.tick(10_000_000)).as("idle for a whole interval").isTrue();
        assertThat(clock.now(1_000)).isEqualTo(10_000_000 - 300_000);
        assertThat(clock.now(20_000_000)).as("stream time still wins when ahead").isEqualTo(20_000_000);
        assertThat(clock.tick(5_000_000)).as("never backwards").isFalse();
        assertThat(clock.idleFloor()).isEqualTo(9_700_000);
    }

    @Test
    void shouldResumeFromAPersistedFloor() {
        assertThat(new LifecycleClock(1, 123).now(5)).isEqualTo(123);
    }
}
