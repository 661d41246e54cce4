package io.smsreports.bench;

import io.smsreports.events.Campaign;
import io.smsreports.events.CampaignStatus;
import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.MessageType;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SendMethod;
import io.smsreports.events.SmsDispatched;
import io.smsreports.events.Topics;
import io.smsreports.serde.AvroSerdeConfig;
import io.smsreports.serde.SpecificAvroSerializer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * Realistic SMS traffic, serialized with the real serde: every SMS is dispatched once and gets one final
 * receipt (90 % delivered, 10 % failed with a reason); 30 % also get an intermediate ACCEPTED first, 5 % a
 * duplicate final, 1 % their final receipt before their dispatch. Deterministic for a seed.
 */
final class Workload implements AutoCloseable {

    /** One record, ready to send. */
    record Event(String topic, String key, byte[] value, long timestamp) {
    }

    static final int PEOPLE = 50_000;

    private final Topics topics = Topics.defaults();
    private final SpecificAvroSerializer<SpecificRecord> serializer = new SpecificAvroSerializer<>();
    private final SplittableRandom random;

    Workload(final String registryUrl, final long seed) {
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
        this.random = new SplittableRandom(seed);
    }

    Topics topics() {
        return topics;
    }

    Event campaign(final String messageId, final Instant createdAt) {
        final Campaign campaign = Campaign.newBuilder().setMessageId(messageId).setName("Benchmark " + messageId)
                .setMessageType(MessageType.CAMPAIGN).setText("Benchmark traffic").setCreator("bench").setMethod(SendMethod.BROADCAST)
                .setStatus(CampaignStatus.SENDING).setCreatedAt(createdAt).setStartedAt(createdAt).setEndedAt(null)
                .setTargetAudience(1_000_000).build();
        return new Event(topics.campaigns(), messageId, serializer.serialize(topics.campaigns(), campaign), createdAt.toEpochMilli());
    }

    /**
     * The events of one SMS, in the order a gateway would publish them (except the 1 % of early receipts).
     *
     * @param failRate share of SMS whose final receipt is a failure
     */
    void sms(final String smsId, final String messageId, final long dispatchedAt, final double failRate, final Consumer<Event> out) {
        final int person = random.nextInt(PEOPLE);
        final SmsDispatched dispatch = SmsDispatched.newBuilder().setSmsId(smsId).setMessageId(messageId).setMsisdn(msisdn(person))
                .setExternalId("cust-" + person).setEmail(person % 3 == 0 ? "c" + person + "@example.com" : null)
                .setPlatform(PLATFORMS[person % PLATFORMS.length]).setProvider(PROVIDERS[random.nextInt(PROVIDERS.length)])
                .setCountry("TR").setOperator("286-01").setSegments(1 + (random.nextInt(5) == 0 ? 1 : 0))
                .setDispatchedAt(Instant.ofEpochMilli(dispatchedAt)).build();
        final List<Event> receipts = new ArrayList<>(3);
        if (random.nextInt(100) < 30) {
            receipts.add(receipt(smsId, ReceiptStatus.ACCEPTED, "ACCEPTD", null, null, dispatchedAt + 200));
        }
        final long doneAt = dispatchedAt + 500 + random.nextInt(10_000);
        final Event last;
        if (random.nextDouble() < failRate) {
            last = receipt(smsId, ReceiptStatus.UNDELIVERABLE, "UNDELIV", "001", "Absent subscriber", doneAt);
        } else {
            last = receipt(smsId, ReceiptStatus.DELIVERED, "DELIVRD", "000", null, doneAt);
        }
        receipts.add(last);
        if (random.nextInt(100) < 5) {
            receipts.add(last);
        }
        final Event dispatchEvent = new Event(topics.dispatches(), smsId, serializer.serialize(topics.dispatches(), dispatch), dispatchedAt);
        if (random.nextInt(100) == 0) {
            receipts.forEach(out);
            out.accept(dispatchEvent);
        } else {
            out.accept(dispatchEvent);
            receipts.forEach(out);
        }
    }

    /** An SMS dispatched at {@code at} that no receipt will ever confirm. */
    void dispatchOnly(final String smsId, final String messageId, final long at, final Consumer<Event> out) {
        final int person = random.nextInt(PEOPLE);
        final SmsDispatched dispatch = SmsDispatched.newBuilder().setSmsId(smsId).setMessageId(messageId).setMsisdn(msisdn(person))
                .setExternalId("cust-" + person).setEmail(null).setPlatform(PLATFORMS[person % PLATFORMS.length]).setProvider("twilio")
                .setCountry("TR").setOperator("286-01").setSegments(1).setDispatchedAt(Instant.ofEpochMilli(at)).build();
        out.accept(new Event(topics.dispatches(), smsId, serializer.serialize(topics.dispatches(), dispatch), at));
    }

    /** An SMS dispatched at {@code at} and delivered at once: its dispatch, then its DELIVERED receipt. */
    void delivered(final String smsId, final String messageId, final long at, final Consumer<Event> out) {
        dispatchOnly(smsId, messageId, at, out);
        out.accept(receipt(smsId, ReceiptStatus.DELIVERED, "DELIVRD", "000", null, at));
    }

    static String msisdn(final int person) {
        return String.format("+90555%07d", person);
    }

    private Event receipt(final String smsId, final ReceiptStatus status, final String stat, final String errorCode, final String reason,
            final long doneAt) {
        final DeliveryReceipt receipt = DeliveryReceipt.newBuilder().setSmsId(smsId).setProvider("bench").setStatus(status)
                .setProviderStatus(stat).setErrorCode(errorCode).setFailReason(reason).setDoneAt(Instant.ofEpochMilli(doneAt))
                .setReceivedAt(Instant.ofEpochMilli(doneAt + 100)).build();
        return new Event(topics.receipts(), smsId, serializer.serialize(topics.receipts(), receipt), doneAt + 100);
    }

    @Override
    public void close() {
        serializer.close();
    }

    private static final String[] PLATFORMS = {"android", "ios", "android", "web", "ios"};
    private static final String[] PROVIDERS = {"twilio", "vonage", "infobip"};
}
