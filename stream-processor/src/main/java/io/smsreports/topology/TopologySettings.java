package io.smsreports.topology;

import io.smsreports.alerting.AlertRules;
import io.smsreports.events.Topics;
import io.smsreports.lifecycle.Tariffs;
import io.smsreports.replies.ReplyRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What shapes the topology.
 *
 * @param topics              topic names
 * @param reportingPartitions partitions of the repartition topics keyed by messageId
 * @param receiptTimeout      dispatch → Unconfirmed without a final receipt (rule 5; default 4 days)
 * @param earlyReceiptHold    how long receipts wait for their dispatch before they are orphans (rule 4/7)
 * @param smsRetention        how long per-SMS state is kept after dispatch (default 7 days)
 * @param historyRetention    how long hourly windows, failed recipients and person histories are kept (6 months)
 * @param idleClockLag        margin behind the wall clock to which the watermark of a task with both inputs idle advances
 * @param inputIdleness       how long a caught-up input must be silent to stop holding its task's watermark back (rule 13)
 * @param expiryScanInterval  how often the expiry index is scanned (wall-clock)
 * @param expiryScanBudget    the longest one scan may hold the stream thread
 * @param allowedClockSkew    how far ahead of the wall clock an event time may lie and still be believed (rule 12)
 * @param aggregationInterval how often each SMS task sends what it summed per campaign to the campaign's task (the
 *                            commit interval: at most one delta per campaign, task and commit)
 * @param deliveredWithin     the delivery-time service levels counted per campaign and breakdown row (5 s, 30 s, 300 s)
 * @param inputPartitions     partitions of the dispatches and receipts topics: the SMS tasks whose clocks make the alerts' watermark
 * @param alertRules          the alert rules' thresholds
 * @param tariffs             the configured prices of SMS that carry none (rule 15), as they are now (a file may reload)
 * @param replies             the reply window and stop keywords (rule 17)
 */
public record TopologySettings(Topics topics, int reportingPartitions, Duration receiptTimeout, Duration earlyReceiptHold,
        Duration smsRetention, Duration historyRetention, Duration idleClockLag, Duration inputIdleness, Duration expiryScanInterval,
        Duration expiryScanBudget, Duration allowedClockSkew, Duration aggregationInterval, List<Duration> deliveredWithin,
        int inputPartitions, AlertRules alertRules, Supplier<Tariffs> tariffs, ReplyRules replies) {

    public static final Duration DEFAULT_RECEIPT_TIMEOUT = Duration.ofDays(4);
    public static final Duration DEFAULT_SMS_RETENTION = Duration.ofDays(7);
    public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(183);
    public static final Duration DEFAULT_IDLE_CLOCK_LAG = Duration.ofMinutes(5);
    public static final Duration DEFAULT_INPUT_IDLENESS = Duration.ofSeconds(60);
    public static final Duration DEFAULT_EXPIRY_SCAN_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_EXPIRY_SCAN_BUDGET = Duration.ofMillis(500);
    public static final Duration DEFAULT_ALLOWED_CLOCK_SKEW = Duration.ofHours(1);
    public static final Duration DEFAULT_AGGREGATION_INTERVAL = Duration.ofMillis(200);
    public static final List<Duration> DEFAULT_DELIVERED_WITHIN = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofSeconds(300));

    public TopologySettings {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(alertRules, "alertRules");
        Objects.requireNonNull(tariffs, "tariffs");
        Objects.requireNonNull(replies, "replies");
        if (inputPartitions < 1) {
            throw new IllegalArgumentException("inputPartitions must be at least 1, was " + inputPartitions);
        }
        if (reportingPartitions < 1) {
            throw new IllegalArgumentException("reportingPartitions must be at least 1, was " + reportingPartitions);
        }
        final List<String> problems = problems(Map.of("receiptTimeout", receiptTimeout, "earlyReceiptHold", earlyReceiptHold,
                "smsRetention", smsRetention, "historyRetention", historyRetention, "idleClockLag", idleClockLag,
                "inputIdleness", inputIdleness, "expiryScanInterval", expiryScanInterval, "expiryScanBudget", expiryScanBudget, "allowedClockSkew", allowedClockSkew,
                "aggregationInterval", aggregationInterval), name -> name);
        deliveredWithin = List.copyOf(deliveredWithin);
        final String levels = deliveredWithinProblem(deliveredWithin, "deliveredWithin");
        if (levels != null) {
            problems.add(levels);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** What is wrong with a list of delivery-time service levels, named {@code label}, or null. */
    public static String deliveredWithinProblem(final List<Duration> levels, final String label) {
        if (levels.isEmpty() || levels.size() > 10 || levels.stream().anyMatch(d -> d.isNegative() || d.isZero())) {
            return label + " must be 1 to 10 positive durations, was " + levels;
        }
        return null;
    }

    /** The delivery-time service levels in milliseconds, ascending. */
    public List<Long> deliveredWithinMs() {
        return deliveredWithin.stream().map(Duration::toMillis).distinct().sorted().toList();
    }

    /**
     * The rules the topology's durations must keep, the one place they are written: each is positive; receipts are held
     * for at least the receipt timeout (rule 4); an SMS is retained at least until it times out; histories outlive SMS
     * states. {@code label} names a component as the caller's user knows it ({@code ProcessorConfig}: the environment
     * variable).
     *
     * @param durations the durations given, by component name (absent ones are not checked)
     */
    public static List<String> problems(final Map<String, Duration> durations, final UnaryOperator<String> label) {
        final List<String> problems = new ArrayList<>();
        new TreeMap<>(durations).forEach((name, d) -> {
            if (d == null || d.isNegative() || d.isZero()) {
                problems.add(label.apply(name) + " must be a positive duration, was " + d);
            }
        });
        atLeast(durations, "earlyReceiptHold", "receiptTimeout", ": receipts are held for at least the finalization window", label,
                problems);
        atLeast(durations, "smsRetention", "receiptTimeout", "", label, problems);
        atLeast(durations, "historyRetention", "smsRetention", "", label, problems);
        return problems;
    }

    private static void atLeast(final Map<String, Duration> durations, final String longer, final String shorter, final String why,
            final UnaryOperator<String> label, final List<String> problems) {
        final Duration a = durations.get(longer);
        final Duration b = durations.get(shorter);
        if (a != null && b != null && a.compareTo(b) < 0) {
            problems.add(label.apply(longer) + " (" + a + ") must be at least " + label.apply(shorter) + " (" + b + ")" + why);
        }
    }

    /** The defaults of DESIGN.md for the given topics and partition count (of the inputs and of the reporting topics). */
    public static TopologySettings defaults(final Topics topics, final int reportingPartitions) {
        return new TopologySettings(topics, reportingPartitions, DEFAULT_RECEIPT_TIMEOUT, DEFAULT_RECEIPT_TIMEOUT,
                DEFAULT_SMS_RETENTION, DEFAULT_HISTORY_RETENTION, DEFAULT_IDLE_CLOCK_LAG, DEFAULT_INPUT_IDLENESS, DEFAULT_EXPIRY_SCAN_INTERVAL,
                DEFAULT_EXPIRY_SCAN_BUDGET, DEFAULT_ALLOWED_CLOCK_SKEW, DEFAULT_AGGREGATION_INTERVAL, DEFAULT_DELIVERED_WITHIN,
                reportingPartitions, AlertRules.DEFAULTS, () -> Tariffs.NONE, ReplyRules.DEFAULTS);
    }

    public TopologySettings withExpiryScanInterval(final Duration interval) {
        return new TopologySettings(topics, reportingPartitions, receiptTimeout, earlyReceiptHold, smsRetention, historyRetention,
                idleClockLag, inputIdleness, interval, expiryScanBudget, allowedClockSkew, aggregationInterval, deliveredWithin, inputPartitions, alertRules, tariffs, replies);
    }

    public TopologySettings withExpiryScanBudget(final Duration budget) {
        return new TopologySettings(topics, reportingPartitions, receiptTimeout, earlyReceiptHold, smsRetention, historyRetention,
                idleClockLag, inputIdleness, expiryScanInterval, budget, allowedClockSkew, aggregationInterval, deliveredWithin, inputPartitions, alertRules, tariffs, replies);
    }

    public TopologySettings withIdleClockLag(final Duration lag) {
        return new TopologySettings(topics, reportingPartitions, receiptTimeout, earlyReceiptHold, smsRetention, historyRetention,
                lag, inputIdleness, expiryScanInterval, expiryScanBudget, allowedClockSkew, aggregationInterval, deliveredWithin, inputPartitions, alertRules, tariffs, replies);
    }

    public TopologySettings withInputIdleness(final Duration idleness) {
        return new TopologySettings(topics, reportingPartitions, receiptTimeout, earlyReceiptHold, smsRetention, historyRetention,
                idleClockLag, idleness, expiryScanInterval, expiryScanBudget, allowedClockSkew, aggregationInterval, deliveredWithin,
                inputPartitions, alertRules, tariffs, replies);
    }

    public TopologySettings withDeliveredWithin(final List<Duration> levels) {
        return new TopologySettings(topics, reportingPartitions, receiptTimeout, earlyReceiptHold, smsRetention, historyRetention,
                idleClockLag, inputIdleness, expiryScanInterval, expiryScanBudget, allowedClockSkew, aggregationInterval, levels, inputPartitions, alertRules, tariffs, replies);
    }

    public TopologySettings withAggregationInterval(final Duration interval) {
        return new TopologySettings(topics, reportingPartitions, receiptTimeout, earlyReceiptHold, smsRetention, historyRetention,
                idleClockLag, inputIdleness, expiryScanInterval, expiryScanBudget, allowedClockSkew, interval, deliveredWithin, inputPartitions, alertRules, tariffs, replies);
    }

    public TopologySettings withAllowedClockSkew(final Duration skew) {
        return new TopologySettings(topics, reportingPartitions, receiptTimeout, earlyReceiptHold, smsRetention, historyRetention,
                idleClockLag, inputIdleness, expiryScanInterval, expiryScanBudget, skew, aggregationInterval, deliveredWithin, inputPartitions, alertRules, tariffs, replies);
    }

    public TopologySettings withAlertRules(final AlertRules rules) {
        return new TopologySettings(topics, reportingPartitions, receiptTimeout, earlyReceiptHold, smsRetention, historyRetention,
                idleClockLag, inputIdleness, expiryScanInterval, expiryScanBudget, allowedClockSkew, aggregationInterval, deliveredWithin, inputPartitions,
                rules, tariffs, replies);
    }

    public TopologySettings withTariffs(final Supplier<Tariffs> newTariffs) {
        return new TopologySettings(topics, reportingPartitions, receiptTimeout, earlyReceiptHold, smsRetention, historyRetention,
                idleClockLag, inputIdleness, expiryScanInterval, expiryScanBudget, allowedClockSkew, aggregationInterval, deliveredWithin,
                inputPartitions, alertRules, newTariffs, replies);
    }

    public TopologySettings withHistoryRetention(final Duration retention) {
        return new TopologySettings(topics, reportingPartitions, receiptTimeout, earlyReceiptHold, smsRetention, retention,
                idleClockLag, inputIdleness, expiryScanInterval, expiryScanBudget, allowedClockSkew, aggregationInterval, deliveredWithin, inputPartitions,
                alertRules, tariffs, replies);
    }

    public TopologySettings withReplies(final ReplyRules rules) {
        return new TopologySettings(topics, reportingPartitions, receiptTimeout, earlyReceiptHold, smsRetention, historyRetention,
                idleClockLag, inputIdleness, expiryScanInterval, expiryScanBudget, allowedClockSkew, aggregationInterval, deliveredWithin,
                inputPartitions, alertRules, tariffs, rules);
    }
}
