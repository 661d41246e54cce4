package io.smsreports.alerting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The alert rules' thresholds (DESIGN "Alerts"; defaults below, each configurable through {@code SMS_ALERT_RULES},
 * e.g. {@code window=15m,minFinals=50}). Windows are whole minutes of event time.
 *
 * @param window             the window of the delivery-rate and failure-spike rules (15 min)
 * @param baseline           the baseline: this long before the window (24 h)
 * @param minFinals          final receipts a window and a baseline need before a rate is judged (50)
 * @param rateDrop           delivery-rate drop: opens below this × the baseline rate (0.8); resolves at half-way back
 * @param spikeShare         failure spike: one code's share of the window's finals above this (0.2) ...
 * @param spikeBaselineShare ... up from under this in the baseline (0.05); resolves at or below half of spikeShare
 * @param stall              receipts stalled: a campaign dispatched in this window and the one before, no final receipt in it (10 min)
 * @param implausibleWindow  implausible receipts: the window (60 min) ...
 * @param implausibleMin     ... with at least this many DELIVERED receipts (200) ...
 * @param implausibleWithin  ... of which at least implausibleShare arrived within this of dispatch (1 s) ...
 * @param implausibleShare   ... (0.9; resolves below 0.8 of it) ...
 * @param implausibleSpread  ... with a standard deviation of those latencies at most this (250 ms)
 * @param grace              a minute is judged once every input task's clock is this far past its end (1 min)
 */
public record AlertRules(Duration window, Duration baseline, long minFinals, double rateDrop, double spikeShare,
        double spikeBaselineShare, Duration stall, Duration implausibleWindow, long implausibleMin, Duration implausibleWithin,
        double implausibleShare, Duration implausibleSpread, Duration grace) {

    public static final AlertRules DEFAULTS = new AlertRules(Duration.ofMinutes(15), Duration.ofHours(24), 50, 0.8, 0.2, 0.05,
            Duration.ofMinutes(10), Duration.ofMinutes(60), 200, Duration.ofSeconds(1), 0.9, Duration.ofMillis(250),
            Duration.ofMinutes(1));

    public AlertRules {
        final List<String> problems = new ArrayList<>();
        for (final Map.Entry<String, Duration> d : Map.of("window", window, "baseline", baseline, "stall", stall,
                "implausibleWindow", implausibleWindow).entrySet()) {
            if (d.getValue() == null || d.getValue().toMinutes() < 1 || d.getValue().toMillis() % 60_000 != 0) {
                problems.add(d.getKey() + " must be a positive number of whole minutes, was " + d.getValue());
            }
        }
        if (implausibleWithin == null || implausibleWithin.isNegative() || implausibleWithin.isZero()
                || implausibleSpread == null || implausibleSpread.isNegative() || grace == null || grace.isNegative()) {
            problems.add("implausibleWithin must be positive, implausibleSpread and grace not negative");
        }
        if (minFinals < 1 || implausibleMin < 1) {
            problems.add("minFinals and implausibleMin must be at least 1");
        }
        for (final Map.Entry<String, Double> share : Map.of("rateDrop", rateDrop, "spikeShare", spikeShare, "spikeBaselineShare",
                spikeBaselineShare, "implausibleShare", implausibleShare).entrySet()) {
            if (!(share.getValue() > 0 && share.getValue() < 1)) {
                problems.add(share.getKey() + " must be between 0 and 1 (exclusive), was " + share.getValue());
            }
        }
        if (problems.isEmpty() && spikeBaselineShare >= spikeShare) {
            problems.add("spikeBaselineShare must be below spikeShare");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /**
     * The defaults with the overrides of a {@code key=value,...} list (shares as decimals; durations read by
     * {@code durations}, the configuration's own syntax).
     *
     * @throws IllegalArgumentException naming the key that is unknown or wrong
     */
    public static AlertRules parse(final String spec, final Function<String, Duration> durations) {
        if (spec == null || spec.isBlank()) {
            return DEFAULTS;
        }
        final Map<String, String> given = new LinkedHashMap<>();
        for (final String part : spec.split(",")) {
            final String[] kv = part.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new IllegalArgumentException("expected key=value, got '" + part.strip() + "'");
            }
            given.put(kv[0].strip(), kv[1].strip());
        }
        final AlertRules d = DEFAULTS;
        final Map<String, String> left = new LinkedHashMap<>(given);
        final AlertRules rules = new AlertRules(duration(left, "window", d.window, durations), duration(left, "baseline", d.baseline, durations),
                count(left, "minFinals", d.minFinals), share(left, "rateDrop", d.rateDrop), share(left, "spikeShare", d.spikeShare),
                share(left, "spikeBaselineShare", d.spikeBaselineShare), duration(left, "stall", d.stall, durations),
                duration(left, "implausibleWindow", d.implausibleWindow, durations), count(left, "implausibleMin", d.implausibleMin),
                duration(left, "implausibleWithin", d.implausibleWithin, durations), share(left, "implausibleShare", d.implausibleShare),
                duration(left, "implausibleSpread", d.implausibleSpread, durations), duration(left, "grace", d.grace, durations));
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("unknown key(s) " + left.keySet() + "; known: window, baseline, minFinals, rateDrop, "
                    + "spikeShare, spikeBaselineShare, stall, implausibleWindow, implausibleMin, implausibleWithin, implausibleShare, "
                    + "implausibleSpread, grace");
        }
        return rules;
    }

    private static Duration duration(final Map<String, String> given, final String key, final Duration fallback,
            final Function<String, Duration> parser) {
        final String v = given.remove(key);
        if (v == null) {
            return fallback;
        }
        try {
            return parser.apply(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be a duration such as 90s, 15m, 24h; was '" + v + "'");
        }
    }

    private static long count(final Map<String, String> given, final String key, final long fallback) {
        final String v = given.remove(key);
        try {
            return v == null ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number; was '" + v + "'");
        }
    }

    private static double share(final Map<String, String> given, final String key, final double fallback) {
        final String v = given.remove(key);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a decimal such as 0.8; was '" + v + "'");
        }
    }

    long windowMinutes() {
        return window.toMinutes();
    }

    long baselineMinutes() {
        return baseline.toMinutes();
    }

    long stallMinutes() {
        return stall.toMinutes();
    }

    long implausibleMinutes() {
        return implausibleWindow.toMinutes();
    }

    /** How long a scope's minute buckets are kept: the baseline and the window before it. */
    long retainedMinutes() {
        return Math.max(baselineMinutes() + windowMinutes(), Math.max(2 * stallMinutes(), implausibleMinutes()));
    }
}
