package io.smsreports.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDelivered;
import io.smsreports.events.SmsDispatched;
import io.smsreports.events.SmsEncoding;
import io.smsreports.events.Topics;
import io.smsreports.reporting.CampaignStats;
import io.smsreports.reporting.FailedRecipient;
import io.smsreports.reporting.HourlyCounts;
import io.smsreports.reporting.PersonMessage;
import io.smsreports.serde.AvroSerdeConfig;
import io.smsreports.serde.SpecificAvroDeserializer;
import io.smsreports.serde.SpecificAvroSerializer;
import io.smsreports.state.LatencyKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * A realistic, seeded SMS workload for tests against real brokers, and what the stores must hold afterwards
 * according to the independent {@link ReferenceModel}: four campaigns, shuffled and duplicated dispatches, early
 * receipts (the sender publishes late), intermediates, duplicated and conflicting finals, receipts after the
 * timeout, SMS never confirmed, orphans and (optionally) poison records; recipients not sent to (rule 14), clicks with bots,
 * repeats, early clicks and orphans (rule 16), and replies with stop words, bare numbers, gateway retries and strangers
 * (rule 17).
 *
 * <p>Event times lie weeks back and one late record per partition moves every task's clock past the last timeout;
 * run the pipeline with an idle-clock lag beyond the data's age so that only stream time moves the clock and the
 * outcome is a function of the data alone, as the model assumes.
 */
public final class SmsWorkload {

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final String[] PLATFORMS = {"android", "ios", "web", null};
    private static final ReceiptStatus[] FAILURES = {ReceiptStatus.UNDELIVERABLE, ReceiptStatus.EXPIRED, ReceiptStatus.REJECTED,
        ReceiptStatus.DELETED, ReceiptStatus.UNKNOWN};
    /** The campaigns of the workload. */
    public static final List<String> CAMPAIGNS = List.of("m0", "m1", "m2", "m3");

    /** A record to produce: topic, key, value (an Avro record, or raw bytes for poison) and record timestamp. */
    public record Input(String topic, String key, Object value, long timestamp) {
    }

    private final Topics topics;
    private final int partitions;

    public SmsWorkload(final Topics topics, final int partitions) {
        this.topics = topics;
        this.partitions = partitions;
    }

    public Topics topics() {
        return topics;
    }

    /** {@code sms} SMS from {@code t0} on, 7 s apart, with {@code poison} undecodable records, in timestamp order. */
    public List<Input> dataset(final long t0, final int sms, final int poison, final long seed) {
        return dataset(t0, sms, poison, seed, 7_000);
    }

    /** {@code sms} SMS from {@code t0} on, {@code spacingMs} apart, with {@code poison} undecodable records, in timestamp order. */
    public List<Input> dataset(final long t0, final int sms, final int poison, final long seed, final long spacingMs) {
        if (sms * spacingMs >= 60 * HOUR) {
            throw new IllegalArgumentException("fewer than " + 60 * HOUR / spacingMs + " SMS: the clock record (6.5 days after the first "
                    + "dispatch) must come after the last dispatch's timeout (4 days)");
        }
        // Builders that copy a record copy its enums, which Avro instantiates only when trusted (the serdes trust the
        // generated classes when configured; the dataset is built before any is).
        io.smsreports.serde.GeneratedClassTrust.ensureInstalled();
        final Random r = new Random(seed);
        final int people = Math.max(1, sms / 4);
        final List<Input> inputs = new ArrayList<>();
        final long[] sentAt = new long[sms];
        final int[] sentTo = new int[sms];
        final boolean[] late = new boolean[sms];
        for (int c = 0; c < CAMPAIGNS.size(); c++) {
            inputs.add(new Input(topics.campaigns(), CAMPAIGNS.get(c), TopologyFixture.campaign(CAMPAIGNS.get(c), 3_000 + c), t0 - HOUR + c));
        }
        for (int i = 0; i < sms; i++) {
            final String smsId = "sms-" + i;
            final int person = r.nextInt(people);
            final long dispatchedAt = t0 + i * spacingMs + (i % 997);
            final SmsDispatched.Builder builder = SmsDispatched.newBuilder().setSmsId(smsId).setMessageId(CAMPAIGNS.get(i % CAMPAIGNS.size()))
                    .setMsisdn(msisdn(person)).setExternalId(person % 10 < 7 ? "u" + person : null)
                    .setEmail(person % 5 == 0 ? "p" + person + "@example.com" : null).setPlatform(PLATFORMS[r.nextInt(PLATFORMS.length)])
                    .setProvider("p" + r.nextInt(3)).setCountry("TR").setOperator(null).setSegments(1 + r.nextInt(2))
                    .setEncoding(r.nextDouble() < 0.7 ? SmsEncoding.GSM7 : SmsEncoding.UCS2)
                    .setDispatchedAt(Instant.ofEpochMilli(dispatchedAt));
            final double pricing = r.nextDouble(); // rule 15: most priced by the sender, some in EUR, a few bad, some not at all
            if (pricing < 0.8) {
                builder.setPriceMicros((long) r.nextInt(50_000)).setCurrency(pricing < 0.75 ? "TRY" : "EUR");
            } else if (pricing < 0.82) {
                builder.setPriceMicros(-1L).setCurrency("TRY");
            }
            final SmsDispatched dispatch = builder.build();
            final boolean early = r.nextDouble() < 0.05; // the sender publishes late: receipts come first
            sentAt[i] = dispatchedAt;
            sentTo[i] = person;
            late[i] = early;
            final long publishedAt = early ? dispatchedAt + 30 * 60_000 : dispatchedAt;
            inputs.add(new Input(topics.dispatches(), smsId, dispatch, publishedAt));
            if (r.nextDouble() < 0.05) {
                inputs.add(new Input(topics.dispatches(), smsId, dispatch, publishedAt + 60_000 + 1));
            }
            if (r.nextDouble() < 0.6) {
                inputs.add(new Input(topics.receipts(), smsId, receipt(smsId, ReceiptStatus.ACCEPTED, null, dispatchedAt + 1_000 + 3),
                        dispatchedAt + 1_000 + 3));
            }
            final double fate = r.nextDouble();
            if (fate < 0.82) {
                final long latency = fate < 0.75 ? 2_000 + r.nextInt((int) (2 * HOUR)) : 4 * DAY + HOUR + r.nextInt((int) DAY);
                final ReceiptStatus status = r.nextDouble() < 0.78 ? ReceiptStatus.DELIVERED : FAILURES[r.nextInt(FAILURES.length)];
                final long doneAt = dispatchedAt + (early ? 10_000 : latency);
                final long receivedAt = doneAt + 5 + r.nextInt(60_000);
                final Instant done = r.nextDouble() < 0.85 ? Instant.ofEpochMilli(doneAt) : null;
                final double repricing = r.nextDouble(); // rule 15: a provider's price on some final receipts, rarely a bad one
                final DeliveryReceipt finalReceipt = repricing < 0.2 && dispatch.getCurrency() != null
                        ? DeliveryReceipt.newBuilder(receipt(smsId, status, done, receivedAt)).setPriceMicros((long) r.nextInt(60_000))
                                .setCurrency(dispatch.getCurrency()).build()
                        : repricing < 0.22 ? DeliveryReceipt.newBuilder(receipt(smsId, status, done, receivedAt)).setPriceMicros(5L)
                                .setCurrency("XXY").build()
                        : receipt(smsId, status, done, receivedAt);
                inputs.add(new Input(topics.receipts(), smsId, finalReceipt, receivedAt));
                if (r.nextDouble() < 0.1) {
                    inputs.add(new Input(topics.receipts(), smsId, receipt(smsId, status, done, receivedAt + 7_001), receivedAt + 7_001));
                }
                if (r.nextDouble() < 0.03) {
                    final ReceiptStatus other = status == ReceiptStatus.DELIVERED ? ReceiptStatus.UNDELIVERABLE : ReceiptStatus.DELIVERED;
                    inputs.add(new Input(topics.receipts(), smsId, receipt(smsId, other, null, receivedAt + 9_001), receivedAt + 9_001));
                }
            }
        }
        engagement(inputs, t0, sentAt, sentTo, late, new Random(seed * 31 + 17));
        for (int g = 0; g < 50; g++) {
            final long at = t0 + r.nextInt((int) DAY) * 1L;
            inputs.add(new Input(topics.receipts(), "ghost-" + g, receipt("ghost-" + g, ReceiptStatus.DELIVERED,
                    Instant.ofEpochMilli(at), at), at));
        }
        for (int p = 0; p < poison; p++) {
            final byte[] junk = ("not avro " + p).getBytes(StandardCharsets.UTF_8);
            inputs.add(new Input(p % 2 == 0 ? topics.dispatches() : topics.receipts(), "poison-" + p, junk, t0 + p * HOUR + 17));
        }
        // One late dispatch per partition, and an intermediate receipt for it, move every task's watermark (rule 13: both
        // inputs) past the last timeout (the dispatches span under 2.5 days), but not past the first SMS's retention (7 days).
        for (int partition = 0; partition < partitions; partition++) {
            final String smsId = keyFor(partition, "clock-");
            final long at = t0 + 6 * DAY + 12 * HOUR;
            inputs.add(new Input(topics.dispatches(), smsId, TopologyFixture.dispatch(smsId, "clock", "web", Instant.ofEpochMilli(at)), at));
            inputs.add(new Input(topics.receipts(), smsId, receipt(smsId, ReceiptStatus.ACCEPTED, null, at), at));
        }
        inputs.sort(Comparator.comparingLong(Input::timestamp));
        return inputs;
    }

    private static final String[] REPLY_BODIES = {"İPTAL", "iptal", "STOP", "Dur!", "ok", "Merhaba", "stop it please"};

    /**
     * Rules 14, 16 and 17 over the SMS just generated (their times, recipients and whether their dispatch is published late):
     * recipients the sender did not send to, clicks, and what people write back. A random source of its own, so that the
     * dispatches and receipts stay what they were for a seed.
     */
    private void engagement(final List<Input> inputs, final long t0, final long[] sentAt, final int[] sentTo, final boolean[] late,
            final Random r) {
        final int sms = sentAt.length;
        final long span = sentAt[sms - 1] - t0 + 1;
        // Rule 14: a twentieth of the audience not sent to (one in five decided twice, the later decision wins), and now and then a
        // dispatched SMS that the sender had also decided not to send, minutes before or after its dispatch: that one counts as Sent.
        for (int i = 0; i < sms / 20 + 1; i++) {
            final String smsId = "unsent-" + i;
            final int person = r.nextInt(Math.max(1, sms / 4));
            final long decidedAt = t0 + (long) (r.nextDouble() * span);
            final int decisions = r.nextDouble() < 0.2 ? 2 : 1;
            for (int k = 0; k < decisions; k++) {
                inputs.add(new Input(topics.notSent(), smsId, notSent(smsId, CAMPAIGNS.get(i % CAMPAIGNS.size()), person,
                        PLATFORMS[r.nextInt(PLATFORMS.length)], NOT_SENT_REASONS[r.nextInt(NOT_SENT_REASONS.length)], decidedAt + k * 60_000L),
                        decidedAt + k * 60_000L));
            }
        }
        for (int i = 0; i < sms / 100 + 1; i++) {
            final int k = r.nextInt(sms);
            final long decidedAt = sentAt[k] + (r.nextBoolean() ? -1 : 1) * (60_000L + r.nextInt(600_000));
            inputs.add(new Input(topics.notSent(), "sms-" + k, notSent("sms-" + k, CAMPAIGNS.get(k % CAMPAIGNS.size()), sentTo[k],
                    "ios", io.smsreports.events.NotSentReason.FREQUENCY_CAP, decidedAt), decidedAt));
        }
        // Rule 16: one SMS in ten clicked, once to three times, on one of two links, some by bots, some reported twice by the
        // tracker (one clickId); an SMS published late is clicked before its dispatch arrives (held, then counted); clicks for
        // smsIds never dispatched (orphans once the hold has passed).
        int clickId = 0;
        for (int i = 0; i < sms; i++) {
            if (r.nextDouble() >= 0.1) {
                continue;
            }
            final int clicks = 1 + r.nextInt(3);
            for (int c = 0; c < clicks; c++) {
                final long at = sentAt[i] + (late[i] ? 5 * 60_000L + r.nextInt(60_000) : 60_000L + r.nextInt((int) (6 * HOUR)));
                final io.smsreports.events.SmsLinkClicked click = click("click-" + clickId++, "sms-" + i, r.nextDouble() < 0.7 ? "shop" : "terms",
                        r.nextDouble() < 0.15, at);
                inputs.add(new Input(topics.clicks(), click.getSmsId(), click, at));
                if (r.nextDouble() < 0.1) {
                    inputs.add(new Input(topics.clicks(), click.getSmsId(), click, at + 1 + r.nextInt(600_000)));
                }
            }
        }
        for (int g = 0; g < 20; g++) {
            final long at = t0 + r.nextInt((int) DAY);
            final io.smsreports.events.SmsLinkClicked click = click("click-ghost-" + g, "clickghost-" + g % 7, "shop", false, at);
            inputs.add(new Input(topics.clicks(), click.getSmsId(), click, at));
        }
        // Rule 17: about one recipient in thirty writes back, within a day or two of an SMS to them (it answers their latest SMS
        // before it within the window) or three and a half days later (past that SMS's window: a later one, or none), two in seven
        // with a stop word; the number with or without its +; one in ten twice (the gateway's retry); strangers too.
        final int replies = sms / 30 + 1;
        for (int i = 0; i < replies; i++) {
            final boolean stranger = r.nextDouble() < 0.05;
            final int k = r.nextInt(sms);
            final String number = stranger ? "+9077" + String.format("%07d", i) : msisdn(sentTo[k]);
            final long at = sentAt[k] + (r.nextDouble() < 0.9 ? 60_000L + r.nextInt((int) (2 * DAY)) : 84 * HOUR + r.nextInt((int) HOUR));
            final io.smsreports.events.SmsInbound reply = io.smsreports.events.SmsInbound.newBuilder().setInboundId("reply-" + i)
                    .setMsisdn(r.nextBoolean() ? number.substring(1) : number).setTo("4545").setBody(REPLY_BODIES[r.nextInt(REPLY_BODIES.length)])
                    .setReceivedAt(Instant.ofEpochMilli(at)).setProvider("p" + r.nextInt(3)).build();
            inputs.add(new Input(topics.inbound(), reply.getMsisdn(), reply, at));
            if (r.nextDouble() < 0.1) {
                inputs.add(new Input(topics.inbound(), reply.getMsisdn(), reply, at + 1 + r.nextInt(600_000)));
            }
        }
    }

    private static final io.smsreports.events.NotSentReason[] NOT_SENT_REASONS = io.smsreports.events.NotSentReason.values();

    private static String msisdn(final int person) {
        return "+9055" + String.format("%07d", person);
    }

    private static io.smsreports.events.SmsNotSent notSent(final String smsId, final String messageId, final int person, final String platform,
            final io.smsreports.events.NotSentReason reason, final long decidedAt) {
        return io.smsreports.events.SmsNotSent.newBuilder().setSmsId(smsId).setMessageId(messageId).setMsisdn(msisdn(person))
                .setExternalId(person % 10 < 7 ? "u" + person : null).setPlatform(platform).setCountry("TR").setOperator(null)
                .setReason(reason).setDecidedAt(Instant.ofEpochMilli(decidedAt)).build();
    }

    private static io.smsreports.events.SmsLinkClicked click(final String clickId, final String smsId, final String linkId, final boolean bot,
            final long at) {
        return TopologyFixture.click(clickId, smsId, linkId, bot, Instant.ofEpochMilli(at));
    }

    private static DeliveryReceipt receipt(final String smsId, final ReceiptStatus status, final Instant doneAt, final long receivedAt) {
        return TopologyFixture.receipt(smsId, status, doneAt, Instant.ofEpochMilli(receivedAt));
    }

    private String keyFor(final int partition, final String prefix) {
        for (int i = 0; ; i++) {
            if (partitionOf(prefix + i) == partition) {
                return prefix + i;
            }
        }
    }

    private int partitionOf(final String key) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions);
    }

    /**
     * What the stores must hold: the reference model over each partition's records (each input in its own order), at the
     * watermark its task reaches once everything is processed.
     */
    public record Expected(Map<String, Map<String, long[]>> stats, Map<String, long[]> reconciliation,
            Map<String, Map<Long, Map<String, long[]>>> hourly, Map<String, List<String>> failed,
            Map<String, Map<Integer, Long>> latency, List<String> delivered, Map<String, List<String>> people, long orphans,
            int poison, Map<String, Map<String, long[]>> spend, Map<String, long[]> pricing, Map<String, Map<String, Long>> notSent,
            Map<String, long[]> clicks, long orphanClicks, Map<String, long[]> replies, long unattributedReplies, long inboundMessages) {

        /**
         * A campaign's figures as the API's campaign report says them: sent, delivered, failed, unconfirmed, not sent (rule 14),
         * total, unique and bot clicks (rule 16), replies and opt-outs (rule 17).
         */
        public List<Long> reportFigures(final String messageId) {
            final long[] t = totals(messageId);
            final List<Long> figures = new ArrayList<>(List.of(t[0], t[1], t[2], t[3],
                    notSent.getOrDefault(messageId, Map.of()).values().stream().mapToLong(Long::longValue).sum()));
            figures.addAll(engagement(messageId));
            return figures;
        }

        /** The same figures read from a campaign report ({@code GET /api/v1/campaigns/{id}}). */
        public static List<Long> reportFigures(final com.fasterxml.jackson.databind.JsonNode report) {
            final com.fasterxml.jackson.databind.JsonNode metrics = report.path("metrics");
            final com.fasterxml.jackson.databind.JsonNode engagement = report.path("engagement");
            return List.of(metrics.path("sent").asLong(), metrics.path("delivered").asLong(), metrics.path("failed").asLong(),
                    metrics.path("unconfirmed").asLong(), report.path("notSent").asLong(), engagement.path("totalClicks").asLong(),
                    engagement.path("uniqueClicks").asLong(), engagement.path("botClicks").asLong(), engagement.path("replies").asLong(),
                    engagement.path("optOuts").asLong());
        }

        /** Rules 16 and 17 of a campaign: total, unique and bot clicks, replies and opt-outs. */
        public List<Long> engagement(final String messageId) {
            final long[] c = clicks.getOrDefault(messageId, new long[3]);
            final long[] r = replies.getOrDefault(messageId, new long[2]);
            return List.of(c[0], c[1], c[2], r[0], r[1]);
        }

        /** Sent, delivered, failed and unconfirmed of a campaign, summed over its platforms. */
        public long[] totals(final String messageId) {
            final long[] totals = new long[4];
            stats.getOrDefault(messageId, Map.of()).values().forEach(c -> {
                for (int i = 0; i < 4; i++) {
                    totals[i] += c[i];
                }
            });
            return totals;
        }
    }

    public Expected expected(final List<Input> inputs) {
        return expected(inputs, 4 * DAY);
    }

    /** What the stores must hold with a receipt timeout (and early-receipt hold) of {@code receiptTimeoutMs}. */
    public Expected expected(final List<Input> inputs, final long receiptTimeoutMs) {
        final Map<Integer, ReferenceModel> models = new HashMap<>();
        // Replies meet the SMS by number, across the lifecycle partitions: one model over every dispatch and inbound message.
        final ReferenceModel replyModel = new ReferenceModel(receiptTimeoutMs, receiptTimeoutMs, 7 * DAY);
        final Set<String> inboundIds = new HashSet<>();
        int poison = 0;
        for (final Input input : inputs) {
            if (input.value instanceof byte[]) {
                poison++; // dead-lettered: the lifecycle's clock is the time of what it processes, so poison does not move it
                continue;
            }
            if (input.topic.equals(topics.campaigns())) {
                continue;
            }
            if (input.value instanceof io.smsreports.events.SmsInbound message) {
                replyModel.inbound(message);
                inboundIds.add(message.getInboundId());
                continue;
            }
            final ReferenceModel model = models.computeIfAbsent(partitionOf(input.key), p -> new ReferenceModel(receiptTimeoutMs, receiptTimeoutMs, 7 * DAY));
            if (input.value instanceof SmsDispatched d) {
                model.dispatch(d, input.timestamp);
                replyModel.dispatch(d, input.timestamp);
            } else if (input.value instanceof io.smsreports.events.SmsNotSent n) {
                model.notSent(n, input.timestamp);
            } else if (input.value instanceof io.smsreports.events.SmsLinkClicked c) {
                model.click(c, input.timestamp);
            } else {
                model.receipt((DeliveryReceipt) input.value, input.timestamp);
            }
        }
        final Map<String, Map<String, long[]>> stats = new TreeMap<>();
        final Map<String, long[]> reconciliation = new TreeMap<>();
        final Map<String, Map<Long, Map<String, long[]>>> hourly = new TreeMap<>();
        final Map<String, List<String>> failed = new TreeMap<>();
        final Map<String, Map<Integer, Long>> latency = new TreeMap<>();
        final List<String> delivered = new ArrayList<>();
        final Map<String, List<String>> people = new TreeMap<>();
        long orphans = 0;
        final Map<String, Map<String, long[]>> spend = new TreeMap<>();
        final Map<String, long[]> pricing = new TreeMap<>();
        final Map<String, Map<String, Long>> notSent = new TreeMap<>();
        final Map<String, long[]> clicks = new TreeMap<>();
        long orphanClicks = 0;
        for (final ReferenceModel model : models.values()) {
            model.evaluate(model.watermark());
            model.stats.forEach((m, platforms) -> platforms.forEach((platform, c) -> add(stats.computeIfAbsent(m, k -> new TreeMap<>())
                    .computeIfAbsent(platform, k -> new long[5]), c)));
            model.reconciliation.forEach((m, c) -> add(reconciliation.computeIfAbsent(m, k -> new long[3]), c));
            model.hourly.forEach((m, hours) -> hours.forEach((hour, platforms) -> platforms.forEach((platform, c) ->
                    add(hourly.computeIfAbsent(m, k -> new TreeMap<>()).computeIfAbsent(hour, k -> new TreeMap<>())
                            .computeIfAbsent(platform, k -> new long[3]), c))));
            model.failed.forEach((m, lines) -> failed.computeIfAbsent(m, k -> new ArrayList<>()).addAll(lines));
            model.latency.forEach((m, buckets) -> buckets.forEach((b, n) -> latency.computeIfAbsent(m, k -> new TreeMap<>()).merge(b, n, Long::sum)));
            delivered.addAll(model.delivered);
            model.personMessages.forEach((person, lines) -> people.computeIfAbsent(person, k -> new ArrayList<>()).addAll(lines.values()));
            orphans += model.orphanReceipts;
            model.spend.forEach((m, currencies) -> currencies.forEach((currency, s) ->
                    add(spend.computeIfAbsent(m, k -> new TreeMap<>()).computeIfAbsent(currency, k -> new long[3]), s)));
            model.pricing.forEach((m, p) -> add(pricing.computeIfAbsent(m, k -> new long[7]), p));
            model.notSent.forEach((m, reasons) -> reasons.forEach((reason, n) -> notSent.computeIfAbsent(m, k -> new TreeMap<>())
                    .merge(reason, n, Long::sum)));
            model.engagement.forEach((m, c) -> add(clicks.computeIfAbsent(m, k -> new long[3]), c));
            orphanClicks += model.orphanClicks;
        }
        replyModel.evaluate(replyModel.watermark());
        failed.values().forEach(list -> list.sort(null));
        people.values().forEach(list -> list.sort(null));
        return new Expected(stats, reconciliation, hourly, failed, latency, delivered, people, orphans, poison, spend, pricing, notSent,
                clicks, orphanClicks, replyModel.replies, replyModel.unattributedReplies, inboundIds.size());
    }

    private static void add(final long[] into, final long[] values) {
        for (int i = 0; i < values.length; i++) {
            into[i] += values[i];
        }
    }

    // ---- checking the stores of a running instance (which must own every task) ----

    /** A Kafka Streams instance of the pipeline and its monitor, which knows which store partitions are restored. */
    public record Verifier(KafkaStreams streams, PipelineMonitor monitor) implements AutoCloseable {

        /** Starts an instance of the pipeline with {@code config} (a state directory of its own: it restores everything). */
        public static Verifier start(final io.smsreports.config.ProcessorConfig config) {
            final PipelineMonitor monitor = PipelineMonitor.create();
            final KafkaStreams streams = io.smsreports.app.SmsReportsStreams.create(config,
                    EventSerdes.fromConfig(config.registryClientConfig()), monitor);
            streams.start();
            return new Verifier(streams, monitor);
        }

        /** Why not every task assigned here is restored and running yet, or null when they all are. */
        String restoring() {
            return monitor.restoringProblem();
        }

        @Override
        public void close() {
            streams.close();
        }
    }

    public void assertStores(final Verifier verifier, final Expected expected) {
        final KafkaStreams streams = verifier.streams();
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        // Kafka Streams serves a store partition that is still restoring (QueryableStores): wait until every task is whole.
        assertThat(verifier.restoring()).as("tasks still restoring").isNull();
        final ReadOnlyKeyValueStore<String, CampaignStats> stats = streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.CAMPAIGN_STATS, QueryableStoreTypes.keyValueStore()));
        for (final String m : CAMPAIGNS) {
            final CampaignStats s = stats.get(m);
            assertThat(s).as("stats of %s", m).isNotNull();
            final Map<String, List<Long>> actual = new TreeMap<>();
            s.platforms().forEach((p, c) -> actual.put(p, List.of(c.sent(), c.delivered(), c.failed(), c.unconfirmed(), c.segments())));
            final Map<String, List<Long>> wanted = new TreeMap<>();
            expected.stats.get(m).forEach((p, c) -> wanted.put(p, List.of(c[0], c[1], c[2], c[3], c[4])));
            assertThat(actual).as("counts of %s", m).isEqualTo(wanted);
            final long[] rec = expected.reconciliation.getOrDefault(m, new long[3]);
            assertThat(List.of(s.reconciliation().duplicateReceipts(), s.reconciliation().conflictingFinals(),
                    s.reconciliation().lateReceipts())).as("reconciliation of %s", m).isEqualTo(List.of(rec[0], rec[1], rec[2]));
            ReferenceModel.assertCosts(m, s, expected.spend, expected.pricing, "");
            assertThat(s.notSent()).as("not sent by reason of %s (rule 14)", m).isEqualTo(expected.notSent.getOrDefault(m, Map.of()));
            final io.smsreports.reporting.Engagement e = s.engagement();
            assertThat(List.of(e.totalClicks(), e.uniqueClicks(), e.botClicks(), e.replies(), e.optOuts()))
                    .as(() -> "clicks, unique, bot (rule 16), replies and opt-outs (rule 17) of " + m + " (" + repliesDiagnosis(streams, expected)
                            + ")").isEqualTo(expected.engagement(m));
        }

        final ReadOnlyWindowStore<String, HourlyCounts> hourly = streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.CAMPAIGN_HOURLY, QueryableStoreTypes.windowStore()));
        final ReadOnlyWindowStore<String, FailedRecipient> failed = streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.CAMPAIGN_FAILED, QueryableStoreTypes.windowStore()));
        final ReadOnlyKeyValueStore<LatencyKey, Long> latency = streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.CAMPAIGN_LATENCY, QueryableStoreTypes.keyValueStore()));
        for (final String m : CAMPAIGNS) {
            final Map<Long, Map<String, List<Long>>> hours = new TreeMap<>();
            try (WindowStoreIterator<HourlyCounts> it = hourly.fetch(m, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE))) {
                it.forEachRemaining(kv -> kv.value.platforms().forEach((p, c) ->
                        hours.computeIfAbsent(kv.key, h -> new TreeMap<>()).put(p, List.of(c.sent(), c.delivered(), c.failed()))));
            }
            final Map<Long, Map<String, List<Long>>> wantedHours = new TreeMap<>();
            expected.hourly.get(m).forEach((hour, platforms) -> platforms.forEach((p, c) ->
                    wantedHours.computeIfAbsent(hour, h -> new TreeMap<>()).put(p, List.of(c[0], c[1], c[2]))));
            assertThat(hours).as("hourly windows of %s", m).isEqualTo(wantedHours);

            final List<String> failedLines = new ArrayList<>();
            try (WindowStoreIterator<FailedRecipient> it = failed.fetch(m, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE))) {
                it.forEachRemaining(kv -> failedLines.add(kv.value.smsId() + "|" + kv.value.status() + "|" + kv.value.failedAt() + "|"
                        + kv.value.errorCode() + "|" + kv.value.failReason() + "|" + kv.value.platform() + "|" + kv.value.msisdn()));
            }
            failedLines.sort(null);
            assertThat(failedLines).as("failed recipients of %s", m).isEqualTo(expected.failed.getOrDefault(m, List.of()));

            final Map<Integer, Long> buckets = new TreeMap<>();
            try (KeyValueIterator<LatencyKey, Long> it = latency.prefixScan(m, LatencyKey.PREFIX_SERIALIZER)) {
                it.forEachRemaining(kv -> buckets.put(kv.key.bucket(), kv.value));
            }
            assertThat(buckets).as("latency of %s", m).isEqualTo(expected.latency.get(m));
        }

        // A person's messages are spread over the lifecycle partitions (keyed by smsId): read every partition.
        final List<ReadOnlyWindowStore<String, PersonMessage>> people = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            people.add(streams.store(StoreQueryParameters.fromNameAndType(StoreNames.PERSON_HISTORY,
                    QueryableStoreTypes.<String, PersonMessage>windowStore()).withPartition(partition)));
        }
        for (final Map.Entry<String, List<String>> person : expected.people.entrySet()) {
            final List<String> lines = new ArrayList<>();
            for (final ReadOnlyWindowStore<String, PersonMessage> store : people) {
                try (KeyValueIterator<org.apache.kafka.streams.kstream.Windowed<String>, PersonMessage> it = store.fetch(
                        PersonHistoryKeys.first(person.getKey()), PersonHistoryKeys.last(person.getKey()), Instant.EPOCH,
                        Instant.ofEpochMilli(Long.MAX_VALUE))) {
                    it.forEachRemaining(kv -> {
                        final PersonMessage msg = kv.value;
                        lines.add(msg.smsId() + "|" + msg.messageId() + "|" + msg.dispatchedAt() + "|" + msg.status() + "|"
                                + (msg.finalAt() == null ? "-" : msg.finalAt()) + "|" + msg.failReason());
                    });
                }
            }
            lines.sort(null);
            assertThat(lines).as("messages of %s", person.getKey()).isEqualTo(person.getValue());
        }

        long orphans = 0;
        for (int partition = 0; partition < partitions; partition++) {
            final ReadOnlyKeyValueStore<String, Long> meta = streams.store(StoreQueryParameters.fromNameAndType(
                    StoreNames.LIFECYCLE_META, QueryableStoreTypes.<String, Long>keyValueStore()).withPartition(partition));
            final Long n = meta.get(LifecycleProcessor.ORPHAN_RECEIPTS_KEY);
            orphans += n == null ? 0 : n;
        }
        assertThat(orphans).as("orphan receipts").isEqualTo(expected.orphans);
        assertThat(counterOverPartitions(streams, StoreNames.LIFECYCLE_META, LifecycleProcessor.ORPHAN_CLICKS_KEY))
                .as("orphan clicks (rule 16)").isEqualTo(expected.orphanClicks);
        assertThat(counterOverPartitions(streams, StoreNames.REPLY_META, ReplyProcessor.UNATTRIBUTED_KEY))
                .as("unattributed replies (rule 17)").isEqualTo(expected.unattributedReplies);
    }

    /**
     * What the replies' tasks hold against the model, to tell on a shortfall which input lost records: the sends and the
     * inbound messages in the ledgers (nothing is pruned in this workload), the stale inputs and the unattributed replies.
     */
    private String repliesDiagnosis(final KafkaStreams streams, final Expected expected) {
        long sends = 0;
        final Set<String> inbound = new HashSet<>();
        for (int partition = 0; partition < partitions; partition++) {
            try (KeyValueIterator<String, io.smsreports.replies.ReplyLedger> it = streams.store(StoreQueryParameters.fromNameAndType(
                    StoreNames.REPLY_LEDGER, QueryableStoreTypes.<String, io.smsreports.replies.ReplyLedger>keyValueStore())
                    .withPartition(partition)).all()) {
                while (it.hasNext()) {
                    final io.smsreports.replies.ReplyLedger ledger = it.next().value;
                    sends += ledger.sends().size();
                    ledger.inbounds().forEach(i -> inbound.add(i.inboundId()));
                }
            }
        }
        long sent = 0;
        for (final Map<String, long[]> platforms : expected.stats.values()) {
            for (final long[] c : platforms.values()) {
                sent += c[0];
            }
        }
        return "reply ledgers hold " + sends + " sends (model " + sent + ") and " + inbound.size() + " inbound messages (model "
                + expected.inboundMessages + "); stale inputs " + counterOverPartitions(streams, StoreNames.REPLY_META, ReplyProcessor.STALE_KEY)
                + ", unattributed " + counterOverPartitions(streams, StoreNames.REPLY_META, ReplyProcessor.UNATTRIBUTED_KEY) + " (model "
                + expected.unattributedReplies + ")";
    }

    /** A counter of a meta store summed over its partitions (the lifecycle's and the replies' tasks have the input's count). */
    private long counterOverPartitions(final KafkaStreams streams, final String store, final String key) {
        long total = 0;
        for (int partition = 0; partition < partitions; partition++) {
            final Long n = streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, Long>keyValueStore())
                    .withPartition(partition)).get(key);
            total += n == null ? 0 : n;
        }
        return total;
    }

    /**
     * Whether an instance that owns every task has nothing in flight, by cheap probes only (metrics and a few store
     * reads, no comparison): RUNNING; its main consumer's every partition (inputs and repartition topics) at lag 0 as of
     * its last fetch; nothing left in the store where transitions waited before they waited in memory; nothing parked by a stalled decode or for the
     * alerts. A flush or a commit can be on its way between two probes: ask twice, a few commit intervals apart
     * ({@link #awaitSettled}).
     */
    public static boolean settled(final Verifier verifier) {
        final KafkaStreams streams = verifier.streams();
        if (streams.state() != KafkaStreams.State.RUNNING || verifier.restoring() != null) {
            return false;
        }
        int partitions = 0;
        for (final Map.Entry<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> metric
                : streams.metrics().entrySet()) {
            final org.apache.kafka.common.MetricName name = metric.getKey();
            final String client = name.tags().getOrDefault("client-id", "");
            if (!"records-lag".equals(name.name()) || !name.tags().containsKey("partition") || !client.endsWith("-consumer")
                    || client.endsWith("restore-consumer")) {
                continue;
            }
            partitions++;
            if (!(metric.getValue().metricValue() instanceof Number lag) || Double.isNaN(lag.doubleValue()) || lag.doubleValue() > 0) {
                return false;
            }
        }
        return partitions > 0 && isEmpty(streams, StoreNames.PENDING_TRANSITIONS) && isEmpty(streams, StoreNames.DECODE_BACKLOG_SMS)
                && isEmpty(streams, StoreNames.DECODE_BACKLOG_CAMPAIGNS) && isEmpty(streams, StoreNames.ALERT_BACKLOG);
    }

    /** Waits until {@link #settled} holds twice in a row, {@code apart} apart (a few commit intervals). */
    public static void awaitSettled(final Verifier streams, final Duration atMost, final Duration apart) {
        final long[] settledSince = {0};
        io.smsreports.testing.Poll.until("nothing left in flight", atMost, apart, () -> {
            if (!settled(streams)) {
                settledSince[0] = 0;
                return false;
            }
            if (settledSince[0] == 0) {
                settledSince[0] = System.nanoTime();
                return false;
            }
            return true;
        }, org.apache.kafka.streams.errors.InvalidStateStoreException.class);
    }

    private static boolean isEmpty(final KafkaStreams streams, final String store) {
        final ReadOnlyKeyValueStore<Object, Object> kv = streams.store(StoreQueryParameters.fromNameAndType(store,
                QueryableStoreTypes.keyValueStore()));
        try (KeyValueIterator<Object, Object> it = kv.all()) {
            return !it.hasNext();
        }
    }

    // ---- Kafka plumbing ----

    /** Produces every input (acks=all, idempotent), waiting for each acknowledgement. */
    public static void produce(final String bootstrap, final String registryUrl, final List<Input> inputs) {
        produce(bootstrap, registryUrl, inputs, 0, new AtomicBoolean(true));
    }

    /**
     * Produces the inputs at about {@code perSecond} records a second (0: as fast as possible), while {@code keepGoing}
     * holds; the producer's own registry client has the schemas cached after the first record of each topic, as a
     * long-running sender's would.
     */
    public static void produce(final String bootstrap, final String registryUrl, final List<Input> inputs, final int perSecond,
            final AtomicBoolean keepGoing) {
        final Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000, AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        final SpecificAvroSerializer<SpecificRecord> avro = new SpecificAvroSerializer<>();
        avro.configure(config, false);
        final List<Future<?>> sent = new ArrayList<>(inputs.size());
        final long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < inputs.size() && keepGoing.get(); i++) {
                final Input input = inputs.get(i);
                final byte[] value = input.value instanceof byte[] raw ? raw : avro.serialize(input.topic, (SpecificRecord) input.value);
                sent.add(producer.send(new ProducerRecord<>(input.topic, null, input.timestamp, input.key, value)));
                if (perSecond > 0 && i % 100 == 0) {
                    // A steady pace. The order between partitions does not matter (rule 13: the model takes each input in
                    // its own order, and the pipeline's watermark waits for the slower input); within a partition the
                    // idempotent producer keeps it.
                    producer.flush();
                    final long due = started + i * 1_000_000_000L / perSecond;
                    final long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
            producer.flush();
            for (int i = 0; i < sent.size(); i++) {
                try {
                    sent.get(i).get(); // any rejected record fails the test here
                } catch (ExecutionException e) {
                    // The cause in the message: a CI summary shows the message, not the stack trace.
                    throw new IllegalStateException("producing the dataset failed at record " + i + " of " + inputs.size() + " (topic "
                            + inputs.get(i).topic + ", " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s after the first): "
                            + e.getCause(), e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("producing the dataset was interrupted", e);
        }
        avro.close();
    }

    /**
     * Whether consumer group {@code group} (a Kafka Streams application id) has committed every record of the inputs:
     * its offsets on each partition of {@code topics}' dispatches, receipts, decisions not to send, clicks and inbound messages at
     * their end offsets.
     */
    public static boolean consumedAll(final String bootstrap, final String group, final Topics topics, final int partitions)
            throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            final List<TopicPartition> inputs = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                for (final String topic : List.of(topics.dispatches(), topics.receipts(), topics.notSent(), topics.clicks(), topics.inbound())) {
                    inputs.add(new TopicPartition(topic, p));
                }
            }
            final var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            final var ends = admin.listOffsets(inputs.stream().collect(java.util.stream.Collectors.toMap(tp -> tp,
                    tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get();
            return inputs.stream().allMatch(tp -> ends.get(tp).offset() == 0
                    || committed.get(tp) != null && committed.get(tp).offset() >= ends.get(tp).offset());
        }
    }

    /** Records in a topic, read_committed. */
    public static int count(final String bootstrap, final String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int n = 0;
            for (int empty = 0; empty < 5; ) {
                final var records = consumer.poll(Duration.ofMillis(300));
                n += records.count();
                empty = records.isEmpty() ? empty + 1 : 0;
            }
            return n;
        }
    }

    /** Reads sms.delivered with read_committed in the background, counting and keeping every event. */
    public static final class DeliveredWatcher implements AutoCloseable {
        private final Map<String, List<String>> events = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private volatile int count;

        public DeliveredWatcher(final String bootstrap, final String registryUrl, final String topic) {
            final SpecificAvroDeserializer<SmsDelivered> deserializer = new SpecificAvroDeserializer<>(SmsDelivered.class);
            deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
            final KafkaConsumer<String, SmsDelivered> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), deserializer);
            thread = new Thread(() -> {
                try (consumer) {
                    // A topic just created on a cluster under load may not be in this client's metadata yet (no partitions):
                    // ask again until it is, or the watcher would read nothing at all.
                    List<TopicPartition> partitions = List.of();
                    while (partitions.isEmpty() && running.get()) {
                        try {
                            partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                        } catch (RuntimeException e) {
                            org.slf4j.LoggerFactory.getLogger(DeliveredWatcher.class).warn("No metadata for {} yet: {}", topic, e.toString());
                        }
                        if (partitions.isEmpty()) {
                            sleepQuietly(200);
                        }
                    }
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    while (running.get()) {
                        final org.apache.kafka.clients.consumer.ConsumerRecords<String, SmsDelivered> records;
                        try {
                            records = consumer.poll(Duration.ofMillis(100));
                        } catch (RuntimeException e) {
                            // A broker restart or a slow metadata update must not stop the count: say so and go on.
                            org.slf4j.LoggerFactory.getLogger(DeliveredWatcher.class).warn("Reading {} failed, retrying: {}", topic, e.toString());
                            sleepQuietly(500);
                            continue;
                        }
                        for (final ConsumerRecord<String, SmsDelivered> record : records) {
                            final SmsDelivered d = record.value();
                            events.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.key() + "|" + d.getMessageId() + "|"
                                    + d.getPlatform() + "|" + d.getDispatchedAt().toEpochMilli() + "|" + d.getDeliveredAt().toEpochMilli()
                                    + "|" + d.getLatencyMs());
                            count++;
                        }
                    }
                }
            }, "delivered-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        public int count() {
            return count;
        }

        private static void sleepQuietly(final long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        public List<String> all() {
            return events.values().stream().flatMap(List::stream).collect(Collectors.toList());
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
