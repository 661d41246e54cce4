package io.smsreports.api;

import io.smsreports.events.Campaign;
import io.smsreports.events.CampaignStatus;
import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.MessageType;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SendMethod;
import io.smsreports.events.NotSentReason;
import io.smsreports.events.SmsDispatched;
import io.smsreports.events.SmsLinkClicked;
import io.smsreports.events.SmsNotSent;
import io.smsreports.events.Topics;
import io.smsreports.serde.AvroSerdeConfig;
import io.smsreports.serde.SpecificAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A small, hand-built dataset whose every report is known:
 *
 * <ul>
 *   <li>Campaign A "Black Friday" (target 100): 60 SMS. a0-a39 delivered after (k+1) s (even k android, odd ios),
 *       a0-a2 with a duplicate DELIVERED; a40-a45 UNDELIVERABLE "Absent subscriber" (001), a46-a49 REJECTED
 *       "Invalid number" (005), all android, a40 later contradicted by a DELIVERED (one conflict);
 *       a50-a54 ENROUTE only (pending, web); a55-a59 dispatched 5 days ago with no receipt (unconfirmed, web).</li>
 *   <li>Campaign B "OTP" (target 30): 30 SMS, all delivered after 2 s, web.</li>
 *   <li>Campaign C "Draft": metadata only. Campaign D: 5 SMS and no metadata (pending).</li>
 *   <li>20 people: person i has externalId {@code u<i>} when i is even, msisdn {@code +9055500000<ii>}, and an
 *       email {@code P<i>@Example.com} when i is a multiple of 5. SMS a_k goes to person k % 20, b_k to k % 10.</li>
 *   <li>Replies (rule 17): person 7 opts out of A (İPTAL, twice), person 3 replies to A and later to B, a stranger
 *       writes (unattributed).</li>
 *   <li>2 receipts for a never-dispatched smsId (orphans once the hold passes), 1 undecodable record.</li>
 * </ul>
 *
 * Event times: "base" is two days ago (on the hour); one record per partition at now − 30 min moves every
 * task's stream time there, past the unconfirmed SMS's timeout and the orphans' hold.
 */
final class TestData {

    static final int PARTITIONS = 3;
    static final Instant NOW = Instant.now();
    /** What each of campaign B's SMS cost, as its sender priced it (rule 15). */
    static final long B_PRICE_MICROS = 45_000;
    static final Instant BASE = NOW.minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);
    static final Instant OLD = NOW.minus(Duration.ofDays(5)).truncatedTo(ChronoUnit.HOURS);
    static final String A = campaignIdIn(0, "black-friday-");
    static final String B = campaignIdIn(1, "otp-");
    static final String C = campaignIdIn(2, "draft-");
    static final String D = "unknown-campaign";

    private TestData() {
    }

    static String campaignIdIn(final int partition, final String prefix) {
        for (int i = 0; ; i++) {
            if (partitionOf(prefix + i) == partition) {
                return prefix + i;
            }
        }
    }

    static int partitionOf(final String key) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), PARTITIONS);
    }

    static String externalId(final int person) {
        return person % 2 == 0 ? "u" + person : null;
    }

    static String msisdn(final int person) {
        return String.format("+9055500000%02d", person);
    }

    static String email(final int person) {
        return person % 5 == 0 ? "P" + person + "@Example.com" : null;
    }

    static Instant dispatchedA(final int k) {
        return k >= 55 ? OLD.plusSeconds(k) : BASE.plus(Duration.ofMinutes(k));
    }

    static Instant doneA(final int k) {
        return k < 40 ? dispatchedA(k).plusSeconds(k + 1) : dispatchedA(k).plusSeconds(30);
    }

    static Instant dispatchedB(final int k) {
        return BASE.plus(Duration.ofHours(3)).plusSeconds(k);
    }

    /** A record to produce. */
    record Input(String topic, String key, Object value, Instant timestamp) {
    }

    /** How many records the dataset writes to the dispatches topic (poison included): its end offsets add up to this. */
    static long dispatchRecords() {
        return inputs().stream().filter(input -> input.topic().equals(Topics.DEFAULT_DISPATCHES)).count();
    }

    static List<Input> inputs() {
        final Topics t = Topics.defaults();
        final List<Input> inputs = new ArrayList<>();
        inputs.add(new Input(t.campaigns(), A, campaign(A, "Black Friday", MessageType.CAMPAIGN, SendMethod.BROADCAST,
                CampaignStatus.SENDING, BASE.minus(Duration.ofHours(2)), 100), BASE.minus(Duration.ofHours(2))));
        inputs.add(new Input(t.campaigns(), B, campaign(B, "OTP", MessageType.TRANSACTIONAL, SendMethod.TARGETED,
                CampaignStatus.FINISHED, BASE.minus(Duration.ofHours(1)), 30), BASE.minus(Duration.ofHours(1))));
        inputs.add(new Input(t.campaigns(), C, campaign(C, "Draft", MessageType.NOTIFICATION, SendMethod.OTHER,
                CampaignStatus.DRAFT, BASE, 1000), BASE));
        for (int k = 0; k < 60; k++) {
            final String smsId = "a" + k;
            final String platform = k < 40 ? (k % 2 == 0 ? "android" : "ios") : k < 50 ? "android" : "web";
            inputs.add(dispatch(smsId, A, k % 20, platform, dispatchedA(k)));
            if (k < 40) {
                inputs.add(receipt(smsId, ReceiptStatus.DELIVERED, doneA(k), null, null));
                if (k < 3) {
                    inputs.add(receipt(smsId, ReceiptStatus.DELIVERED, doneA(k), null, null, doneA(k).plusSeconds(90)));
                }
            } else if (k < 50) {
                final boolean absent = k < 46;
                inputs.add(receipt(smsId, absent ? ReceiptStatus.UNDELIVERABLE : ReceiptStatus.REJECTED, doneA(k),
                        absent ? "001" : "005", absent ? "Absent subscriber" : "Invalid number"));
                if (k == 40) {
                    inputs.add(receipt(smsId, ReceiptStatus.DELIVERED, doneA(k).plusSeconds(60), null, null));
                }
            } else if (k < 55) {
                inputs.add(receipt(smsId, ReceiptStatus.ENROUTE, null, null, null, dispatchedA(k).plusSeconds(2)));
            }
        }
        // Rule 14: twelve of A's audience not sent to (İYS, opt-outs, an invalid number), and one more decision for a5, which
        // was dispatched: a5 counts as Sent only.
        for (int k = 0; k < 12; k++) {
            final NotSentReason reason = k < 8 ? NotSentReason.IYS_NO_CONSENT : k < 11 ? NotSentReason.OPTED_OUT : NotSentReason.INVALID_NUMBER;
            inputs.add(notSent("an" + k, A, k % 20, k % 2 == 0 ? "android" : "ios", reason, dispatchedA(k)));
        }
        inputs.add(notSent("a5", A, 5, "ios", NotSentReason.IYS_REJECTED, dispatchedA(5).minusSeconds(30)));
        // Rule 16: clicks on A's delivered SMS: a0 once on "shop" (sent twice by the tracker), a1 a link preview (a bot) on "shop"
        // and a human on "terms", a2 twice on "shop"; and a click for an smsId never dispatched, days ago (an orphan).
        inputs.add(click("a0-1", "a0", "shop", false, doneA(0).plusSeconds(30)));
        inputs.add(click("a0-1", "a0", "shop", false, doneA(0).plusSeconds(30)));
        inputs.add(click("a1-preview", "a1", "shop", true, doneA(1).plusSeconds(1)));
        inputs.add(click("a1-1", "a1", "terms", false, doneA(1).plusSeconds(60)));
        inputs.add(click("a2-1", "a2", "shop", false, doneA(2).plusSeconds(40)));
        inputs.add(click("a2-2", "a2", "shop", false, doneA(2).plusSeconds(90)));
        inputs.add(click("nobody-1", "never-dispatched", "shop", false, OLD.plusSeconds(300)));
        // Rule 17: person 7 (a47, A's latest SMS to them before it) opts out with İPTAL, the gateway writing the number without
        // its + and sending it twice; person 3 replies to A (a43) and later to B (b23); a stranger writes to the short code.
        inputs.add(inbound("in-7", "905550000007", "İPTAL", BASE.plus(Duration.ofHours(2))));
        inputs.add(inbound("in-7", "905550000007", "İPTAL", BASE.plus(Duration.ofHours(2))));
        inputs.add(inbound("in-3a", msisdn(3), "ok", BASE.plus(Duration.ofHours(1))));
        inputs.add(inbound("in-3b", msisdn(3), "Teşekkürler", BASE.plus(Duration.ofHours(4))));
        inputs.add(inbound("in-x", "+905559990000", "Merhaba", BASE.plus(Duration.ofHours(1))));
        for (int k = 0; k < 30; k++) {
            // priced by the sender (rule 15): B's spend is 30 × 0.045 TRY, none of it wasted (all delivered)
            inputs.add(dispatch("b" + k, B, k % 10, "web", dispatchedB(k), B_PRICE_MICROS, "TRY"));
            inputs.add(receipt("b" + k, ReceiptStatus.DELIVERED, dispatchedB(k).plusSeconds(2), null, null));
        }
        for (int k = 0; k < 5; k++) {
            inputs.add(dispatch("d" + k, D, 19, "android", BASE.plus(Duration.ofHours(1))));
        }
        inputs.add(receipt("ghost", ReceiptStatus.ENROUTE, null, null, null, OLD.plusSeconds(100)));
        inputs.add(receipt("ghost", ReceiptStatus.DELIVERED, OLD.plusSeconds(101), null, null, OLD.plusSeconds(101)));
        inputs.add(new Input(t.dispatches(), "junk", "not avro".getBytes(StandardCharsets.UTF_8), BASE.plusSeconds(7)));
        // A sender that keys dispatches by MSISDN: poison (the key must be the smsId), and the MSISDN must not reach a log.
        final Input keyedByMsisdn = dispatch("a-misrouted", A, 3, "ios", BASE.plusSeconds(8));
        inputs.add(new Input(t.dispatches(), msisdn(3), keyedByMsisdn.value(), keyedByMsisdn.timestamp()));
        for (int p = 0; p < PARTITIONS; p++) {
            final String smsId = keyIn(p, "clock-");
            inputs.add(new Input(t.dispatches(), smsId, SmsDispatched.newBuilder().setSmsId(smsId).setMessageId("zz-clock")
                    .setMsisdn("+10000000000").setProvider("none").setDispatchedAt(NOW.minus(Duration.ofMinutes(30)))
                    .build(), NOW.minus(Duration.ofMinutes(30))));
        }
        inputs.sort(Comparator.comparing(Input::timestamp));
        return inputs;
    }

    private static String keyIn(final int partition, final String prefix) {
        for (int i = 0; ; i++) {
            if (partitionOf(prefix + i) == partition) {
                return prefix + i;
            }
        }
    }

    private static Campaign campaign(final String id, final String name, final MessageType type, final SendMethod method,
            final CampaignStatus status, final Instant createdAt, final long target) {
        return Campaign.newBuilder().setMessageId(id).setName(name).setMessageType(type).setText("Text of " + name)
                .setCreator("ops@example.com").setMethod(method).setStatus(status).setCreatedAt(createdAt)
                .setStartedAt(status == CampaignStatus.DRAFT ? null : createdAt.plusSeconds(60))
                .setEndedAt(status == CampaignStatus.FINISHED ? createdAt.plus(Duration.ofHours(5)) : null)
                .setTargetAudience(target).build();
    }

    private static Input dispatch(final String smsId, final String messageId, final int person, final String platform,
            final Instant at) {
        return dispatch(smsId, messageId, person, platform, at, null, null);
    }

    private static Input dispatch(final String smsId, final String messageId, final int person, final String platform,
            final Instant at, final Long priceMicros, final String currency) {
        return new Input(Topics.DEFAULT_DISPATCHES, smsId, SmsDispatched.newBuilder().setSmsId(smsId).setMessageId(messageId)
                .setMsisdn(msisdn(person)).setExternalId(externalId(person)).setEmail(email(person)).setPlatform(platform)
                .setProvider("acme").setCountry("TR").setOperator(null).setSegments(1).setDispatchedAt(at)
                .setPriceMicros(priceMicros).setCurrency(currency).build(), at);
    }

    private static Input inbound(final String inboundId, final String msisdn, final String body, final Instant at) {
        return new Input(Topics.DEFAULT_INBOUND, msisdn, io.smsreports.events.SmsInbound.newBuilder().setInboundId(inboundId)
                .setMsisdn(msisdn).setTo("4545").setBody(body).setReceivedAt(at).build(), at);
    }

    private static Input click(final String clickId, final String smsId, final String linkId, final boolean bot, final Instant at) {
        return new Input(Topics.DEFAULT_CLICKS, smsId, SmsLinkClicked.newBuilder().setClickId(clickId).setSmsId(smsId).setLinkId(linkId)
                .setUrl("https://ex.co/" + linkId).setClickedAt(at).setBot(bot).build(), at);
    }

    private static Input notSent(final String smsId, final String messageId, final int person, final String platform,
            final NotSentReason reason, final Instant at) {
        return new Input(Topics.DEFAULT_NOT_SENT, smsId, SmsNotSent.newBuilder().setSmsId(smsId).setMessageId(messageId)
                .setMsisdn(msisdn(person)).setExternalId(externalId(person)).setEmail(email(person)).setPlatform(platform)
                .setCountry("TR").setReason(reason).setDecidedAt(at).build(), at);
    }

    private static Input receipt(final String smsId, final ReceiptStatus status, final Instant doneAt, final String errorCode,
            final String failReason) {
        return receipt(smsId, status, doneAt, errorCode, failReason, doneAt.plusMillis(500));
    }

    private static Input receipt(final String smsId, final ReceiptStatus status, final Instant doneAt, final String errorCode,
            final String failReason, final Instant receivedAt) {
        return new Input(Topics.DEFAULT_RECEIPTS, smsId, DeliveryReceipt.newBuilder().setSmsId(smsId).setProvider("acme")
                .setStatus(status).setProviderStatus(status.name()).setErrorCode(errorCode).setFailReason(failReason)
                .setDoneAt(doneAt).setReceivedAt(receivedAt).build(), receivedAt);
    }

    static void produce(final String bootstrap, final String registryUrl) throws Exception {
        final Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        final SpecificAvroSerializer<SpecificRecord> avro = new SpecificAvroSerializer<>();
        avro.configure(config, false);
        final List<Future<?>> sent = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (final Input input : inputs()) {
                final byte[] value = input.value() instanceof byte[] raw ? raw : avro.serialize(input.topic(), (SpecificRecord) input.value());
                sent.add(producer.send(new ProducerRecord<>(input.topic(), null, input.timestamp().toEpochMilli(), input.key(), value)));
            }
            producer.flush();
            for (final Future<?> future : sent) {
                future.get();
            }
        }
        avro.close();
    }
}
