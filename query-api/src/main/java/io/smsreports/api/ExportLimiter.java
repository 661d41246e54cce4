package io.smsreports.api;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code perMinute} exports a minute for each token on this instance (a token bucket refilled continuously):
 * an export streams a whole campaign's failed users, so one client cannot keep the instance's disk and CPU busy with
 * them. A request over the limit gets 429 with {@code Retry-After}.
 */
public final class ExportLimiter {

    private final double perMinute;
    private final Clock clock;
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>(); // name -> {tokens, last refill millis}

    public ExportLimiter(final int perMinute, final Clock clock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1, was " + perMinute);
        }
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Takes one export from {@code principal}'s allowance. @throws ApiException 429 when there is none left */
    public void acquire(final String principal) {
        final long now = clock.millis();
        final double[] bucket = buckets.computeIfAbsent(principal, p -> new double[] {perMinute, now});
        synchronized (bucket) {
            bucket[0] = Math.min(perMinute, bucket[0] + (now - bucket[1]) * perMinute / 60_000.0);
            bucket[1] = now;
            if (bucket[0] < 1) {
                final long waitSeconds = (long) Math.ceil((1 - bucket[0]) * 60.0 / perMinute);
                throw new ApiException(429, "too many requests", "At most " + (long) perMinute + " exports a minute per token; "
                        + "retry in " + waitSeconds + " s", (int) Math.max(1, waitSeconds));
            }
            bucket[0] -= 1;
        }
    }

}
