package io.smsreports.reporting;

import io.smsreports.lifecycle.Dispatch;
import io.smsreports.lifecycle.FinalReceipt;
import io.smsreports.lifecycle.Transition;
import io.smsreports.state.LatencyKey;
import io.smsreports.topology.StoreNames;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Adds up the transitions of each campaign, keyed by messageId, and keeps the campaign metadata next to
 * them. Every update is a pure function of the transition: the counting rules were already applied by the
 * lifecycle, so this side only sums (rules 8 and 9 decide where: the dispatch's platform, the hour of
 * {@code dispatchedAt} for Sent and of the final receipt for Delivered/Failed).
 */
public final class ReportingProcessor implements Processor<String, ReportingEvent, Void, Void> {

    private KeyValueStore<String, io.smsreports.events.Campaign> campaigns;
    private KeyValueStore<String, CampaignStats> stats;
    private WindowStore<String, HourlyCounts> hourly;
    private WindowStore<String, FailedRecipient> failed;
    private WindowStore<String, DeliveredRecord> delivered;
    private KeyValueStore<LatencyKey, Long> latency;

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        campaigns = context.getStateStore(StoreNames.CAMPAIGNS);
        stats = context.getStateStore(StoreNames.CAMPAIGN_STATS);
        hourly = context.getStateStore(StoreNames.CAMPAIGN_HOURLY);
        failed = context.getStateStore(StoreNames.CAMPAIGN_FAILED);
        delivered = context.getStateStore(StoreNames.CAMPAIGN_DELIVERED);
        latency = context.getStateStore(StoreNames.CAMPAIGN_LATENCY);
    }

    @Override
    public void process(final Record<String, ReportingEvent> record) {
        final String messageId = record.key();
        final ReportingEvent event = record.value();
        if (event instanceof ReportingEvent.CampaignUpdated updated) {
            campaigns.put(messageId, updated.campaign());
        } else if (event instanceof ReportingEvent.CampaignRemoved) {
            campaigns.delete(messageId);
        } else {
            apply(messageId, ((ReportingEvent.SmsChanged) event).transition());
        }
    }

    private void apply(final String messageId, final Transition t) {
        final CampaignStats current = stats.get(messageId);
        stats.put(messageId, (current == null ? CampaignStats.EMPTY : current).apply(t));

        final Dispatch dispatch = t.dispatch();
        final FinalReceipt receipt = t.finalReceipt();
        if (t.has(Transition.SENT)) {
            addHourly(messageId, dispatch.platform(), dispatch.dispatchedAt(), new HourlyCounts.Counts(1, 0, 0)); // rule 8
        }
        if (t.has(Transition.DELIVERED)) {
            addHourly(messageId, dispatch.platform(), receipt.finalAt(), new HourlyCounts.Counts(0, 1, 0)); // rule 8
            final LatencyKey bucket = new LatencyKey(messageId, LatencyBuckets.bucketOf(t.latencyMs()));
            final Long count = latency.get(bucket);
            latency.put(bucket, (count == null ? 0 : count) + 1);
            delivered.put(messageId, new DeliveredRecord(t.smsId(), messageId, dispatch.msisdn(), dispatch.externalId(),
                    dispatch.email(), dispatch.platform(), receipt.provider() != null ? receipt.provider() : dispatch.provider(),
                    dispatch.dispatchedAt(), receipt.finalAt(), t.latencyMs()), receipt.finalAt());
        }
        if (t.has(Transition.FAILED)) {
            addHourly(messageId, dispatch.platform(), receipt.finalAt(), new HourlyCounts.Counts(0, 0, 1)); // rule 8
            failed.put(messageId, new FailedRecipient(t.smsId(), dispatch.externalId(), dispatch.msisdn(), dispatch.email(),
                    dispatch.platform(), receipt.provider() != null ? receipt.provider() : dispatch.provider(), receipt.status(),
                    receipt.errorCode(), receipt.failReason(), receipt.finalAt()), receipt.finalAt());
        }
    }

    private void addHourly(final String messageId, final String platform, final long at, final HourlyCounts.Counts delta) {
        final long hour = HourlyCounts.hourOf(at);
        final HourlyCounts current = hourly.fetch(messageId, hour);
        hourly.put(messageId, (current == null ? HourlyCounts.EMPTY : current).add(platform, delta), hour);
    }
}
