package io.smsreports.topology;

import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDispatched;
import io.smsreports.reporting.LatencyBuckets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An independent, deliberately simple model of the counting rules that decides every outcome from event times and
 * the rules alone (rule 13), never from the order in which the two inputs were interleaved. It shares no code with the
 * topology except the latency bucket function, which has its own unit test.
 *
 * <p>Feed it each input's records in that input's own order (a partition's order); how dispatches and receipts were
 * interleaved does not matter and is not recorded. {@link #evaluate(long)} then computes, from scratch, what the stores
 * must hold once every fed record is processed and the watermark is at a given time:
 * <ul>
 *   <li>an SMS's life starts with its first dispatch and ends a retention after its {@code dispatchedAt}; its receipts are
 *       those that arrived (record time) before the end, whenever they were processed: the first final one (in the
 *       receipts' order) decides Delivered/Failed, later finals are duplicates or conflicts;</li>
 *   <li>a final is a late receipt when its own time ({@code doneAt}, else {@code receivedAt}) is past the timeout;</li>
 *   <li>without a final, the SMS is Unconfirmed once the watermark is past its timeout;</li>
 *   <li>receipts of no life wait in groups, a group starting with its first receipt and taking those that arrive within
 *       the hold; a group is orphaned when the watermark passes its start plus the hold.</li>
 * </ul>
 * Within one input, records are taken to be in time order up to less than any deadline's margin (the callers' data are).
 */
final class ReferenceModel {

    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;

    private final long timeoutMs;
    private final long holdMs;
    private final long retentionMs;

    private record Arrival<T>(T event, long at) {
    }

    private final Map<String, List<Arrival<SmsDispatched>>> dispatches = new LinkedHashMap<>();
    private final Map<String, List<Arrival<DeliveryReceipt>>> receipts = new LinkedHashMap<>();
    private final Map<String, List<io.smsreports.events.SmsNotSent>> decisions = new LinkedHashMap<>();
    private final Map<String, List<Arrival<io.smsreports.events.SmsLinkClicked>>> clicks = new LinkedHashMap<>();
    private final List<io.smsreports.events.SmsInbound> inbound = new ArrayList<>();
    /** Rule 17: messageId → distinct numbers that replied, that opted out; and the replies that answer no SMS. */
    final Map<String, long[]> replies = new TreeMap<>();
    long unattributedReplies;
    static final long REPLY_WINDOW_MS = 72 * 3_600_000L;
    static final Set<String> STOP_BODIES = Set.of("İPTAL", "iptal", "STOP", "Dur!", "stop it please");
    private long dispatchesReached;
    private long receiptsReached;

    // ---- results of the last evaluate() ----
    final Map<String, Map<String, long[]>> stats = new TreeMap<>(); // messageId → platform → sent, delivered, failed, unconfirmed, segments
    final Map<String, long[]> reconciliation = new TreeMap<>(); // messageId → duplicates, conflicts, late
    final Map<String, Map<Long, Map<String, long[]>>> hourly = new TreeMap<>(); // messageId → hour → platform → s, d, f
    final Map<String, List<String>> failed = new TreeMap<>();
    final Map<String, Map<Integer, Long>> latency = new TreeMap<>();
    final List<String> delivered = new ArrayList<>();
    final Map<String, Map<String, String>> personMessages = new TreeMap<>(); // personId → "dispatchedAt|smsId" → line
    final Map<String, TreeMap<Long, String>> lookups = new TreeMap<>(); // lookup key → day → personId
    long orphanReceipts;
    /** Rule 15: campaign → currency → {spend, wasted, delivered} (micros, micros, SMS). */
    final Map<String, Map<String, long[]>> spend = new TreeMap<>();
    /** Rule 16: campaign → {total, unique, bot}; campaign → link → {total, unique, bot}; campaign → platform → {total, unique, bot}. */
    final Map<String, long[]> engagement = new TreeMap<>();
    final Map<String, Map<String, long[]>> linkClicks = new TreeMap<>();
    final Map<String, Map<String, long[]>> platformClicks = new TreeMap<>();
    long orphanClicks;
    /** Rule 14: campaign → reason → recipients not sent to. */
    final Map<String, Map<String, Long>> notSent = new TreeMap<>();
    /** Rule 14: campaign → platform → reason → recipients not sent to. */
    final Map<String, Map<String, Map<String, Long>>> notSentByPlatform = new TreeMap<>();
    /** Rule 15: campaign → {unpriced, bad prices, GSM-7 SMS, UCS-2 SMS, GSM-7 parts, UCS-2 parts, UCS-2 extra parts}. */
    final Map<String, long[]> pricing = new TreeMap<>();

    /** @param reached where both inputs start (a watermark already reached by earlier data), or Long.MIN_VALUE */
    ReferenceModel(final long timeoutMs, final long holdMs, final long retentionMs, final long reached) {
        this.timeoutMs = timeoutMs;
        this.holdMs = holdMs;
        this.retentionMs = retentionMs;
        this.dispatchesReached = reached;
        this.receiptsReached = reached;
    }

    ReferenceModel(final long timeoutMs, final long holdMs, final long retentionMs) {
        this(timeoutMs, holdMs, retentionMs, Long.MIN_VALUE);
    }

    void dispatch(final SmsDispatched d, final long recordTime) {
        dispatches.computeIfAbsent(d.getSmsId(), k -> new ArrayList<>()).add(new Arrival<>(d, recordTime));
        dispatchesReached = Math.max(dispatchesReached, recordTime);
    }

    /** A decision not to send (rule 14); it moves the dispatches' input (the sender's), as in the topology. */
    void notSent(final io.smsreports.events.SmsNotSent n, final long recordTime) {
        decisions.computeIfAbsent(n.getSmsId(), k -> new ArrayList<>()).add(n);
        dispatchesReached = Math.max(dispatchesReached, recordTime);
    }

    /** A click (rule 16); it moves the receipts' input, as in the topology. */
    void click(final io.smsreports.events.SmsLinkClicked c, final long recordTime) {
        clicks.computeIfAbsent(c.getSmsId(), k -> new ArrayList<>()).add(new Arrival<>(c, recordTime));
        receiptsReached = Math.max(receiptsReached, recordTime);
    }

    /** An inbound message (rule 17): it moves neither lifecycle input (the replies task keeps its own clock). */
    void inbound(final io.smsreports.events.SmsInbound message) {
        inbound.add(message);
    }

    void receipt(final DeliveryReceipt r, final long recordTime) {
        receipts.computeIfAbsent(r.getSmsId(), k -> new ArrayList<>()).add(new Arrival<>(r, recordTime));
        receiptsReached = Math.max(receiptsReached, recordTime);
    }

    /**
     * Rule 17: each inbound message (once per inboundId) answers the latest SMS first dispatched to its number (+ or not) at or
     * before it, within the window (ties by smsId); per campaign the distinct numbers that replied and opted out.
     */
    private void replies() {
        replies.clear();
        unattributedReplies = 0;
        final Map<String, List<SmsDispatched>> sentTo = new java.util.HashMap<>();
        dispatches.forEach((smsId, ds) -> sentTo.computeIfAbsent(number(ds.get(0).event().getMsisdn()), k -> new ArrayList<>())
                .add(ds.get(0).event()));
        final Map<String, Set<String>> replied = new TreeMap<>();
        final Map<String, Set<String>> optedOut = new TreeMap<>();
        final Set<String> seen = new java.util.HashSet<>();
        for (final io.smsreports.events.SmsInbound message : inbound) {
            if (!seen.add(message.getInboundId())) {
                continue;
            }
            final String number = number(message.getMsisdn());
            final long at = message.getReceivedAt().toEpochMilli();
            SmsDispatched answered = null;
            for (final SmsDispatched d : sentTo.getOrDefault(number, List.of())) {
                final long sent = d.getDispatchedAt().toEpochMilli();
                if (sent <= at && at - sent <= REPLY_WINDOW_MS && (answered == null || sent > answered.getDispatchedAt().toEpochMilli()
                        || sent == answered.getDispatchedAt().toEpochMilli() && d.getSmsId().compareTo(answered.getSmsId()) > 0)) {
                    answered = d;
                }
            }
            if (answered == null) {
                unattributedReplies++;
                continue;
            }
            replied.computeIfAbsent(answered.getMessageId(), k -> new java.util.HashSet<>()).add(number);
            if (STOP_BODIES.contains(message.getBody())) {
                optedOut.computeIfAbsent(answered.getMessageId(), k -> new java.util.HashSet<>()).add(number);
            }
        }
        replied.forEach((m, numbers) -> replies.put(m, new long[] {numbers.size(), optedOut.getOrDefault(m, Set.of()).size()}));
    }

    private static String number(final String msisdn) {
        return msisdn.startsWith("+") ? msisdn : "+" + msisdn;
    }

    /** The watermark of a task that has processed everything fed so far, neither input idle: the slower input's time. */
    long watermark() {
        return Math.min(dispatchesReached, receiptsReached);
    }

    /** Computes every result for the watermark {@code w}, from scratch. */
    void evaluate(final long w) {
        stats.clear();
        reconciliation.clear();
        hourly.clear();
        failed.clear();
        latency.clear();
        delivered.clear();
        personMessages.clear();
        lookups.clear();
        spend.clear();
        pricing.clear();
        notSent.clear();
        notSentByPlatform.clear();
        engagement.clear();
        linkClicks.clear();
        platformClicks.clear();
        orphanClicks = 0;
        orphanReceipts = 0;
        decisions.forEach(this::decided);
        replies();
        final Set<String> ids = new LinkedHashSet<>(dispatches.keySet());
        ids.addAll(receipts.keySet());
        ids.addAll(clicks.keySet());
        for (final String smsId : ids) {
            final List<Arrival<SmsDispatched>> ds = dispatches.getOrDefault(smsId, List.of());
            final List<Arrival<DeliveryReceipt>> rs = receipts.getOrDefault(smsId, List.of());
            final List<Arrival<DeliveryReceipt>> unclaimed = new ArrayList<>();
            final List<Arrival<io.smsreports.events.SmsLinkClicked>> cs = clicks.getOrDefault(smsId, List.of());
            if (ds.isEmpty()) {
                unclaimed.addAll(rs);
                orphanClicks(cs, w);
            } else {
                final SmsDispatched d = ds.get(0).event();
                final long lifeEnd = d.getDispatchedAt().toEpochMilli() + retentionMs;
                for (final Arrival<SmsDispatched> again : ds) {
                    if (again.event().getDispatchedAt().toEpochMilli() >= lifeEnd) {
                        throw new UnsupportedOperationException("the model keeps one life per smsId; " + smsId + " is used again");
                    }
                }
                final List<DeliveryReceipt> own = new ArrayList<>();
                for (final Arrival<DeliveryReceipt> r : rs) {
                    if (r.at() < lifeEnd) {
                        own.add(r.event());
                    } else {
                        unclaimed.add(r);
                    }
                }
                life(d, own, w);
                final List<Arrival<io.smsreports.events.SmsLinkClicked>> unclaimedClicks = new ArrayList<>();
                final Map<String, io.smsreports.events.SmsLinkClicked> ownClicks = new LinkedHashMap<>();
                for (final Arrival<io.smsreports.events.SmsLinkClicked> c : cs) {
                    if (c.at() < lifeEnd) {
                        ownClicks.putIfAbsent(c.event().getClickId(), c.event());
                    } else {
                        unclaimedClicks.add(c);
                    }
                }
                clicked(d, ownClicks.values());
                orphanClicks(unclaimedClicks, w);
            }
            orphans(unclaimed, w);
        }
    }

    private void life(final SmsDispatched d, final List<DeliveryReceipt> own, final long w) {
        final String m = d.getMessageId();
        final String platform = d.getPlatform() == null || d.getPlatform().isBlank() ? "unknown"
                : d.getPlatform().trim().toLowerCase(Locale.ROOT);
        final long dispatchedAt = d.getDispatchedAt().toEpochMilli();
        counts(m, platform)[0]++;
        counts(m, platform)[4] += d.getSegments();
        hour(m, dispatchedAt, platform)[0]++;
        final String personId = personId(d);
        final long day = Math.floorDiv(dispatchedAt, DAY) * DAY;
        lookups.computeIfAbsent(personId, k -> new TreeMap<>()).put(day, personId);
        lookups.computeIfAbsent("tel:" + d.getMsisdn(), k -> new TreeMap<>()).put(day, personId);
        if (d.getEmail() != null) {
            lookups.computeIfAbsent("email:" + d.getEmail().trim().toLowerCase(Locale.ROOT), k -> new TreeMap<>()).put(day, personId);
        }
        // Rule 15: the dispatch's price (no tariffs here), then every final receipt's in the order they came.
        final long[] priced = pricing.computeIfAbsent(m, k -> new long[7]);
        String currency = null;
        long micros = 0;
        if (givenPrice(d.getPriceMicros(), d.getCurrency())) {
            if (validPrice(d.getPriceMicros(), d.getCurrency())) {
                currency = d.getCurrency().trim().toUpperCase(Locale.ROOT);
                micros = d.getPriceMicros();
            } else {
                priced[1]++;
            }
        }
        if (d.getEncoding() != null) {
            final int parts = d.getSegments();
            if (d.getEncoding() == io.smsreports.events.SmsEncoding.GSM7) {
                priced[2]++;
                priced[4] += parts;
            } else {
                priced[3]++;
                priced[5] += parts;
                // the same text in GSM-7: 160 characters in one part, else 153 per part; UCS-2: 70 alone, else 67 per part
                priced[6] += parts == 1 ? 0 : parts - (67L * parts + 152) / 153;
            }
        }
        DeliveryReceipt first = null;
        for (final DeliveryReceipt r : own) {
            if (!isFinal(r.getStatus())) {
                continue; // rule 3
            }
            if (givenPrice(r.getPriceMicros(), r.getCurrency())) {
                if (!validPrice(r.getPriceMicros(), r.getCurrency())) {
                    priced[1]++;
                } else if (currency != null && !currency.equals(r.getCurrency().trim().toUpperCase(Locale.ROOT))) {
                    priced[1]++; // a currency change for the same SMS
                } else {
                    currency = r.getCurrency().trim().toUpperCase(Locale.ROOT);
                    micros = r.getPriceMicros();
                }
            }
            if (first == null) {
                first = r; // rule 2
            } else {
                rec(m)[delivered(first.getStatus()) == delivered(r.getStatus()) ? 0 : 1]++;
            }
        }
        final String outcome;
        long finalAt = 0;
        if (first != null) {
            finalAt = (first.getDoneAt() != null ? first.getDoneAt() : first.getReceivedAt()).toEpochMilli();
            if (finalAt >= dispatchedAt + timeoutMs) {
                rec(m)[2]++; // late by its own time (rule 13)
            }
            if (delivered(first.getStatus())) {
                outcome = "DELIVERED";
                counts(m, platform)[1]++;
                hour(m, finalAt, platform)[1]++;
                final long latencyMs = Math.max(0, finalAt - dispatchedAt);
                latency.computeIfAbsent(m, k -> new TreeMap<>()).merge(LatencyBuckets.bucketOf(latencyMs), 1L, Long::sum);
                delivered.add(d.getSmsId() + "|" + m + "|" + platform + "|" + dispatchedAt + "|" + finalAt + "|" + latencyMs);
            } else {
                outcome = "FAILED";
                counts(m, platform)[2]++;
                hour(m, finalAt, platform)[2]++;
                failed.computeIfAbsent(m, k -> new ArrayList<>()).add(d.getSmsId() + "|" + first.getStatus() + "|" + finalAt + "|"
                        + first.getErrorCode() + "|" + first.getFailReason() + "|" + platform + "|" + d.getMsisdn());
            }
        } else if (w >= dispatchedAt + timeoutMs) {
            outcome = "UNCONFIRMED";
            counts(m, platform)[3]++;
        } else {
            outcome = "PENDING";
        }
        if (currency == null) {
            priced[0]++;
        } else {
            final long[] money = spend.computeIfAbsent(m, k -> new TreeMap<>()).computeIfAbsent(currency, k -> new long[3]);
            money[0] += micros;
            money[1] += "FAILED".equals(outcome) || "UNCONFIRMED".equals(outcome) ? micros : 0;
            money[2] += "DELIVERED".equals(outcome) ? 1 : 0;
        }
        final String line = d.getSmsId() + "|" + m + "|" + dispatchedAt + "|" + outcome + "|"
                + (first != null ? finalAt : "-") + "|" + ("FAILED".equals(outcome) ? first.getFailReason() : null);
        personMessages.computeIfAbsent(personId, k -> new TreeMap<>()).put(dispatchedAt + "|" + d.getSmsId(), line);
    }

    /**
     * Receipts of no life wait in groups: the earliest to arrive and those that arrived within the hold after it; the
     * next group starts with the earliest of the rest. A group is orphaned once the watermark is past its start plus the hold.
     */
    private void orphans(final List<Arrival<DeliveryReceipt>> unclaimed, final long w) {
        final List<Long> arrivals = new ArrayList<>(unclaimed.stream().map(Arrival::at).sorted().toList());
        int i = 0;
        while (i < arrivals.size()) {
            final long start = arrivals.get(i);
            int size = 0;
            while (i < arrivals.size() && arrivals.get(i) < start + holdMs) {
                size++;
                i++;
            }
            if (w >= start + holdMs) {
                orphanReceipts += size;
            }
        }
    }

    /**
     * Rule 14, from the data alone: an smsId with decisions not to send counts once, by its latest decision (decidedAt, then
     * reason, platform, country, operator), unless a dispatch of it is within a retention of that decision.
     */
    private void decided(final String smsId, final List<io.smsreports.events.SmsNotSent> ds) {
        io.smsreports.events.SmsNotSent latest = null;
        for (final io.smsreports.events.SmsNotSent n : ds) {
            if (latest == null || later(n, latest)) {
                latest = n;
            }
        }
        final long decidedAt = latest.getDecidedAt().toEpochMilli();
        for (final Arrival<SmsDispatched> d : dispatches.getOrDefault(smsId, List.of())) {
            if (Math.abs(d.event().getDispatchedAt().toEpochMilli() - decidedAt) < retentionMs) {
                return;
            }
        }
        final String platform = platformOf(latest);
        notSent.computeIfAbsent(latest.getMessageId(), k -> new TreeMap<>()).merge(latest.getReason().name(), 1L, Long::sum);
        notSentByPlatform.computeIfAbsent(latest.getMessageId(), k -> new TreeMap<>()).computeIfAbsent(platform, k -> new TreeMap<>())
                .merge(latest.getReason().name(), 1L, Long::sum);
    }

    private static boolean later(final io.smsreports.events.SmsNotSent a, final io.smsreports.events.SmsNotSent b) {
        final int byTime = a.getDecidedAt().compareTo(b.getDecidedAt());
        if (byTime != 0) {
            return byTime > 0;
        }
        final int byReason = a.getReason().name().compareTo(b.getReason().name());
        if (byReason != 0) {
            return byReason > 0;
        }
        return platformOf(a).compareTo(platformOf(b)) > 0;
    }

    private static String platformOf(final io.smsreports.events.SmsNotSent n) {
        return n.getPlatform() == null || n.getPlatform().isBlank() ? "unknown" : n.getPlatform().trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** Rule 16 from the data: each clickId once; an SMS with a human click is unique, per link the same; bots apart. */
    private void clicked(final SmsDispatched d, final java.util.Collection<io.smsreports.events.SmsLinkClicked> own) {
        if (own.isEmpty()) {
            return;
        }
        final String m = d.getMessageId();
        final String platform = d.getPlatform() == null || d.getPlatform().isBlank() ? "unknown"
                : d.getPlatform().trim().toLowerCase(java.util.Locale.ROOT);
        final long[] total = engagement.computeIfAbsent(m, k -> new long[3]);
        final long[] row = platformClicks.computeIfAbsent(m, k -> new TreeMap<>()).computeIfAbsent(platform, k -> new long[3]);
        final Set<String> humanLinks = new java.util.TreeSet<>();
        for (final io.smsreports.events.SmsLinkClicked c : own) {
            final long[] link = linkClicks.computeIfAbsent(m, k -> new TreeMap<>()).computeIfAbsent(c.getLinkId(), k -> new long[3]);
            final int i = c.getBot() ? 2 : 0;
            total[i]++;
            row[i]++;
            link[i]++;
            if (!c.getBot()) {
                humanLinks.add(c.getLinkId());
            }
        }
        if (!humanLinks.isEmpty()) {
            total[1]++;
            row[1]++;
            humanLinks.forEach(l -> linkClicks.get(m).get(l)[1]++);
        }
    }

    /** Clicks no dispatch claims: each an orphan once its hold has passed (a clickId once). */
    private void orphanClicks(final List<Arrival<io.smsreports.events.SmsLinkClicked>> unclaimed, final long w) {
        final Map<String, Long> firstArrival = new LinkedHashMap<>();
        unclaimed.forEach(c -> firstArrival.merge(c.event().getClickId(), c.at(), Math::min));
        for (final long at : firstArrival.values()) {
            if (w >= at + holdMs) {
                orphanClicks++;
            }
        }
    }

    static String personId(final SmsDispatched d) {
        return d.getExternalId() != null && !d.getExternalId().isBlank() ? "ext:" + d.getExternalId() : "tel:" + d.getMsisdn();
    }

    /** Rule 15: a campaign's costs and bad prices in the stores equal the model's ({@link #spend}, {@link #pricing}). */
    static void assertCosts(final String m, final io.smsreports.reporting.CampaignStats stats, final Map<String, Map<String, long[]>> spend,
            final Map<String, long[]> pricing, final String when) {
        final io.smsreports.reporting.Costs costs = stats == null ? io.smsreports.reporting.Costs.ZERO : stats.costs();
        final Map<String, List<Long>> actual = new TreeMap<>();
        costs.currencies().forEach((currency, s) -> actual.put(currency, List.of(s.spendMicros(), s.wastedMicros(), s.delivered())));
        final Map<String, List<Long>> expected = new TreeMap<>();
        spend.getOrDefault(m, Map.of()).forEach((currency, s) -> {
            if (s[0] != 0 || s[1] != 0 || s[2] != 0) {
                expected.put(currency, List.of(s[0], s[1], s[2]));
            }
        });
        org.assertj.core.api.Assertions.assertThat(actual).as("spend of %s per currency %s", m, when).isEqualTo(expected);
        final long[] p = pricing.getOrDefault(m, new long[7]);
        org.assertj.core.api.Assertions.assertThat(List.of(costs.unpriced(), costs.gsm7(), costs.ucs2(), costs.gsm7Parts(), costs.ucs2Parts(),
                costs.ucs2ExtraParts())).as("unpriced and encodings of %s %s", m, when).isEqualTo(List.of(p[0], p[2], p[3], p[4], p[5], p[6]));
        org.assertj.core.api.Assertions.assertThat(stats == null ? 0 : stats.reconciliation().badPrices()).as("bad prices of %s %s", m, when)
                .isEqualTo(p[1]);
    }

    /** Whether an event carries a price at all (either part). */
    private static boolean givenPrice(final Long micros, final String currency) {
        return micros != null || currency != null && !currency.isBlank();
    }

    /** Whether a given price can be used: both parts, not negative, an ISO 4217 currency. */
    private static boolean validPrice(final Long micros, final String currency) {
        if (micros == null || currency == null || micros < 0) {
            return false;
        }
        return java.util.Currency.getAvailableCurrencies().stream()
                .anyMatch(c -> c.getCurrencyCode().equals(currency.trim().toUpperCase(Locale.ROOT)));
    }

    private static boolean isFinal(final ReceiptStatus status) {
        return status != ReceiptStatus.ACCEPTED && status != ReceiptStatus.ENROUTE;
    }

    private static boolean delivered(final ReceiptStatus status) {
        return status == ReceiptStatus.DELIVERED;
    }

    private long[] counts(final String m, final String platform) {
        return stats.computeIfAbsent(m, k -> new TreeMap<>()).computeIfAbsent(platform, k -> new long[5]);
    }

    private long[] rec(final String m) {
        return reconciliation.computeIfAbsent(m, k -> new long[3]);
    }

    private long[] hour(final String m, final long at, final String platform) {
        final long hour = Math.floorDiv(at, HOUR) * HOUR;
        return hourly.computeIfAbsent(m, k -> new TreeMap<>()).computeIfAbsent(hour, k -> new LinkedHashMap<>())
                .computeIfAbsent(platform, k -> new long[3]);
    }
}
