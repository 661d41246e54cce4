package io.smsreports.demo;

import io.smsreports.events.Campaign;
import io.smsreports.events.CampaignStatus;
import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.MessageType;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SendMethod;
import io.smsreports.events.NotSentReason;
import io.smsreports.events.SmsDispatched;
import io.smsreports.events.SmsInbound;
import io.smsreports.events.SmsLinkClicked;
import io.smsreports.events.SmsNotSent;
import io.smsreports.events.SmsEncoding;
import io.smsreports.events.Topics;
import io.smsreports.serde.SpecificAvroSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated sender and SMS gateway producing realistic traffic through the real topics with the real
 * serde: campaigns of every type, method and status; SMS to a pool of people in four countries on eleven mobile operators
 * and on several platforms, through
 * five providers with different failure rates; intermediate receipts; final receipts from under a second
 * to hours later; duplicates, a few contradictions, receipts ahead of their dispatch, failures with the
 * reasons providers give, SMS never confirmed, an occasional orphan or undecodable record.
 *
 * <p>For the alerts (DESIGN "Alerts"): provider {@code sinch} degrades for six minutes, from four minutes after the
 * start (two thirds of its SMS fail with ESME_RSUBMITFAIL), so that its delivery-rate drop opens a few minutes in and
 * resolves about twenty minutes in (over the default 15-minute window against its last day); provider {@code bulkroute} reports every SMS delivered a
 * quarter of a second after dispatch, a known sign of fake delivery reports (implausible receipts, open while it sends).
 *
 * <p>At first start it also back-fills history (a finished campaign over the last day, one five days ago
 * whose unanswered SMS become Unconfirmed, a cancelled one, and a burst of the flash sale three hours ago during which
 * {@code sinch} degraded for ten minutes: alerts that opened and resolved), so that timelines, heatmaps and the alerts
 * panel have something to show at once. A restart on the same data directory does not back-fill again.
 */
public final class DemoTraffic implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoTraffic.class);
    private static final String[] PLATFORMS = {"android", "ios", "web", null};
    private static final double[] PLATFORM_WEIGHTS = {0.52, 0.38, 0.07, 0.03};
    private static final Provider[] PROVIDERS = {
        new Provider("twilio", 0.06, 0.02, false), new Provider("vonage", 0.09, 0.03, false), new Provider("infobip", 0.12, 0.05, false),
        new Provider("sinch", 0.07, 0.02, false), new Provider("bulkroute", 0.01, 0.0, true)};
    /**
     * Where the demo's people live: country, calling code, the base of its mobile prefixes, the digits after the prefix,
     * and its operators (MCC-MNC).
     */
    private record Country(String code, String callingCode, int prefix, int digits, String[] operators) {
    }

    private static final Country[] COUNTRIES = {
        new Country("TR", "90", 530, 7, new String[] {"286-01", "286-02", "286-03"}),
        new Country("DE", "49", 151, 7, new String[] {"262-01", "262-02", "262-03"}),
        new Country("GB", "44", 7400, 6, new String[] {"234-10", "234-15", "234-30"}),
        new Country("NL", "31", 61, 7, new String[] {"204-04", "204-08"})};
    /** Of every ten people: six in Turkey, two in Germany, one in Britain, one in the Netherlands. */
    private static final int[] COUNTRY_OF_TENTH = {0, 0, 0, 0, 0, 0, 1, 1, 2, 3};
    private static final String DEGRADING = "sinch";
    /** SMS the first start back-fills: the four spreads of {@link #backfill}. */
    public static final long BACKFILL_SMS = 4_000 + 1_500 + 200 + 4_000;
    private static final double DEGRADED_FAILURE_RATE = 0.65;
    private static final Failure SUBMIT_FAILED = new Failure(ReceiptStatus.UNDELIVERABLE, "UNDELIV", "0x00000045",
            "Submit to the operator failed (route congested)", 0); // PROVIDER, temporary
    private static final Failure[] FAILURES = {
        // Codes as rule 11's default table reads them (README "Failure categories"): every category appears.
        new Failure(ReceiptStatus.UNDELIVERABLE, "UNDELIV", "027", "Absent subscriber: phone off or out of coverage", 30), // PROVIDER
        new Failure(ReceiptStatus.UNDELIVERABLE, "UNDELIV", "032", "Handset memory full", 8), // PROVIDER
        new Failure(ReceiptStatus.EXPIRED, "EXPIRED", null, "Validity period expired before delivery", 15), // PROVIDER
        new Failure(ReceiptStatus.REJECTED, "REJECTD", "0x0000000B", "Invalid destination number", 12), // DATA, permanent
        new Failure(ReceiptStatus.UNDELIVERABLE, "UNDELIV", "001", "Unknown subscriber: number not in service", 8), // DATA, permanent
        new Failure(ReceiptStatus.REJECTED, "REJECTD", "0x0000000A", "Sender ID blocked by the operator", 7), // CONFIGURATION
        new Failure(ReceiptStatus.REJECTED, "REJECTD", "0x00000001", "Message too long for the route", 4), // VALIDATION
        new Failure(ReceiptStatus.DELETED, "DELETED", null, "Deleted by the SMSC administrator", 4), // PROVIDER
        new Failure(ReceiptStatus.UNKNOWN, "UNKNOWN", "0x000000FF", "Provider reported no final state", 6)}; // UNKNOWN

    private final Settings settings;
    private final Topics topics;
    private final KafkaProducer<String, byte[]> producer;
    private final SpecificAvroSerializer<SpecificRecord> avro;
    private final Random random;
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>(Comparator.comparingLong(Scheduled::dueAt).thenComparingLong(Scheduled::seq));
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong smsSent = new AtomicLong();
    /** When {@link #DEGRADING} degrades (event time of the dispatch): a past episode in the back-fill, one live. */
    private final List<long[]> degraded = new ArrayList<>();
    /** The price the final receipts scheduled now carry ({@link #priced}), or null. */
    private Long receiptPrice;
    private String receiptCurrency;
    private final String runId;
    private final Thread thread;
    private long seq;

    /**
     * @param smsPerSecond rate of new live SMS
     * @param maxSms       stop sending new SMS after this many (0 = no limit); scheduled receipts still come
     * @param seed         of the random choices
     */
    public record Settings(double smsPerSecond, long maxSms, long seed) {
        public Settings {
            if (!(smsPerSecond > 0 && smsPerSecond <= 100_000)) {
                throw new IllegalArgumentException("--demo-rate must be more than 0 and at most 100000 SMS a second, was " + smsPerSecond);
            }
            if (maxSms < 0) {
                throw new IllegalArgumentException("--demo-max-sms must be 0 (no limit) or more, was " + maxSms);
            }
        }
    }

    /** A provider; {@code fakeReceipts}: it answers DELIVERED within a quarter second whatever happened. */
    private record Provider(String name, double failureRate, double neverConfirmedRate, boolean fakeReceipts) {
    }

    private record Failure(ReceiptStatus status, String stat, String errorCode, String reason, int weight) {
    }

    private record Scheduled(long dueAt, long seq, String topic, String key, byte[] value) {
    }

    /** A campaign of the catalogue, with its share of live traffic. */
    private record DemoCampaign(Campaign campaign, double liveShare) {
    }

    private DemoTraffic(final Settings settings, final Topics topics, final String bootstrap, final Map<String, Object> registryConfig,
            final Path home) {
        this.settings = settings;
        this.topics = topics;
        this.random = new Random(settings.seed());
        final Map<String, Object> config = new HashMap<>(registryConfig);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "sms-reports-demo");
        this.avro = new SpecificAvroSerializer<>();
        avro.configure(config, false);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        this.runId = Long.toString(System.currentTimeMillis(), 36);
        final List<DemoCampaign> catalogue = catalogue(Instant.now());
        final boolean backfill = markBackfill(home);
        this.thread = new Thread(() -> run(catalogue, backfill), "demo-traffic");
        thread.setDaemon(true);
    }

    /** Starts producing in the background. */
    public static DemoTraffic start(final Settings settings, final Topics topics, final String bootstrap,
            final Map<String, Object> registryConfig, final Path home) {
        final DemoTraffic demo = new DemoTraffic(settings, topics, bootstrap, registryConfig, home);
        demo.thread.start();
        LOG.info("Demo traffic: {} SMS a second{}", settings.smsPerSecond(), settings.maxSms() > 0 ? ", at most " + settings.maxSms() : "");
        return demo;
    }

    /** Live SMS sent so far (the back-fill not included). */
    public long smsSent() {
        return smsSent.get();
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
        avro.close();
        LOG.info("Demo traffic stopped after {} live SMS", smsSent.get());
    }

    private void run(final List<DemoCampaign> catalogue, final boolean backfill) {
        try {
            final long now = System.currentTimeMillis();
            for (final DemoCampaign c : catalogue) {
                schedule(now, topics.campaigns(), c.campaign().getMessageId(), c.campaign());
            }
            if (backfill) {
                backfill(catalogue, now);
            }
            flushDue(now, now);
            degraded.add(new long[] {now + Duration.ofMinutes(4).toMillis(), now + Duration.ofMinutes(10).toMillis()});
            final List<DemoCampaign> live = catalogue.stream().filter(c -> c.liveShare() > 0).toList();
            double owed = 0;
            long last = System.nanoTime();
            long n = 0;
            while (running.get()) {
                final long tick = System.nanoTime();
                owed += (tick - last) / 1e9 * settings.smsPerSecond();
                last = tick;
                final long wall = System.currentTimeMillis();
                while (owed >= 1 && (settings.maxSms() == 0 || n < settings.maxSms())) {
                    owed -= 1;
                    sms("sms-" + runId + "-" + n++, pick(live), wall);
                    smsSent.incrementAndGet();
                }
                if (settings.maxSms() > 0 && n >= settings.maxSms()) {
                    owed = 0;
                }
                flushDue(wall, wall);
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Demo traffic failed", e);
        }
    }

    /**
     * History: a finished campaign over the last day, one five days ago, a cancelled one, and the flash sale's first
     * burst three hours ago, during which {@link #DEGRADING} degraded for ten minutes.
     */
    private void backfill(final List<DemoCampaign> catalogue, final long now) {
        final long day = Duration.ofDays(1).toMillis();
        final long minute = Duration.ofMinutes(1).toMillis();
        final long burst = now - 3 * 3_600_000L + 5 * minute;
        degraded.add(new long[] {burst + 15 * minute, burst + 25 * minute});
        spread(catalogue.get(3), 4_000, now - day, now - 2 * 3_600_000L);
        spread(catalogue.get(4), 1_500, now - 5 * day, now - 5 * day + 2 * 3_600_000L);
        spread(catalogue.get(6), 200, now - 3 * day, now - 3 * day + 600_000L);
        spread(catalogue.get(0), 4_000, burst, burst + 45 * minute);
        LOG.info("Demo traffic: back-filled {} SMS of history", BACKFILL_SMS);
    }

    /** Whether {@link #DEGRADING} is degraded at {@code at}. */
    private boolean degradedAt(final Provider provider, final long at) {
        if (!provider.name().equals(DEGRADING)) {
            return false;
        }
        for (final long[] episode : degraded) {
            if (at >= episode[0] && at < episode[1]) {
                return true;
            }
        }
        return false;
    }

    private void spread(final DemoCampaign campaign, final int count, final long from, final long to) {
        for (int i = 0; i < count; i++) {
            sms("bf-" + campaign.campaign().getMessageId() + "-" + i, campaign, from + (to - from) * i / count);
        }
    }

    /** One SMS: its dispatch and the receipts its provider will send. */
    private void sms(final String smsId, final DemoCampaign campaign, final long firstTry) {
        long dispatchedAt = firstTry;
        final int person = random.nextInt(20_000);
        final Provider provider = PROVIDERS[random.nextInt(PROVIDERS.length)];
        final Country country = COUNTRIES[COUNTRY_OF_TENTH[person % 10]];
        // Rule 15: a third of the Turkish texts need UCS-2 (ş, ğ, ı) and take up to three parts; most SMS are priced by the
        // sender, some only by the provider's final receipt, the rest not at all (no tariff file in the demo); a rare
        // sender bug gives a negative price (counted as bad, the SMS counted all the same).
        final boolean ucs2 = "TR".equals(country.code()) && random.nextDouble() < 0.35;
        final int parts = ucs2 ? 1 + random.nextInt(3) : 1 + (random.nextDouble() < 0.2 ? 1 : 0);
        final String currency = "TR".equals(country.code()) ? "TRY" : "EUR";
        final long price = parts * pricePerPart(provider, country);
        final double pricing = random.nextDouble();
        final Long dispatchPrice = pricing < 0.7 ? Long.valueOf(price) : pricing < 0.7005 ? Long.valueOf(-price) : null;
        final Long receiptPrice = pricing >= 0.7005 && pricing < 0.9 ? Long.valueOf(price) : null;
        // The recipient, as both the sender's decision not to send and its dispatch name them.
        final String msisdn = String.format("+%s%d%0" + country.digits() + "d", country.callingCode(), country.prefix() + person % 7,
                person * 7919L % (long) Math.pow(10, country.digits()));
        final String externalId = person % 5 == 0 ? null : "cust-" + person;
        final String email = person % 5 < 2 ? "customer" + person + "@example.com" : null;
        final String platform = weighted(PLATFORMS, PLATFORM_WEIGHTS, person);
        final String operator = country.operators()[(person / 10) % country.operators().length];
        final NotSentReason reason = notSentReason(country, random.nextDouble());
        if (reason != null) {
            // Rule 14: the sender's checks (İYS consent for commercial SMS in Turkey, opt-outs, number validity, caps) keep a
            // share of the audience from being sent to; now and then a decision is followed by a dispatch all the same (a
            // retried check that passed): that recipient counts as Sent only.
            schedule(dispatchedAt, topics.notSent(), smsId, SmsNotSent.newBuilder().setSmsId(smsId)
                    .setMessageId(campaign.campaign().getMessageId())
                    .setMsisdn(msisdn).setExternalId(externalId).setEmail(email).setPlatform(platform).setCountry(country.code())
                    .setOperator(operator).setReason(reason)
                    .setDetail(reason.name().startsWith("IYS") ? "İYS " + (reason == NotSentReason.IYS_REJECTED ? "H174" : "no consent record") : null)
                    .setDecidedAt(Instant.ofEpochMilli(dispatchedAt)).build());
            if (random.nextDouble() > 0.03) {
                return;
            }
            dispatchedAt += 30_000; // dispatched after all
        }
        final SmsDispatched dispatch = SmsDispatched.newBuilder()
                .setSmsId(smsId).setMessageId(campaign.campaign().getMessageId())
                .setMsisdn(msisdn).setExternalId(externalId).setEmail(email).setPlatform(platform)
                .setProvider(provider.name()).setCountry(country.code()).setOperator(operator)
                .setSegments(parts).setEncoding(ucs2 ? SmsEncoding.UCS2 : SmsEncoding.GSM7)
                .setPriceMicros(dispatchPrice).setCurrency(dispatchPrice == null ? null : currency)
                .setDispatchedAt(Instant.ofEpochMilli(dispatchedAt)).build();
        final boolean early = random.nextDouble() < 0.02;
        final long published = early ? dispatchedAt + 2_000 + random.nextInt(3_000) : dispatchedAt;
        schedule(published, topics.dispatches(), smsId, dispatch);

        if (random.nextDouble() < 0.7) {
            receipt(smsId, provider, ReceiptStatus.ACCEPTED, "ACCEPTD", null, null, null, dispatchedAt + 100 + random.nextInt(700));
        }
        if (random.nextDouble() < 0.4) {
            receipt(smsId, provider, ReceiptStatus.ENROUTE, "ENROUTE", null, null, null, dispatchedAt + 500 + random.nextInt(1_500));
        }
        final double fate = random.nextDouble();
        if (fate < provider.neverConfirmedRate()) {
            return; // the provider never says
        }
        if (provider.fakeReceipts()) {
            final long doneAt = dispatchedAt + 220 + random.nextInt(60);
            priced(receiptPrice, currency, () -> receipt(smsId, provider, ReceiptStatus.DELIVERED, "DELIVRD", "000", null, doneAt, doneAt + 20));
            return;
        }
        final long doneAt = dispatchedAt + (early ? 300 + random.nextInt(1_500) : latency());
        final long receivedAt = doneAt + 50 + random.nextInt(950);
        final boolean degradedNow = degradedAt(provider, dispatchedAt);
        final double failureRate = degradedNow ? DEGRADED_FAILURE_RATE : provider.failureRate();
        if (fate < provider.neverConfirmedRate() + failureRate) {
            final Failure failure = degradedNow ? SUBMIT_FAILED : failure();
            priced(receiptPrice, currency, () -> receipt(smsId, provider, failure.status(), failure.stat(), failure.errorCode(),
                    failure.reason(), doneAt, receivedAt));
            if (random.nextDouble() < 0.005) {
                receipt(smsId, provider, ReceiptStatus.DELIVERED, "DELIVRD", "000", null, doneAt + 60_000, receivedAt + 60_000);
            }
        } else {
            priced(receiptPrice, currency, () -> receipt(smsId, provider, ReceiptStatus.DELIVERED, "DELIVRD", "000", null, doneAt, receivedAt));
            clicks(smsId, campaign, doneAt);
            replies(smsId, msisdn, doneAt);
            if (random.nextDouble() < 0.03) {
                receipt(smsId, provider, ReceiptStatus.DELIVERED, "DELIVRD", "000", null, doneAt, receivedAt + 1_000 + random.nextInt(29_000));
            }
        }
        if (random.nextDouble() < 0.0005) {
            receipt("unknown-" + smsId, provider, ReceiptStatus.DELIVERED, "DELIVRD", "000", null, doneAt, receivedAt);
        }
        if (random.nextDouble() < 0.0002) {
            queue.add(new Scheduled(receivedAt, seq++, topics.receipts(), smsId, "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static final java.util.regex.Pattern LINK = java.util.regex.Pattern.compile("https://\\S+");

    /**
     * Rule 16: clicks on a delivered SMS's links (a campaign's links are the URLs in its text): about one in eight recipients
     * clicks, some twice or on the second link; a messenger's link preview (a bot) fetches some links a second after delivery;
     * the tracker now and then sends a click twice.
     */
    private void clicks(final String smsId, final DemoCampaign campaign, final long deliveredAt) {
        final List<String> urls = LINK.matcher(campaign.campaign().getText()).results().map(java.util.regex.MatchResult::group).toList();
        if (urls.isEmpty()) {
            return;
        }
        if (random.nextDouble() < 0.06) {
            click(smsId + "-preview", smsId, urls.get(0), deliveredAt + 500 + random.nextInt(2_000), true);
        }
        if (random.nextDouble() >= 0.13) {
            return;
        }
        final long first = deliveredAt + 5_000 + (long) (random.nextDouble() * random.nextDouble() * 7_200_000L);
        click(smsId + "-c1", smsId, urls.get(0), first, false);
        if (random.nextDouble() < 0.25) {
            click(smsId + "-c2", smsId, urls.get(random.nextInt(urls.size())), first + 20_000 + random.nextInt(600_000), false);
        }
        if (random.nextDouble() < 0.02) {
            click(smsId + "-c1", smsId, urls.get(0), first, false); // the tracker's retry: the same clickId
        }
    }

    private static final List<String> OPT_OUTS = List.of("STOP", "İPTAL", "iptal", "Iptal lütfen", "DUR", "Ret", "stop.");
    private static final List<String> REPLIES = List.of("Teşekkürler", "Bilgi almak istiyorum", "ok", "Kim bu?", "Thanks!",
            "Kampanya ne zaman bitiyor?");

    /**
     * Rule 17: about 2.5 % of recipients write back within hours of delivery, two in five of them a stop word (in its Turkish
     * and English forms); the gateway sometimes writes the number without its {@code +}, and now and then delivers a
     * message twice. Now and then a stranger writes to the short code: a reply that answers no SMS.
     */
    private void replies(final String smsId, final String msisdn, final long deliveredAt) {
        if (random.nextDouble() < 0.001) {
            inbound(smsId + "-stranger", "+9053" + (10_000_000 + random.nextInt(89_999_999)), "Merhaba", deliveredAt + 60_000);
        }
        if (random.nextDouble() >= 0.025) {
            return;
        }
        final List<String> bodies = random.nextDouble() < 0.4 ? OPT_OUTS : REPLIES;
        final long at = deliveredAt + 10_000 + (long) (random.nextDouble() * random.nextDouble() * 10_800_000L);
        final String from = random.nextBoolean() ? msisdn : msisdn.substring(1);
        final String body = bodies.get(random.nextInt(bodies.size()));
        inbound(smsId + "-r1", from, body, at);
        if (random.nextDouble() < 0.03) {
            inbound(smsId + "-r1", from, body, at); // the gateway's retry: the same inboundId, counted once
        }
    }

    private void inbound(final String inboundId, final String msisdn, final String body, final long at) {
        schedule(at, topics.inbound(), msisdn, SmsInbound.newBuilder().setInboundId(inboundId).setMsisdn(msisdn).setTo("4545")
                .setBody(body).setReceivedAt(Instant.ofEpochMilli(at)).setProvider("netgsm").build());
    }

    private void click(final String clickId, final String smsId, final String url, final long at, final boolean bot) {
        schedule(at, topics.clicks(), smsId, SmsLinkClicked.newBuilder().setClickId(clickId).setSmsId(smsId)
                .setLinkId(url.substring(url.lastIndexOf('/') + 1)).setUrl(url).setClickedAt(Instant.ofEpochMilli(at))
                .setUserAgent(bot ? "WhatsApp/2.23 link preview" : "Mozilla/5.0 (Linux; Android 14)").setBot(bot).build());
    }

    /** Why the sender does not send to a recipient, or null (it sends): about 9 % of Turkish recipients, 4 % of others. */
    private static NotSentReason notSentReason(final Country country, final double check) {
        final boolean turkey = "TR".equals(country.code());
        if (turkey && check < 0.04) {
            return NotSentReason.IYS_NO_CONSENT;
        }
        if (turkey && check < 0.05) {
            return NotSentReason.IYS_REJECTED;
        }
        final double rest = turkey ? check - 0.05 : check;
        if (rest < 0.015) {
            return NotSentReason.OPTED_OUT;
        }
        if (rest < 0.025) {
            return NotSentReason.INVALID_NUMBER;
        }
        if (rest < 0.032) {
            return NotSentReason.FREQUENCY_CAP;
        }
        if (rest < 0.036) {
            return NotSentReason.DUPLICATE_RECIPIENT;
        }
        if (rest < 0.039) {
            return NotSentReason.QUIET_HOURS;
        }
        if (rest < 0.040) {
            return NotSentReason.BLOCKLISTED;
        }
        return null;
    }

    /** Dispatch-to-done latency: mostly seconds, a tail to hours. */
    private long latency() {
        final double p = random.nextDouble();
        if (p < 0.75) {
            return 500 + random.nextInt(5_500);
        }
        if (p < 0.92) {
            return 6_000 + random.nextInt(174_000);
        }
        if (p < 0.98) {
            return 180_000 + random.nextInt(3_420_000);
        }
        return 3_600_000 + random.nextInt(18_000_000);
    }

    /** The price (micros) of one part: each provider has its own, per country; TRY in Turkey, EUR elsewhere. */
    private static long pricePerPart(final Provider provider, final Country country) {
        final int step = Math.abs(provider.name().hashCode()) % 5;
        return "TR".equals(country.code()) ? 180_000 + 20_000L * step : 45_000 + 8_000L * step;
    }

    /** Runs {@code send} with the receipts it schedules carrying {@code micros} of {@code currency} (none when null). */
    private void priced(final Long micros, final String currency, final Runnable send) {
        receiptPrice = micros;
        receiptCurrency = micros == null ? null : currency;
        try {
            send.run();
        } finally {
            receiptPrice = null;
            receiptCurrency = null;
        }
    }

    private void receipt(final String smsId, final Provider provider, final ReceiptStatus status, final String stat,
            final String errorCode, final String reason, final Long doneAt, final long receivedAt) {
        schedule(receivedAt, topics.receipts(), smsId, DeliveryReceipt.newBuilder().setSmsId(smsId).setProvider(provider.name())
                .setStatus(status).setProviderStatus(stat).setErrorCode(errorCode).setFailReason(reason)
                .setPriceMicros(receiptPrice).setCurrency(receiptCurrency)
                .setDoneAt(doneAt == null ? null : Instant.ofEpochMilli(doneAt)).setReceivedAt(Instant.ofEpochMilli(receivedAt)).build());
    }

    private void schedule(final long at, final String topic, final String key, final SpecificRecord value) {
        queue.add(new Scheduled(at, seq++, topic, key, avro.serialize(topic, value)));
    }

    /** Sends what is due, each record stamped with its event time (never later than now: brokers refuse the future). */
    private void flushDue(final long until, final long now) {
        while (!queue.isEmpty() && queue.peek().dueAt() <= until) {
            final Scheduled next = queue.poll();
            producer.send(new ProducerRecord<>(next.topic(), null, Math.min(next.dueAt(), now), next.key(), next.value()), (meta, e) -> {
                if (e != null) {
                    LOG.warn("Demo traffic could not send to {}: {}", next.topic(), e.getMessage());
                }
            });
        }
    }

    private Failure failure() {
        int total = 0;
        for (final Failure f : FAILURES) {
            total += f.weight();
        }
        int pick = random.nextInt(total);
        for (final Failure f : FAILURES) {
            pick -= f.weight();
            if (pick < 0) {
                return f;
            }
        }
        return FAILURES[0];
    }

    private DemoCampaign pick(final List<DemoCampaign> live) {
        double total = 0;
        for (final DemoCampaign c : live) {
            total += c.liveShare();
        }
        double pick = random.nextDouble() * total;
        for (final DemoCampaign c : live) {
            pick -= c.liveShare();
            if (pick < 0) {
                return c;
            }
        }
        return live.get(0);
    }

    private static String weighted(final String[] values, final double[] weights, final int seed) {
        double pick = ((seed * 2654435761L) & 0xFFFF) / 65536.0;
        for (int i = 0; i < values.length; i++) {
            pick -= weights[i];
            if (pick < 0) {
                return values[i];
            }
        }
        return values[0];
    }

    private static boolean markBackfill(final Path home) {
        final Path marker = home.resolve("backfill.done");
        try {
            Files.createDirectories(home);
            if (Files.exists(marker)) {
                return false;
            }
            Files.writeString(marker, Instant.now().toString());
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the demo state in " + home, e);
        }
    }

    private static List<DemoCampaign> catalogue(final Instant now) {
        final List<DemoCampaign> campaigns = new ArrayList<>();
        campaigns.add(new DemoCampaign(campaign("bf-flash-sale", "Black Friday Flash Sale", MessageType.CAMPAIGN, SendMethod.BROADCAST,
                CampaignStatus.SENDING, now.minus(Duration.ofHours(3)), true, 120_000,
                "BLACK FRIDAY: 50% off everything until midnight! Shop now: https://ex.co/bf - terms: https://ex.co/bf-terms"), 0.45));
        campaigns.add(new DemoCampaign(campaign("login-otp", "Login one-time codes", MessageType.TRANSACTIONAL, SendMethod.TARGETED,
                CampaignStatus.SENDING, now.minus(Duration.ofDays(30)), true, 40_000, "Your login code is {code}"), 0.30));
        campaigns.add(new DemoCampaign(campaign("delivery-update", "Parcel delivery updates", MessageType.NOTIFICATION,
                SendMethod.TARGETED, CampaignStatus.SENDING, now.minus(Duration.ofDays(10)), true, 25_000,
                "Your parcel {id} is out for delivery today"), 0.25));
        campaigns.add(new DemoCampaign(campaign("weekend-newsletter", "Weekend newsletter", MessageType.CAMPAIGN, SendMethod.BROADCAST,
                CampaignStatus.FINISHED, now.minus(Duration.ofHours(26)), true, 4_500, "This weekend: new arrivals and events near you: https://ex.co/weekend"), 0));
        campaigns.add(new DemoCampaign(campaign("win-back", "Win-back offer", MessageType.CAMPAIGN, SendMethod.TARGETED,
                CampaignStatus.FINISHED, now.minus(Duration.ofDays(5)).minus(Duration.ofHours(1)), true, 1_800,
                "We miss you! Here is 20% off your next order: https://ex.co/back"), 0));
        campaigns.add(new DemoCampaign(campaign("spring-teaser", "Spring collection teaser", MessageType.CAMPAIGN, SendMethod.BROADCAST,
                CampaignStatus.DRAFT, now.minus(Duration.ofMinutes(40)), false, 50_000, "Spring is coming..."), 0));
        campaigns.add(new DemoCampaign(campaign("price-alert", "Price drop alert", MessageType.NOTIFICATION, SendMethod.BROADCAST,
                CampaignStatus.CANCELLED, now.minus(Duration.ofDays(3)).minus(Duration.ofMinutes(5)), true, 10_000,
                "Prices dropped on items in your wishlist"), 0));
        return campaigns;
    }

    private static Campaign campaign(final String id, final String name, final MessageType type, final SendMethod method,
            final CampaignStatus status, final Instant createdAt, final boolean started, final long target, final String text) {
        return Campaign.newBuilder().setMessageId(id).setName(name).setMessageType(type).setText(text).setCreator("marketing@example.com")
                .setMethod(method).setStatus(status).setCreatedAt(createdAt).setStartedAt(started ? createdAt.plusSeconds(300) : null)
                .setEndedAt(status == CampaignStatus.FINISHED || status == CampaignStatus.CANCELLED ? createdAt.plus(Duration.ofHours(2)) : null)
                .setTargetAudience(target).build();
    }
}
