package io.smsreports.alerting;

import io.smsreports.alerting.Alert.Rule;
import io.smsreports.alerting.Alert.State;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The alert rules over every scope's one-minute buckets, judged minute by minute in event time.
 *
 * <p><b>When a minute is judged.</b> Each SMS task reports its lifecycle clock with its deltas; the watermark is the
 * lowest clock over all {@code sources} input tasks (none before every task has reported). A minute is judged once the
 * watermark is {@link AlertRules#grace()} past its end: by then every task has sent what it counted in that minute,
 * except receipts that arrived later than the grace (they are added to their minute and judged with the next minute).
 * What is judged depends only on the input and on each task's processing order, not on processing speed or batching:
 * a replay yields the same alerts.
 *
 * <p><b>Cost.</b> A scope is judged only at the minutes where one of its windows gains or loses a bucket (kept in an
 * agenda), so a watermark that jumps days ahead costs what the buckets in between cost, not one step per minute. The
 * baseline (a day of minutes) is a running sum moved by the buckets that enter and leave it.
 *
 * <p><b>Episodes.</b> An alert opens once when its condition holds and resolves once when it clears, with hysteresis
 * (a rate must come half-way back from the threshold to the baseline it opened with) so that a figure near the
 * threshold does not flap. A scope whose buckets have all aged out (no traffic for the retention) resolves what is open.
 */
public final class AlertEngine {

    /** Where the engine's changes go: the bucket store and the alerts. */
    public interface Sink {
        void bucket(Scope scope, long minute, AlertCounts counts);

        void bucketRemoved(Scope scope, long minute);

        void alert(Alert alert);
    }

    public static final long NOT_STARTED = Long.MIN_VALUE;

    private final AlertRules rules;
    private final int sources;
    private final Map<Integer, Long> clocks = new TreeMap<>();
    private final Map<Scope, TreeMap<Long, AlertCounts>> buckets = new HashMap<>();
    private final Map<Scope, AlertCounts> baselineSums = new HashMap<>();
    private final Map<Scope, Long> baselineThrough = new HashMap<>();
    private final TreeMap<Long, Set<Scope>> agenda = new TreeMap<>();
    private final Map<String, Alert> open = new TreeMap<>();
    private long evaluatedThrough = NOT_STARTED;

    public AlertEngine(final AlertRules rules, final int sources) {
        if (sources < 1) {
            throw new IllegalArgumentException("sources must be at least 1");
        }
        this.rules = rules;
        this.sources = sources;
    }

    // ---- restore (from the stores, on every task init) ----

    public void restoreClock(final int source, final long clock) {
        clocks.merge(source, clock, Math::max);
    }

    public void restoreEvaluatedThrough(final long minute) {
        evaluatedThrough = minute;
    }

    /** After {@link #restoreEvaluatedThrough}: a bucket's edges still ahead go back on the agenda. */
    public void restoreBucket(final Scope scope, final long minute, final AlertCounts counts) {
        buckets.computeIfAbsent(scope, s -> new TreeMap<>()).put(minute, counts);
        schedule(scope, minute, false);
    }

    public void restoreOpen(final Alert alert) {
        if (alert.state() == State.OPENED) {
            open.put(alert.conditionKey(), alert);
        }
    }

    // ---- input ----

    /** Adds a task's delta and judges every minute the watermark has now passed. */
    public void accept(final AlertDelta delta, final Sink sink) {
        clocks.merge(delta.source(), delta.clock(), Math::max);
        final long oldest = evaluatedThrough == NOT_STARTED ? Long.MIN_VALUE : evaluatedThrough - rules.retainedMinutes();
        for (final AlertDelta.Item item : delta.items()) {
            if (item.minute() <= oldest) {
                continue; // older than anything a window still covers
            }
            final AlertCounts bucket = buckets.computeIfAbsent(item.scope(), s -> new TreeMap<>())
                    .computeIfAbsent(item.minute(), m -> new AlertCounts());
            bucket.add(item.counts());
            sink.bucket(item.scope(), item.minute(), bucket);
            final Long through = baselineThrough.get(item.scope());
            if (through != null && inBaseline(item.minute(), through)) {
                baselineSums.get(item.scope()).add(item.counts());
            }
            schedule(item.scope(), item.minute(), true);
        }
        final long judgeable = judgeableMinute();
        if (judgeable == NOT_STARTED) {
            return;
        }
        if (evaluatedThrough == NOT_STARTED) {
            if (agenda.isEmpty()) {
                return;
            }
            evaluatedThrough = agenda.firstKey() - 1;
        }
        while (!agenda.isEmpty() && agenda.firstKey() <= judgeable) {
            final Map.Entry<Long, Set<Scope>> due = agenda.pollFirstEntry();
            evaluatedThrough = due.getKey();
            for (final Scope scope : due.getValue()) {
                judge(scope, due.getKey(), sink);
            }
        }
        evaluatedThrough = Math.max(evaluatedThrough, judgeable);
    }

    /** The last minute judged (persisted with the buckets), or {@link #NOT_STARTED}. */
    public long evaluatedThrough() {
        return evaluatedThrough;
    }

    /** The last minute the watermark allows to judge, or {@link #NOT_STARTED} before every input task has reported. */
    public long judgeableMinute() {
        if (clocks.size() < sources) {
            return NOT_STARTED;
        }
        final long watermark = clocks.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        if (watermark == Long.MIN_VALUE) {
            return NOT_STARTED;
        }
        return AlertDelta.minuteOf(watermark - rules.grace().toMillis()) - 1;
    }

    // ---- judging ----

    /** The minutes at which a bucket enters or leaves one of the windows (or the baseline), and when it ages out. */
    private void schedule(final Scope scope, final long minute, final boolean news) {
        final long w = rules.windowMinutes();
        final long s = rules.stallMinutes();
        final long[] edges = {minute, minute + w, minute + s, minute + 2 * s, minute + rules.implausibleMinutes(),
                minute + w + rules.baselineMinutes(), minute + rules.retainedMinutes()};
        final boolean started = evaluatedThrough != NOT_STARTED;
        for (final long edge : edges) {
            if (started && edge <= evaluatedThrough && !news) {
                continue; // judged before the restart
            }
            // New counts in a minute already judged are judged with the next minute.
            final long at = started && edge <= evaluatedThrough ? evaluatedThrough + 1 : edge;
            agenda.computeIfAbsent(at, k -> new TreeSet<>()).add(scope);
        }
    }

    private boolean inBaseline(final long minute, final long through) {
        final long end = through - rules.windowMinutes();
        return minute <= end && minute > end - rules.baselineMinutes();
    }

    private void judge(final Scope scope, final long minute, final Sink sink) {
        final TreeMap<Long, AlertCounts> bs = buckets.get(scope);
        final AlertCounts baseline = moveBaseline(scope, bs, minute);
        if (bs != null) {
            final NavigableMap<Long, AlertCounts> aged = bs.headMap(minute - rules.retainedMinutes(), true);
            for (final Long m : List.copyOf(aged.keySet())) {
                bs.remove(m);
                sink.bucketRemoved(scope, m);
            }
        }
        final long at = (minute + 1) * 60_000L;
        if (bs == null || bs.isEmpty()) {
            buckets.remove(scope);
            baselineSums.remove(scope);
            baselineThrough.remove(scope);
            for (final Alert alert : List.copyOf(open.values())) {
                if (alert.scope().equals(scope)) {
                    resolve(alert, at, "no traffic for " + hours(rules.retainedMinutes()), sink);
                }
            }
            return;
        }
        final AlertCounts window = sum(bs, minute, rules.windowMinutes());
        deliveryRate(scope, window, baseline, minute, at, sink);
        failureSpikes(scope, window, baseline, minute, at, sink);
        if (scope.kind() == Scope.Kind.CAMPAIGN) {
            stalled(scope, bs, minute, at, sink);
        } else {
            implausible(scope, sum(bs, minute, rules.implausibleMinutes()), minute, at, sink);
        }
    }

    private void deliveryRate(final Scope scope, final AlertCounts window, final AlertCounts baseline, final long minute, final long at,
            final Sink sink) {
        final String key = Alert.conditionKey(Rule.DELIVERY_RATE_DROP, scope, null);
        final Alert current = open.get(key);
        final boolean judged = window.finals() >= rules.minFinals();
        final double rate = window.deliveryRate();
        if (current == null) {
            if (judged && baseline.finals() >= rules.minFinals() && rate < rules.rateDrop() * baseline.deliveryRate()) {
                open(Rule.DELIVERY_RATE_DROP, scope, null, rate, baseline.deliveryRate(), rules.windowMinutes(), minute, String.format(
                        Locale.ROOT, "Delivery rate of %s fell to %.1f%% over the last %d min (%d final receipts), below %.0f%% of its "
                                + "baseline %.1f%% (the %s before).", scope, 100 * rate, rules.windowMinutes(), window.finals(),
                        100 * rules.rateDrop(), 100 * baseline.deliveryRate(), hours(rules.baselineMinutes())), sink);
            }
        } else if (judged && rate >= (1 + rules.rateDrop()) / 2 * current.baseline()) {
            resolve(current, at, String.format(Locale.ROOT, "delivery rate back to %.1f%%.", 100 * rate), sink);
        }
    }

    private void failureSpikes(final Scope scope, final AlertCounts window, final AlertCounts baseline, final long minute, final long at,
            final Sink sink) {
        final Set<String> codes = new TreeSet<>(window.failedByCode().keySet());
        for (final Alert alert : open.values()) {
            if (alert.rule() == Rule.FAILURE_SPIKE && alert.scope().equals(scope)) {
                codes.add(alert.errorCode());
            }
        }
        final boolean judged = window.finals() >= rules.minFinals();
        for (final String code : codes) {
            final Alert current = open.get(Alert.conditionKey(Rule.FAILURE_SPIKE, scope, code));
            final double share = window.share(code);
            if (current == null) {
                if (judged && baseline.finals() >= rules.minFinals() && share > rules.spikeShare()
                        && baseline.share(code) < rules.spikeBaselineShare()) {
                    open(Rule.FAILURE_SPIKE, scope, code, share, baseline.share(code), rules.windowMinutes(), minute, String.format(
                            Locale.ROOT, "Error code %s makes up %.1f%% of the final receipts of %s over the last %d min (%d of %d), "
                                    + "up from %.1f%% in its baseline.", code, 100 * share, scope, rules.windowMinutes(),
                            window.failedByCode().getOrDefault(code, 0L), window.finals(), 100 * baseline.share(code)), sink);
                }
            } else if (judged && share <= rules.spikeShare() / 2) {
                resolve(current, at, String.format(Locale.ROOT, "error code %s down to %.1f%%.", code, 100 * share), sink);
            }
        }
    }

    private void stalled(final Scope scope, final TreeMap<Long, AlertCounts> bs, final long minute, final long at, final Sink sink) {
        final long s = rules.stallMinutes();
        final AlertCounts last = sum(bs, minute, s);
        final AlertCounts before = sum(bs, minute - s, s);
        final Alert current = open.get(Alert.conditionKey(Rule.RECEIPTS_STALLED, scope, null));
        if (current == null) {
            if (last.dispatched() > 0 && before.dispatched() > 0 && last.finals() == 0) {
                open(Rule.RECEIPTS_STALLED, scope, null, 0, (double) last.dispatched(), s, minute, String.format(Locale.ROOT,
                        "Campaign %s keeps dispatching (%d SMS in the last %d min) but no final receipt arrived in that time.",
                        scope.key(), last.dispatched(), s), sink);
            }
        } else if (last.finals() > 0) {
            resolve(current, at, String.format(Locale.ROOT, "%d final receipt(s) arrived in the last %d min.", last.finals(), s), sink);
        }
    }

    private void implausible(final Scope scope, final AlertCounts window, final long minute, final long at, final Sink sink) {
        final Alert current = open.get(Alert.conditionKey(Rule.IMPLAUSIBLE_RECEIPTS, scope, null));
        final boolean judged = window.delivered() >= rules.implausibleMin();
        final double share = window.delivered() == 0 ? 0 : (double) window.fastDelivered() / window.delivered();
        final double spread = window.fastSpreadMs();
        final long spreadLimit = rules.implausibleSpread().toMillis();
        if (current == null) {
            if (judged && share >= rules.implausibleShare() && spread <= spreadLimit) {
                open(Rule.IMPLAUSIBLE_RECEIPTS, scope, null, share, null, rules.implausibleMinutes(), minute, String.format(Locale.ROOT,
                        "%.1f%% of the %d DELIVERED receipts of %s in the last %d min arrived within %d ms of dispatch, with a spread "
                                + "of %.0f ms: receipts this fast and this even are a known sign of fake delivery reports.", 100 * share,
                        window.delivered(), scope, rules.implausibleMinutes(), rules.implausibleWithin().toMillis(), spread), sink);
            }
        } else if (judged && (share < 0.8 * rules.implausibleShare() || spread > 2 * spreadLimit)) {
            resolve(current, at, String.format(Locale.ROOT, "%.1f%% within %d ms, spread %.0f ms.", 100 * share,
                    rules.implausibleWithin().toMillis(), spread), sink);
        }
    }

    private void open(final Rule rule, final Scope scope, final String code, final double observed, final Double baseline,
            final long windowMinutes, final long minute, final String message, final Sink sink) {
        final long at = (minute + 1) * 60_000L;
        final String id = rule.label() + ":" + scope.kind().label() + ":" + scope.key() + (code == null ? "" : ":" + code) + ":"
                + java.time.Instant.ofEpochMilli(at);
        final Alert alert = new Alert(id, State.OPENED, rule, scope, code, observed, baseline, windowMinutes * 60_000L, at, null,
                message);
        open.put(alert.conditionKey(), alert);
        sink.alert(alert);
    }

    private void resolve(final Alert alert, final long at, final String why, final Sink sink) {
        open.remove(alert.conditionKey());
        sink.alert(alert.resolved(at, why));
    }

    /** The baseline of {@code scope} as of {@code minute}: the buckets in (minute − window − baseline, minute − window]. */
    private AlertCounts moveBaseline(final Scope scope, final TreeMap<Long, AlertCounts> bs, final long minute) {
        final long end = minute - rules.windowMinutes();
        final long start = end - rules.baselineMinutes();
        final Long through = baselineThrough.get(scope);
        AlertCounts sum = baselineSums.get(scope);
        if (bs == null) {
            return new AlertCounts();
        }
        final long oldEnd = through == null ? 0 : through - rules.windowMinutes();
        if (through == null || sum == null || minute < through || start >= oldEnd) {
            sum = new AlertCounts(); // first use, or a jump past the whole baseline: sum it afresh
            for (final AlertCounts c : bs.subMap(start, false, end, true).values()) {
                sum.add(c);
            }
        } else {
            for (final AlertCounts c : bs.subMap(oldEnd, false, end, true).values()) {
                sum.add(c); // entered
            }
            for (final AlertCounts c : bs.subMap(oldEnd - rules.baselineMinutes(), false, start, true).values()) {
                sum.subtract(c); // left
            }
        }
        baselineSums.put(scope, sum);
        baselineThrough.put(scope, minute);
        return sum;
    }

    private static AlertCounts sum(final TreeMap<Long, AlertCounts> bs, final long through, final long minutes) {
        final AlertCounts sum = new AlertCounts();
        for (final AlertCounts c : bs.subMap(through - minutes, false, through, true).values()) {
            sum.add(c);
        }
        return sum;
    }

    private static String hours(final long minutes) {
        return minutes % 60 == 0 ? minutes / 60 + " h" : minutes + " min";
    }
}
