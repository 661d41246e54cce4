package io.smsreports.state;

import io.smsreports.events.Campaign;
import io.smsreports.events.CampaignStatus;
import io.smsreports.events.MessageType;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SendMethod;
import io.smsreports.lifecycle.Dispatch;
import io.smsreports.lifecycle.FinalReceipt;
import io.smsreports.lifecycle.Held;
import io.smsreports.lifecycle.Outcome;
import io.smsreports.lifecycle.SmsState;
import io.smsreports.lifecycle.Transition;
import io.smsreports.reporting.CampaignStats;
import io.smsreports.reporting.DeliveredRecord;
import io.smsreports.reporting.FailedRecipient;
import io.smsreports.reporting.HourlyCounts;
import io.smsreports.reporting.PersonMessage;
import io.smsreports.reporting.PersonMessages;
import io.smsreports.reporting.PersonProfile;
import io.smsreports.reporting.PlatformCounts;
import io.smsreports.reporting.Reconciliation;
import io.smsreports.reporting.ReportingEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values of every stored type, as the state format test writes and reads them. {@code legacy-state-v1.txt} holds
 * these values as the hand-written codec of the versions before the Avro state format wrote them (generated once
 * with that codec, commit 3b36267): the new format must read them back equal.
 */
final class LegacySamples {

    private LegacySamples() {
    }

    static final Dispatch DISPATCH = new Dispatch("m-1", "+905551112233", "cust-7", "c7@example.com", "android", "acme", "TR",
            "286-01", 2, 1_790_000_000_000L, 1_790_000_000_000L, null, false, null);
    static final Dispatch BARE_DISPATCH = new Dispatch("m-2", "+905551112244", null, null, "unknown", "acme", null, null, 1,
            1_790_000_100_000L, 1_790_000_100_000L, null, false, null);
    static final FinalReceipt FAILURE = new FinalReceipt(ReceiptStatus.UNDELIVERABLE, "UNDELIV", "0x00B", "unknown subscriber",
            "acme", 1_790_000_060_000L, 1_790_000_061_000L, null, false);
    static final FinalReceipt DELIVERY = new FinalReceipt(ReceiptStatus.DELIVERED, "DELIVRD", null, null, null, 1_790_000_005_000L,
            1_790_000_006_000L, null, false);
    static final Campaign CAMPAIGN = Campaign.newBuilder().setMessageId("m-1").setName("Black Friday").setMessageType(MessageType.CAMPAIGN)
            .setText("50% off").setCreator("ops").setMethod(SendMethod.BROADCAST).setStatus(CampaignStatus.SENDING)
            .setCreatedAt(Instant.ofEpochMilli(1_789_990_000_000L)).setStartedAt(Instant.ofEpochMilli(1_789_999_000_000L))
            .setEndedAt(null).setTargetAudience(1_000_000L).build();

    static Map<String, Object> all() {
        final Map<String, Object> samples = new LinkedHashMap<>();
        samples.put("SmsState.dispatched", new SmsState(DISPATCH, Outcome.FAILED, FAILURE, null, 1_790_600_000_000L, null, false));
        samples.put("SmsState.pending", new SmsState(BARE_DISPATCH, Outcome.PENDING, null, null, Long.MAX_VALUE, null, false));
        samples.put("SmsState.holding", new SmsState(null, Outcome.PENDING, null, Held.fromSums(DELIVERY, 1_790_000_006_000L, 3, 1, 1,
                1_790_000_006_000L), 1_790_345_606_000L, null, false));
        samples.put("Transition", new Transition("s-1", DISPATCH, Outcome.DELIVERED, DELIVERY, Transition.SENT | Transition.DELIVERED, 1, 0, 0, null, null, null, 0));
        samples.put("ReportingEvent.smsChanged", new ReportingEvent.SmsChanged(new Transition("s-2", BARE_DISPATCH, Outcome.FAILED,
                FAILURE, Transition.FAILED | Transition.LATE, 0, 2, 0, null, null, null, 0)));
        samples.put("ReportingEvent.campaignUpdated", new ReportingEvent.CampaignUpdated(CAMPAIGN));
        samples.put("ReportingEvent.campaignRemoved", new ReportingEvent.CampaignRemoved());
        samples.put("Campaign", CAMPAIGN);
        samples.put("CampaignStats", new CampaignStats(Map.of("android", new PlatformCounts(10, 6, 2, 1, 12),
                "ios", new PlatformCounts(5, 5, 0, 0, 5)), new Reconciliation(3, 1, 2)));
        samples.put("HourlyCounts", new HourlyCounts(Map.of("android", new HourlyCounts.Counts(4, 3, 1), "web", new HourlyCounts.Counts(1, 0, 0))));
        samples.put("FailedRecipient", new FailedRecipient("s-2", "cust-8", "+905551112244", null, "ios", "acme",
                ReceiptStatus.REJECTED, "0x045", "rejected by operator", 1_790_000_060_000L));
        samples.put("DeliveredRecord", new DeliveredRecord("s-1", "m-1", "+905551112233", "cust-7", "c7@example.com", "android", "acme",
                1_790_000_000_000L, 1_790_000_005_000L, 5_000L));
        samples.put("PersonMessages", new PersonMessages(List.of(
                new PersonMessage("s-1", "m-1", Outcome.DELIVERED, "DELIVERED", null, null, "android", "acme", 1_790_000_000_000L,
                        1_790_000_005_000L),
                new PersonMessage("s-3", "m-2", Outcome.PENDING, null, null, null, "android", "acme", 1_790_000_000_500L, null))));
        samples.put("PersonProfile", new PersonProfile("cust-7", "cust-7", "+905551112233", "c7@example.com"));
        return samples;
    }
}
