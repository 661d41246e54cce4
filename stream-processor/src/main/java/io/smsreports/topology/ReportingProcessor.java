package io.smsreports.topology;

import io.smsreports.reporting.BreakdownRow;
import io.smsreports.reporting.CampaignDelta;
import io.smsreports.reporting.CampaignStats;
import io.smsreports.reporting.DeliveredRecord;
import io.smsreports.reporting.FailedRecipient;
import io.smsreports.reporting.NotSentRecipient;
import io.smsreports.reporting.HourlyCounts;
import io.smsreports.reporting.Reconciliation;
import io.smsreports.reporting.ReportingEvent;
import io.smsreports.state.CampaignOrderKeys;
import io.smsreports.state.LatencyKey;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The second phase of the two-phase aggregation, keyed by messageId: adds each task's {@link CampaignDelta} to the
 * campaign's stores, and keeps the campaign metadata next to them. Every update is a sum or an append: the counting
 * rules were applied by the lifecycle and the deltas summed by {@link CampaignDeltaProcessor} where the SMS are.
 */
public final class ReportingProcessor implements Processor<String, ReportingEvent, Void, Void> {

    private KeyValueStore<String, io.smsreports.events.Campaign> campaigns;
    private KeyValueStore<Bytes, byte[]> order;
    private KeyValueStore<String, BreakdownRow> breakdown;
    private KeyValueStore<String, Long> failures;
    private final List<Long> deliveredWithinMs;

    /** @param deliveredWithinMs the delivery-time service levels (for transitions an earlier version sent one by one) */
    public ReportingProcessor(final List<Long> deliveredWithinMs) {
        this.deliveredWithinMs = List.copyOf(deliveredWithinMs);
    }
    private KeyValueStore<String, CampaignStats> stats;
    private WindowStore<String, HourlyCounts> hourly;
    private WindowStore<String, FailedRecipient> failed;
    private WindowStore<String, NotSentRecipient> notSent;
    private WindowStore<String, DeliveredRecord> delivered;
    private KeyValueStore<LatencyKey, Long> latency;

    /** Marks an index that is complete (built from the stores once, after an upgrade from a version without it). */
    private static final Bytes INDEX_BUILT = Bytes.wrap(new byte[0]);
    private static final byte[] PRESENT = new byte[0];

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        order = context.getStateStore(StoreNames.CAMPAIGN_ORDER);
        breakdown = context.getStateStore(StoreNames.CAMPAIGN_BREAKDOWN);
        failures = context.getStateStore(StoreNames.CAMPAIGN_FAILURES);
        campaigns = context.getStateStore(StoreNames.CAMPAIGNS);
        stats = context.getStateStore(StoreNames.CAMPAIGN_STATS);
        hourly = context.getStateStore(StoreNames.CAMPAIGN_HOURLY);
        failed = context.getStateStore(StoreNames.CAMPAIGN_FAILED);
        notSent = context.getStateStore(StoreNames.CAMPAIGN_NOT_SENT);
        delivered = context.getStateStore(StoreNames.CAMPAIGN_DELIVERED);
        latency = context.getStateStore(StoreNames.CAMPAIGN_LATENCY);
        if (order.get(INDEX_BUILT) == null) {
            buildOrderIndex();
        }
    }

    private void buildOrderIndex() {
        try (KeyValueIterator<String, io.smsreports.events.Campaign> it = campaigns.all()) {
            it.forEachRemaining(kv -> order.put(CampaignOrderKeys.of(kv.value.getCreatedAt().toEpochMilli(), kv.key), PRESENT));
        }
        try (KeyValueIterator<String, CampaignStats> it = stats.all()) {
            it.forEachRemaining(kv -> {
                if (campaigns.get(kv.key) == null) {
                    order.put(CampaignOrderKeys.of(CampaignOrderKeys.NO_METADATA, kv.key), PRESENT);
                }
            });
        }
        order.put(INDEX_BUILT, PRESENT);
    }

    @Override
    public void process(final Record<String, ReportingEvent> record) {
        final String messageId = record.key();
        final ReportingEvent event = record.value();
        if (event instanceof ReportingEvent.CampaignUpdated updated) {
            final io.smsreports.events.Campaign previous = campaigns.get(messageId);
            order.delete(CampaignOrderKeys.of(previous == null ? CampaignOrderKeys.NO_METADATA : previous.getCreatedAt().toEpochMilli(),
                    messageId));
            order.put(CampaignOrderKeys.of(updated.campaign().getCreatedAt().toEpochMilli(), messageId), PRESENT);
            campaigns.put(messageId, updated.campaign());
        } else if (event instanceof ReportingEvent.CampaignRemoved) {
            final io.smsreports.events.Campaign previous = campaigns.get(messageId);
            if (previous != null) {
                order.delete(CampaignOrderKeys.of(previous.getCreatedAt().toEpochMilli(), messageId));
                if (stats.get(messageId) != null) {
                    order.put(CampaignOrderKeys.of(CampaignOrderKeys.NO_METADATA, messageId), PRESENT); // the counts stay
                }
            }
            campaigns.delete(messageId);
        } else if (event instanceof ReportingEvent.Aggregated aggregated) {
            apply(messageId, aggregated.delta());
        } else {
            apply(messageId, CampaignDelta.of(List.of(((ReportingEvent.SmsChanged) event).transition()), deliveredWithinMs));
        }
    }

    /** The second phase: one task's batch of the campaign's changes, added to the campaign's stores. */
    private void apply(final String messageId, final CampaignDelta delta) {
        if (!delta.stats().platforms().isEmpty() || !delta.stats().reconciliation().equals(Reconciliation.ZERO)
                || !delta.stats().notSent().isEmpty() || !delta.stats().engagement().equals(io.smsreports.reporting.Engagement.ZERO)) {
            final CampaignStats current = stats.get(messageId);
            stats.put(messageId, current == null ? delta.stats() : current.plus(delta.stats()));
            if (current == null && campaigns.get(messageId) == null) {
                order.put(CampaignOrderKeys.of(CampaignOrderKeys.NO_METADATA, messageId), PRESENT); // counts before metadata
            }
        }
        delta.hourly().forEach((hour, counts) -> {
            final HourlyCounts current = hourly.fetch(messageId, hour);
            hourly.put(messageId, current == null ? counts : current.plus(counts), hour);
        });
        delta.latency().forEach((bucket, count) -> {
            final LatencyKey key = new LatencyKey(messageId, bucket);
            final Long current = latency.get(key);
            latency.put(key, (current == null ? 0 : current) + count);
        });
        delta.breakdown().forEach((rowKey, row) -> {
            final String key = CampaignKeys.of(messageId, rowKey);
            final BreakdownRow current = breakdown.get(key);
            breakdown.put(key, current == null ? row : current.plus(row));
        });
        delta.failures().forEach((failureKey, count) -> {
            final String key = CampaignKeys.of(messageId, failureKey);
            final Long current = failures.get(key);
            failures.put(key, (current == null ? 0 : current) + count);
        });
        for (final FailedRecipient row : delta.failed()) {
            failed.put(messageId, row, row.failedAt());
        }
        for (final DeliveredRecord row : delta.delivered()) {
            delivered.put(messageId, row, row.deliveredAt());
        }
        for (final NotSentRecipient row : delta.notSent()) { // rule 14: in order, a removal after the row it removes
            notSent.put(CampaignKeys.of(messageId, row.smsId()), row.removed() ? null : row, row.decidedAt());
        }
    }
}
