package io.smsreports.reporting;

import io.smsreports.lifecycle.Dispatch;
import io.smsreports.lifecycle.FinalReceipt;
import io.smsreports.lifecycle.Transition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a batch of one campaign's transitions adds to its reports (the first phase of the two-phase aggregation):
 * the counts per platform and the reconciliation counters, the counts per UTC hour (rule 8), the delivery-latency
 * histogram, and the failed and delivered rows. Summed inside the task that holds the SMS and applied once per batch
 * by the task that holds the campaign, every part is a sum or an append, so batches from any number of tasks apply in
 * any order to the same result.
 *
 * @param stats     counts per platform and reconciliation (rules 1-6, 9)
 * @param hourly    UTC hour start → counts per platform (rule 8)
 * @param latency   latency bucket ({@link LatencyBuckets}) → Delivered SMS
 * @param failed    rows of the SMS that became Failed
 * @param delivered rows of the SMS that became Delivered
 * @param breakdown {@link #breakdownKey (dimension, row)} → what the batch adds to that row of the campaign's breakdowns
 * @param failures  {@link FailureKey} → SMS that became Failed with it (rule 11 classifies them when read, by the table
 *                  in force then)
 * @param notSent   rows of recipients not sent to (rule 14) added or removed, in the order of their changes
 */
public record CampaignDelta(CampaignStats stats, Map<Long, HourlyCounts> hourly, Map<Integer, Long> latency,
        List<FailedRecipient> failed, List<DeliveredRecord> delivered, Map<String, BreakdownRow> breakdown, Map<String, Long> failures,
        List<NotSentRecipient> notSent) {

    public static final CampaignDelta EMPTY = new CampaignDelta(CampaignStats.EMPTY, Map.of(), Map.of(), List.of(), List.of(), Map.of(),
            Map.of(), List.of());

    public CampaignDelta(final CampaignStats stats, final Map<Long, HourlyCounts> hourly, final Map<Integer, Long> latency,
            final List<FailedRecipient> failed, final List<DeliveredRecord> delivered, final Map<String, BreakdownRow> breakdown,
            final Map<String, Long> failures) {
        this(stats, hourly, latency, failed, delivered, breakdown, failures, List.of());
    }
    private static final char SEPARATOR = '\u0000';

    public CampaignDelta {
        hourly = Collections.unmodifiableMap(new TreeMap<>(hourly));
        latency = Collections.unmodifiableMap(new TreeMap<>(latency));
        failed = List.copyOf(failed);
        delivered = List.copyOf(delivered);
        breakdown = Collections.unmodifiableMap(new TreeMap<>(breakdown));
        failures = Collections.unmodifiableMap(new TreeMap<>(failures));
        notSent = List.copyOf(notSent);
    }

    /** The key of a breakdown row: the dimension, a NUL, the row's key. */
    public static String breakdownKey(final Dimension dimension, final String key) {
        return dimension.name() + SEPARATOR + key;
    }

    /** The row key of a {@link #breakdownKey}. */
    public static String rowOf(final String breakdownKey) {
        return breakdownKey.substring(breakdownKey.indexOf(SEPARATOR) + 1);
    }

    /** The delta of a batch of transitions, all of one campaign, with the delivery-time thresholds (ms) counted. */
    public static CampaignDelta of(final Iterable<Transition> transitions, final List<Long> thresholdsMs) {
        final Builder builder = new Builder(thresholdsMs);
        for (final Transition t : transitions) {
            builder.add(t);
        }
        return builder.build();
    }

    /** The same delta with its rows in chunks of at most {@code maxRows} (so that no record outgrows a broker's limit). */
    public List<CampaignDelta> chunked(final int maxRows) {
        if (failed.size() + delivered.size() + notSent.size() <= maxRows) {
            return List.of(this);
        }
        final List<CampaignDelta> chunks = new ArrayList<>();
        CampaignDelta head = new CampaignDelta(stats, hourly, latency, List.of(), List.of(), breakdown, failures);
        for (int i = 0; i < notSent.size(); i += maxRows) { // in order: a removal follows the row it removes
            chunks.add(new CampaignDelta(head.stats, head.hourly, head.latency, List.of(), List.of(), head.breakdown, head.failures,
                    notSent.subList(i, Math.min(notSent.size(), i + maxRows))));
            head = EMPTY;
        }
        for (int i = 0; i < failed.size(); i += maxRows) {
            chunks.add(new CampaignDelta(head.stats, head.hourly, head.latency, failed.subList(i, Math.min(failed.size(), i + maxRows)),
                    List.of(), head.breakdown, head.failures));
            head = EMPTY;
        }
        for (int i = 0; i < delivered.size(); i += maxRows) {
            chunks.add(new CampaignDelta(head.stats, head.hourly, head.latency, List.of(),
                    delivered.subList(i, Math.min(delivered.size(), i + maxRows)), head.breakdown, head.failures));
            head = EMPTY;
        }
        return chunks;
    }

    /** Sums transitions of one campaign. */
    public static final class Builder {
        private final List<Long> thresholdsMs;
        private final Map<String, BreakdownRow> breakdown = new TreeMap<>();
        private final Map<String, Long> failures = new TreeMap<>();
        private CampaignStats stats = CampaignStats.EMPTY;
        private final Map<Long, HourlyCounts> hourly = new TreeMap<>();
        private final Map<Integer, Long> latency = new TreeMap<>();
        private final List<FailedRecipient> failed = new ArrayList<>();
        private final List<DeliveredRecord> delivered = new ArrayList<>();
        private final List<NotSentRecipient> notSent = new ArrayList<>();

        /** @param thresholdsMs the delivery-time thresholds whose Delivered SMS are counted per breakdown row */
        public Builder(final List<Long> thresholdsMs) {
            this.thresholdsMs = List.copyOf(thresholdsMs);
        }

        public Builder add(final Transition t) {
            stats = stats.apply(t);
            final BreakdownRow row = BreakdownRow.of(t, thresholdsMs);
            for (final Dimension dimension : Dimension.values()) {
                if (t.isNotSentChange() && (dimension == Dimension.PROVIDER || dimension == Dimension.ROUTE)
                        || t.isClickChange() && dimension == Dimension.ROUTE) {
                    continue; // rule 14: a recipient not sent to was handed to no provider; the route scorecard has no clicks
                }
                breakdown.merge(breakdownKey(dimension, dimension.keyOf(t.dispatch())), row, BreakdownRow::plus);
            }
            final Dispatch dispatch = t.dispatch();
            final FinalReceipt receipt = t.finalReceipt();
            if (t.isNotSentChange()) { // rule 14: the export's row, added or removed
                notSent.add(new NotSentRecipient(t.smsId(), dispatch.externalId(), dispatch.msisdn(), dispatch.email(), dispatch.platform(),
                        dispatch.country(), dispatch.operator(), t.notSentReason(), dispatch.dispatchedAt(), t.notSentDelta() < 0));
            }
            if (t.has(Transition.SENT)) {
                addHourly(dispatch.platform(), dispatch.dispatchedAt(), new HourlyCounts.Counts(1, 0, 0)); // rule 8
            }
            if (t.has(Transition.DELIVERED)) {
                addHourly(dispatch.platform(), receipt.finalAt(), new HourlyCounts.Counts(0, 1, 0)); // rule 8
                latency.merge(LatencyBuckets.bucketOf(t.latencyMs()), 1L, Long::sum);
                delivered.add(new DeliveredRecord(t.smsId(), dispatch.messageId(), dispatch.msisdn(), dispatch.externalId(),
                        dispatch.email(), dispatch.platform(), provider(receipt, dispatch), dispatch.dispatchedAt(), receipt.finalAt(),
                        t.latencyMs()));
            }
            if (t.has(Transition.FAILED)) {
                addHourly(dispatch.platform(), receipt.finalAt(), new HourlyCounts.Counts(0, 0, 1)); // rule 8
                failures.merge(FailureKey.of(receipt.status(), receipt.errorCode(), provider(receipt, dispatch),
                        Dimension.OPERATOR.keyOf(dispatch)), 1L, Long::sum);
                failed.add(new FailedRecipient(t.smsId(), dispatch.externalId(), dispatch.msisdn(), dispatch.email(), dispatch.platform(),
                        provider(receipt, dispatch), receipt.status(), receipt.errorCode(), receipt.failReason(), receipt.finalAt(),
                        t.priceAfter() == null ? null : t.priceAfter().micros(), t.priceAfter() == null ? null : t.priceAfter().currency()));
            }
            return this;
        }

        public CampaignDelta build() {
            return new CampaignDelta(stats, hourly, latency, failed, delivered, breakdown, failures, notSent);
        }

        private void addHourly(final String platform, final long at, final HourlyCounts.Counts delta) {
            hourly.merge(HourlyCounts.hourOf(at), HourlyCounts.EMPTY.add(platform, delta), HourlyCounts::plus);
        }

        private static String provider(final FinalReceipt receipt, final Dispatch dispatch) {
            return receipt.provider() != null ? receipt.provider() : dispatch.provider();
        }
    }
}
