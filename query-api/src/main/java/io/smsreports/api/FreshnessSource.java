package io.smsreports.api;

import io.smsreports.api.dto.Freshness;
import io.smsreports.query.ReportReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The freshness every report response carries, for the whole application (all instances' lifecycle tasks), asked at
 * most once per {@link #MAX_AGE} per instance: the dashboard polls every report every 3 s per tab, and progress changes
 * slowly. Bound to the fan-out once the federation exists.
 */
final class FreshnessSource {

    static final Duration MAX_AGE = Duration.ofSeconds(1);

    private final Clock clock;
    private volatile Supplier<ReportReader.Progress> progress;
    private volatile Freshness cached;
    private volatile Instant cachedAt = Instant.MIN;

    FreshnessSource(final Clock clock) {
        this.clock = clock;
    }

    void bind(final Supplier<ReportReader.Progress> source) {
        this.progress = Objects.requireNonNull(source, "source");
    }

    Freshness current() {
        final Instant now = clock.instant();
        final Freshness last = cached;
        if (last != null && now.isBefore(cachedAt.plus(MAX_AGE))) {
            return last;
        }
        final ReportReader.Progress p = Objects.requireNonNull(progress, "not bound").get();
        final Freshness fresh = new Freshness(p.asOf() == null ? null : Instant.ofEpochMilli(p.asOf()), p.inputLag());
        cached = fresh;
        cachedAt = now;
        return fresh;
    }
}
