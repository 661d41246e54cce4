package io.smsreports.serde;

import io.smsreports.events.Campaign;
import io.smsreports.events.CampaignStatus;
import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.MessageType;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SendMethod;
import io.smsreports.events.SmsDelivered;
import io.smsreports.events.SmsDispatched;
import java.time.Instant;

/** One fully-populated instance of each event, for round trips. */
final class SampleEvents {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private SampleEvents() {
    }

    static Campaign campaign() {
        return Campaign.newBuilder()
                .setMessageId("m-1").setName("Black Friday").setMessageType(MessageType.CAMPAIGN)
                .setText("50% off today only — ünïcödé ✓").setCreator("ayse@example.com").setMethod(SendMethod.BROADCAST)
                .setStatus(CampaignStatus.SENDING).setCreatedAt(T0.minusSeconds(3600)).setStartedAt(T0).setEndedAt(null)
                .setTargetAudience(1_000_000L).build();
    }

    static SmsDispatched dispatch() {
        return SmsDispatched.newBuilder()
                .setSmsId("sms-42").setMessageId("m-1").setMsisdn("+905551234567").setExternalId("user-7")
                .setEmail("user7@example.com").setPlatform("android").setProvider("twilio").setCountry("TR")
                .setOperator("286-01").setSegments(2).setDispatchedAt(T0).build();
    }

    static DeliveryReceipt receipt() {
        return DeliveryReceipt.newBuilder()
                .setSmsId("sms-42").setProvider("twilio").setStatus(ReceiptStatus.UNDELIVERABLE).setProviderStatus("UNDELIV")
                .setErrorCode("001").setFailReason("Subscriber absent").setDoneAt(T0.plusSeconds(5))
                .setReceivedAt(T0.plusSeconds(6)).build();
    }

    static SmsDelivered delivered() {
        return SmsDelivered.newBuilder()
                .setSmsId("sms-42").setMessageId("m-1").setMsisdn("+905551234567").setExternalId(null).setEmail(null)
                .setPlatform("ios").setProvider("vonage").setDispatchedAt(T0).setDeliveredAt(T0.plusMillis(2100))
                .setLatencyMs(2100).build();
    }
}
