package io.smsreports.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsreports.testing.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExportLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));

    @Test
    void shouldAllowTheLimitPerTokenThenAnswer429WithRetryAfterUntilTheAllowanceRefills() {
        final ExportLimiter limiter = new ExportLimiter(3, clock);
        for (int i = 0; i < 3; i++) {
            limiter.acquire("ann");
        }
        assertThatThrownBy(() -> limiter.acquire("ann")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.retryAfterSeconds()).isEqualTo(20);
            assertThat(e.getMessage()).contains("At most 3 exports a minute per token");
        });
        limiter.acquire("bob"); // another token has its own allowance
        clock.advance(java.time.Duration.ofSeconds(20));
        limiter.acquire("ann"); // one export back after a third of a minute
        assertThatThrownBy(() -> limiter.acquire("ann")).isInstanceOf(ApiException.class);
    }
}
