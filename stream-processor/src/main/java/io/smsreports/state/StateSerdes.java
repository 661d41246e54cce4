package io.smsreports.state;

import io.smsreports.events.Campaign;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.lifecycle.Dispatch;
import io.smsreports.lifecycle.FinalReceipt;
import io.smsreports.lifecycle.Click;
import io.smsreports.lifecycle.ClickLog;
import io.smsreports.lifecycle.Held;
import io.smsreports.lifecycle.NotSent;
import io.smsreports.lifecycle.Outcome;
import io.smsreports.lifecycle.Price;
import io.smsreports.lifecycle.SmsState;
import io.smsreports.lifecycle.Transition;
import io.smsreports.reporting.BreakdownRow;
import io.smsreports.reporting.CampaignDelta;
import io.smsreports.reporting.CampaignStats;
import io.smsreports.reporting.Engagement;
import io.smsreports.reporting.NotSentRecipient;
import io.smsreports.reporting.Costs;
import io.smsreports.reporting.DeliveredRecord;
import io.smsreports.reporting.FailedRecipient;
import io.smsreports.reporting.HourlyCounts;
import io.smsreports.reporting.PersonMessage;
import io.smsreports.reporting.PersonMessages;
import io.smsreports.reporting.PersonProfile;
import io.smsreports.reporting.PlatformCounts;
import io.smsreports.reporting.Reconciliation;
import io.smsreports.reporting.ReportingEvent;
import io.smsreports.reporting.RouteDelta;
import io.smsreports.replies.Inbound;
import io.smsreports.replies.PersonReply;
import io.smsreports.replies.RecentSend;
import io.smsreports.replies.ReplyInput;
import io.smsreports.replies.ReplyLedger;
import io.smsreports.state.avro.StoredInbound;
import io.smsreports.state.avro.StoredPersonReply;
import io.smsreports.state.avro.StoredRecentSend;
import io.smsreports.state.avro.StoredReplyInput;
import io.smsreports.state.avro.StoredReplyLedger;
import io.smsreports.state.avro.StoredBreakdownEntry;
import io.smsreports.state.avro.StoredBreakdownRow;
import io.smsreports.state.avro.StoredCampaignDelta;
import io.smsreports.state.avro.StoredCampaignRemoved;
import io.smsreports.state.avro.StoredCampaignStats;
import io.smsreports.state.avro.StoredCosts;
import io.smsreports.state.avro.StoredCurrencySpend;
import io.smsreports.state.avro.StoredCampaignUpdated;
import io.smsreports.state.avro.StoredDeliveredRecord;
import io.smsreports.state.avro.StoredDispatch;
import io.smsreports.state.avro.StoredFailedRecipient;
import io.smsreports.state.avro.StoredFailureCount;
import io.smsreports.state.avro.StoredFinalReceipt;
import io.smsreports.state.avro.StoredHeld;
import io.smsreports.state.avro.StoredHeldEntry;
import io.smsreports.state.avro.StoredHourCounts;
import io.smsreports.state.avro.StoredHourDelta;
import io.smsreports.state.avro.StoredHourlyCounts;
import io.smsreports.state.avro.StoredLatencyCount;
import io.smsreports.state.avro.StoredPersonMessage;
import io.smsreports.state.avro.StoredPersonProfile;
import io.smsreports.state.avro.StoredPlatformCounts;
import io.smsreports.state.avro.StoredPrice;
import io.smsreports.state.avro.StoredReportingEvent;
import io.smsreports.state.avro.StoredRouteDelta;
import io.smsreports.state.avro.StoredRouteHour;
import io.smsreports.state.avro.StoredClick;
import io.smsreports.state.avro.StoredClickChange;
import io.smsreports.state.avro.StoredClickLog;
import io.smsreports.state.avro.StoredEngagement;
import io.smsreports.state.avro.StoredLinkClicks;
import io.smsreports.state.avro.StoredNotSent;
import io.smsreports.state.avro.StoredNotSentRecipient;
import io.smsreports.state.avro.StoredReasonCount;
import io.smsreports.state.avro.StoredSmsState;
import io.smsreports.state.avro.StoredTransition;
import io.smsreports.state.avro.StoredWithinCount;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The serdes of every stored value and internal record: the domain types mapped to the Avro records of
 * {@code src/main/avro/state.avsc} and written by {@link AvroStateSerde} (Avro single-object encoding, schema
 * resolution against every earlier release's schema). Enums are stored by name. The campaign metadata is stored in
 * its own event schema ({@code Campaign.avsc}), so a field added there is kept, not dropped.
 */
public final class StateSerdes {

    private StateSerdes() {
    }

    public static final Serde<SmsState> SMS_STATE = new AvroStateSerde<>(StoredSmsState.getClassSchema(), StateSerdes::toAvro,
            StateSerdes::fromAvro, bytes -> LegacyStateCodec.read(bytes, "SmsState", LegacyStateCodec::readState));

    public static final Serde<Transition> TRANSITION = new AvroStateSerde<>(StoredTransition.getClassSchema(), StateSerdes::toAvro,
            StateSerdes::fromAvro, bytes -> LegacyStateCodec.read(bytes, "Transition", LegacyStateCodec::readTransition));

    public static final Serde<Campaign> CAMPAIGN = new AvroStateSerde<Campaign, Campaign>(Campaign.getClassSchema(), c -> c, c -> c,
            bytes -> LegacyStateCodec.read(bytes, "Campaign", LegacyStateCodec::readCampaign));

    public static final Serde<ReportingEvent> REPORTING_EVENT = new AvroStateSerde<>(StoredReportingEvent.getClassSchema(),
            StateSerdes::toAvro, StateSerdes::fromAvro,
            bytes -> LegacyStateCodec.read(bytes, "ReportingEvent", LegacyStateCodec::readReportingEvent));

    public static final Serde<CampaignStats> CAMPAIGN_STATS = new AvroStateSerde<>(StoredCampaignStats.getClassSchema(),
            StateSerdes::toAvro, StateSerdes::fromAvro,
            bytes -> LegacyStateCodec.read(bytes, "CampaignStats", LegacyStateCodec::readStats));

    public static final Serde<HourlyCounts> HOURLY_COUNTS = new AvroStateSerde<>(StoredHourlyCounts.getClassSchema(),
            StateSerdes::toAvro, StateSerdes::fromAvro,
            bytes -> LegacyStateCodec.read(bytes, "HourlyCounts", LegacyStateCodec::readHourly));

    public static final Serde<FailedRecipient> FAILED_RECIPIENT = new AvroStateSerde<>(StoredFailedRecipient.getClassSchema(),
            StateSerdes::toAvro, StateSerdes::fromAvro,
            bytes -> LegacyStateCodec.read(bytes, "FailedRecipient", LegacyStateCodec::readFailed));

    public static final Serde<DeliveredRecord> DELIVERED_RECORD = new AvroStateSerde<>(StoredDeliveredRecord.getClassSchema(),
            StateSerdes::toAvro, StateSerdes::fromAvro,
            bytes -> LegacyStateCodec.read(bytes, "DeliveredRecord", LegacyStateCodec::readDelivered));

    /** A row of the not-sent export (rule 14). */
    public static final Serde<NotSentRecipient> NOT_SENT_RECIPIENT = new AvroStateSerde<>(StoredNotSentRecipient.getClassSchema(),
            StateSerdes::toAvro, StateSerdes::fromAvro, null);

    public static final Serde<BreakdownRow> BREAKDOWN_ROW = new AvroStateSerde<>(StoredBreakdownRow.getClassSchema(),
            StateSerdes::toAvro, StateSerdes::fromAvro, null);

    /** What an SMS task sends to a route's task (the route scorecard, rule 15). */
    public static final Serde<RouteDelta> ROUTE_DELTA = new AvroStateSerde<>(StoredRouteDelta.getClassSchema(), StateSerdes::toAvro,
            StateSerdes::fromAvro, null);

    public static final Serde<PersonMessage> PERSON_MESSAGE = new AvroStateSerde<>(StoredPersonMessage.getClassSchema(),
            StateSerdes::toAvro, StateSerdes::fromAvro, null);

    public static final Serde<PersonProfile> PERSON_PROFILE = new AvroStateSerde<>(StoredPersonProfile.getClassSchema(),
            StateSerdes::toAvro, StateSerdes::fromAvro,
            bytes -> LegacyStateCodec.read(bytes, "PersonProfile", LegacyStateCodec::readPersonProfile));

    /** The message-history lists of versions before {@code person-history}: read only, never written again. */
    public static final Serde<PersonMessages> PERSON_MESSAGES = Serdes.serdeFrom((topic, value) -> {
        throw new SerializationException("the legacy person-messages store is read only");
    }, (topic, bytes) -> bytes == null ? null : LegacyStateCodec.read(bytes, "PersonMessages", LegacyStateCodec::readPersonMessages));

    /** What the replies task receives (rule 17): a send or an inbound message, keyed by msisdn. */
    public static final Serde<ReplyInput> REPLY_INPUT = new AvroStateSerde<>(StoredReplyInput.getClassSchema(), StateSerdes::toAvro,
            StateSerdes::fromAvro, null);

    /** One msisdn's recent sends and inbound messages (rule 17). */
    public static final Serde<ReplyLedger> REPLY_LEDGER = new AvroStateSerde<>(StoredReplyLedger.getClassSchema(), StateSerdes::toAvro,
            StateSerdes::fromAvro, null);

    /** A reply in a person's history (rule 17). */
    public static final Serde<PersonReply> PERSON_REPLY = new AvroStateSerde<>(StoredPersonReply.getClassSchema(),
            r -> new StoredPersonReply(r.inboundId(), r.to(), r.body(), r.receivedAt(), r.optOut(), r.smsId(), r.messageId()),
            r -> new PersonReply(r.getInboundId(), r.getTo(), r.getBody(), r.getReceivedAt(), r.getOptOut(), r.getSmsId(),
                    r.getMessageId()), null);

    // ---- replies ----

    static StoredRecentSend toAvro(final RecentSend s) {
        return new StoredRecentSend(s.smsId(), s.messageId(), s.platform(), s.dispatchedAt());
    }

    static RecentSend fromAvro(final StoredRecentSend s) {
        return new RecentSend(s.getSmsId(), s.getMessageId(), s.getPlatform(), s.getDispatchedAt());
    }

    static StoredInbound toAvro(final Inbound i) {
        return new StoredInbound(i.inboundId(), i.msisdn(), i.to(), i.body(), i.receivedAt(), i.provider(), i.clamped(), i.optOut());
    }

    static Inbound fromAvro(final StoredInbound i) {
        return new Inbound(i.getInboundId(), i.getMsisdn(), i.getTo(), i.getBody(), i.getReceivedAt(), i.getProvider(), i.getClamped(),
                i.getOptOut());
    }

    static StoredReplyInput toAvro(final ReplyInput input) {
        return new StoredReplyInput(input instanceof ReplyInput.Sent sent ? toAvro(sent.send())
                : toAvro(((ReplyInput.Received) input).inbound()));
    }

    static ReplyInput fromAvro(final StoredReplyInput input) {
        return input.getInput() instanceof StoredRecentSend send ? new ReplyInput.Sent(fromAvro(send))
                : new ReplyInput.Received(fromAvro((StoredInbound) input.getInput()));
    }

    static StoredReplyLedger toAvro(final ReplyLedger l) {
        return new StoredReplyLedger(l.sends().stream().map(StateSerdes::toAvro).toList(),
                l.inbounds().stream().map(StateSerdes::toAvro).toList(), l.indexedAt());
    }

    static ReplyLedger fromAvro(final StoredReplyLedger l) {
        return new ReplyLedger(l.getSends().stream().map(StateSerdes::fromAvro).toList(),
                l.getInbounds().stream().map(StateSerdes::fromAvro).toList(), l.getIndexedAt());
    }

    // ---- lifecycle ----

    static StoredPrice toAvro(final Price p) {
        return p == null ? null : new StoredPrice(p.micros(), p.currency());
    }

    static Price fromAvro(final StoredPrice p) {
        return p == null ? null : new Price(p.getMicros(), p.getCurrency());
    }

    static StoredDispatch toAvro(final Dispatch d) {
        return new StoredDispatch(d.messageId(), d.msisdn(), d.externalId(), d.email(), d.platform(), d.provider(), d.country(),
                d.operator(), d.segments(), d.dispatchedAt(), d.publishedAt(), toAvro(d.price()), d.badPrice(), d.encoding());
    }

    static Dispatch fromAvro(final StoredDispatch d) {
        return new Dispatch(d.getMessageId(), d.getMsisdn(), d.getExternalId(), d.getEmail(), d.getPlatform(), d.getProvider(),
                d.getCountry(), d.getOperator(), d.getSegments(), d.getDispatchedAt(),
                d.getPublishedAt() == null ? d.getDispatchedAt() : d.getPublishedAt(), // not recorded before rule 13
                fromAvro(d.getPrice()), d.getBadPrice(), d.getEncoding());
    }

    static StoredFinalReceipt toAvro(final FinalReceipt f) {
        return f == null ? null : new StoredFinalReceipt(f.status().name(), f.providerStatus(), f.errorCode(), f.failReason(),
                f.provider(), f.finalAt(), f.receivedAt(), toAvro(f.price()), f.badPrice());
    }

    static FinalReceipt fromAvro(final StoredFinalReceipt f) {
        return f == null ? null : new FinalReceipt(receiptStatus(f.getStatus()), f.getProviderStatus(), f.getErrorCode(),
                f.getFailReason(), f.getProvider(), f.getFinalAt(), f.getReceivedAt(), fromAvro(f.getPrice()), f.getBadPrice());
    }

    static StoredSmsState toAvro(final SmsState s) {
        return new StoredSmsState(s.dispatch() == null ? null : toAvro(s.dispatch()), toAvro(s.held()), s.outcome().name(),
                toAvro(s.finalReceipt()), s.indexedAt(), toAvro(s.price()), s.tariffed(), toAvro(s.notSent()), toAvro(s.clicks()));
    }

    static StoredClickLog toAvro(final ClickLog log) {
        return log == null ? null : new StoredClickLog(log.counted().stream().map(StateSerdes::toAvro).toList(),
                log.held().stream().map(StateSerdes::toAvro).toList());
    }

    static ClickLog fromAvro(final StoredClickLog log) {
        return log == null ? null : new ClickLog(log.getCounted().stream().map(StateSerdes::fromAvro).toList(),
                log.getHeld().stream().map(StateSerdes::fromAvro).toList());
    }

    static StoredClick toAvro(final Click c) {
        return new StoredClick(c.clickId(), c.linkId(), c.url(), c.clickedAt(), c.bot(), c.arrivedAt());
    }

    static Click fromAvro(final StoredClick c) {
        return new Click(c.getClickId(), c.getLinkId(), c.getUrl(), c.getClickedAt(), c.getBot(), c.getArrivedAt());
    }

    static StoredEngagement toAvro(final Engagement e) {
        if (e.equals(Engagement.ZERO)) {
            return null;
        }
        final List<StoredLinkClicks> links = new ArrayList<>(e.links().size());
        e.links().forEach((link, c) -> links.add(new StoredLinkClicks(link, c.url(), c.totalClicks(), c.uniqueClicks(), c.botClicks())));
        return new StoredEngagement(e.totalClicks(), e.uniqueClicks(), e.botClicks(), links, e.replies(), e.optOuts());
    }

    static Engagement fromAvro(final StoredEngagement e) {
        if (e == null) {
            return Engagement.ZERO;
        }
        final Map<String, Engagement.LinkClicks> links = new TreeMap<>();
        e.getLinks().forEach(l -> links.put(l.getLinkId(), new Engagement.LinkClicks(l.getUrl(), l.getTotalClicks(), l.getUniqueClicks(),
                l.getBotClicks())));
        return new Engagement(e.getTotalClicks(), e.getUniqueClicks(), e.getBotClicks(), links, e.getReplies(), e.getOptOuts());
    }

    static StoredNotSent toAvro(final NotSent n) {
        return n == null ? null : new StoredNotSent(n.messageId(), n.msisdn(), n.externalId(), n.email(), n.platform(), n.country(),
                n.operator(), n.reason(), n.detail(), n.decidedAt());
    }

    static NotSent fromAvro(final StoredNotSent n) {
        return n == null ? null : new NotSent(n.getMessageId(), n.getMsisdn(), n.getExternalId(), n.getEmail(), n.getPlatform(),
                n.getCountry(), n.getOperator(), n.getReason(), n.getDetail(), n.getDecidedAt());
    }

    static List<StoredReasonCount> toAvro(final Map<String, Long> byReason) {
        final List<StoredReasonCount> counts = new ArrayList<>(byReason.size());
        byReason.forEach((reason, count) -> counts.add(new StoredReasonCount(reason, count)));
        return counts;
    }

    static Map<String, Long> fromAvro(final List<StoredReasonCount> counts) {
        final Map<String, Long> byReason = new TreeMap<>();
        counts.forEach(c -> byReason.put(c.getReason(), c.getCount()));
        return byReason;
    }

    static SmsState fromAvro(final StoredSmsState s) {
        return new SmsState(s.getDispatch() == null ? null : fromAvro(s.getDispatch()), outcome(s.getOutcome()),
                fromAvro(s.getFinalReceipt()), fromAvro(s.getHeld()), s.getIndexedAt(), fromAvro(s.getPrice()), s.getTariffed(),
                fromAvro(s.getNotSent()), fromAvro(s.getClicks()));
    }

    static StoredHeld toAvro(final Held h) {
        if (h == null) {
            return null;
        }
        final List<StoredHeldEntry> entries = new ArrayList<>(h.entries().size());
        h.entries().forEach(e -> entries.add(new StoredHeldEntry(toAvro(e.finalReceipt()), e.arrivedAt())));
        return StoredHeld.newBuilder().setEntries(entries).build(); // the sums of earlier versions keep their defaults
    }

    static Held fromAvro(final StoredHeld h) {
        if (h == null) {
            return null;
        }
        if (h.getEntries().isEmpty()) { // written before rule 13: sums
            return Held.fromSums(fromAvro(h.getFirstFinal()), h.getFirstFinalAt(), h.getReceipts(), h.getDuplicates(), h.getConflicts(),
                    h.getHeldSince());
        }
        final List<Held.Entry> entries = new ArrayList<>(h.getEntries().size());
        h.getEntries().forEach(e -> entries.add(new Held.Entry(fromAvro(e.getFinalReceipt()), e.getArrivedAt())));
        return new Held(entries);
    }

    static StoredTransition toAvro(final Transition t) {
        return new StoredTransition(t.smsId(), toAvro(t.dispatch()), t.outcome().name(), toAvro(t.finalReceipt()), t.changes(),
                t.duplicateReceipts(), t.conflictingFinals(), t.knownAt(), t.outcomeBefore() == null ? null : t.outcomeBefore().name(),
                toAvro(t.priceBefore()), toAvro(t.priceAfter()), t.badPrices(), t.notSentReason(),
                t.click() == null ? null : new StoredClickChange(t.click().linkId(), t.click().url(), t.click().bot(), t.click().firstHumanOfSms(),
                        t.click().firstHumanOfLink()));
    }

    static Transition fromAvro(final StoredTransition t) {
        return new Transition(t.getSmsId(), fromAvro(t.getDispatch()), outcome(t.getOutcome()), fromAvro(t.getFinalReceipt()),
                t.getChanges(), t.getDuplicateReceipts(), t.getConflictingFinals(), t.getKnownAt(),
                t.getOutcomeBefore() == null ? null : outcome(t.getOutcomeBefore()), fromAvro(t.getPriceBefore()),
                fromAvro(t.getPriceAfter()), t.getBadPrices(), t.getNotSentReason(), t.getClick() == null ? null
                        : new Transition.ClickChange(t.getClick().getLinkId(), t.getClick().getUrl(), t.getClick().getBot(),
                                t.getClick().getFirstHumanOfSms(), t.getClick().getFirstHumanOfLink()));
    }

    // ---- reporting ----

    static StoredCampaignStats toAvro(final CampaignStats s) {
        final List<StoredPlatformCounts> platforms = new ArrayList<>(s.platforms().size());
        s.platforms().forEach((platform, c) -> platforms.add(new StoredPlatformCounts(platform, c.sent(), c.delivered(), c.failed(),
                c.unconfirmed(), c.segments())));
        final Reconciliation r = s.reconciliation();
        return new StoredCampaignStats(platforms, r.duplicateReceipts(), r.conflictingFinals(), r.lateReceipts(), r.badPrices(),
                toAvro(s.costs()), toAvro(s.notSent()), toAvro(s.engagement()));
    }

    static StoredCosts toAvro(final Costs c) {
        final List<StoredCurrencySpend> currencies = new ArrayList<>(c.currencies().size());
        c.currencies().forEach((currency, spend) -> currencies.add(new StoredCurrencySpend(currency, spend.spendMicros(),
                spend.wastedMicros(), spend.delivered())));
        return new StoredCosts(currencies, c.unpriced(), c.gsm7(), c.ucs2(), c.gsm7Parts(), c.ucs2Parts(), c.ucs2ExtraParts());
    }

    /** Costs as stored; none stored (before rule 15): nothing known, which is what the SMS counted then cost. */
    static Costs fromAvro(final StoredCosts c) {
        if (c == null) {
            return Costs.ZERO;
        }
        final Map<String, Costs.CurrencySpend> currencies = new TreeMap<>();
        for (final StoredCurrencySpend spend : c.getCurrencies()) {
            currencies.put(spend.getCurrency(), new Costs.CurrencySpend(spend.getSpendMicros(), spend.getWastedMicros(), spend.getDelivered()));
        }
        return new Costs(currencies, c.getUnpriced(), c.getGsm7(), c.getUcs2(), c.getGsm7Parts(), c.getUcs2Parts(), c.getUcs2ExtraParts());
    }

    static CampaignStats fromAvro(final StoredCampaignStats s) {
        final Map<String, PlatformCounts> platforms = new TreeMap<>();
        for (final StoredPlatformCounts c : s.getPlatforms()) {
            platforms.put(c.getPlatform(), new PlatformCounts(c.getSent(), c.getDelivered(), c.getFailed(), c.getUnconfirmed(),
                    c.getSegments()));
        }
        return new CampaignStats(platforms, new Reconciliation(s.getDuplicateReceipts(), s.getConflictingFinals(), s.getLateReceipts(),
                s.getBadPrices()), fromAvro(s.getCosts()), fromAvro(s.getNotSent()), fromAvro(s.getEngagement()));
    }

    static StoredHourlyCounts toAvro(final HourlyCounts h) {
        final List<StoredHourCounts> platforms = new ArrayList<>(h.platforms().size());
        h.platforms().forEach((platform, c) -> platforms.add(new StoredHourCounts(platform, c.sent(), c.delivered(), c.failed())));
        return new StoredHourlyCounts(platforms);
    }

    static HourlyCounts fromAvro(final StoredHourlyCounts h) {
        final Map<String, HourlyCounts.Counts> platforms = new TreeMap<>();
        for (final StoredHourCounts c : h.getPlatforms()) {
            platforms.put(c.getPlatform(), new HourlyCounts.Counts(c.getSent(), c.getDelivered(), c.getFailed()));
        }
        return new HourlyCounts(platforms);
    }

    static StoredFailedRecipient toAvro(final FailedRecipient f) {
        return new StoredFailedRecipient(f.smsId(), f.externalId(), f.msisdn(), f.email(), f.platform(), f.provider(), f.status().name(),
                f.errorCode(), f.failReason(), f.failedAt(), f.priceMicros(), f.currency());
    }

    static FailedRecipient fromAvro(final StoredFailedRecipient f) {
        return new FailedRecipient(f.getSmsId(), f.getExternalId(), f.getMsisdn(), f.getEmail(), f.getPlatform(), f.getProvider(),
                receiptStatus(f.getStatus()), f.getErrorCode(), f.getFailReason(), f.getFailedAt(), f.getPriceMicros(), f.getCurrency());
    }

    static StoredDeliveredRecord toAvro(final DeliveredRecord d) {
        return new StoredDeliveredRecord(d.smsId(), d.messageId(), d.msisdn(), d.externalId(), d.email(), d.platform(), d.provider(),
                d.dispatchedAt(), d.deliveredAt(), d.latencyMs());
    }

    static DeliveredRecord fromAvro(final StoredDeliveredRecord d) {
        return new DeliveredRecord(d.getSmsId(), d.getMessageId(), d.getMsisdn(), d.getExternalId(), d.getEmail(), d.getPlatform(),
                d.getProvider(), d.getDispatchedAt(), d.getDeliveredAt(), d.getLatencyMs());
    }

    static StoredBreakdownRow toAvro(final BreakdownRow r) {
        final PlatformCounts c = r.counts();
        final List<StoredLatencyCount> latency = new ArrayList<>(r.latency().size());
        r.latency().forEach((bucket, count) -> latency.add(new StoredLatencyCount(bucket, count)));
        final List<StoredWithinCount> within = new ArrayList<>(r.within().size());
        r.within().forEach((threshold, count) -> within.add(new StoredWithinCount(threshold, count)));
        return new StoredBreakdownRow(c.sent(), c.delivered(), c.failed(), c.unconfirmed(), c.segments(), latency, within,
                toAvro(r.costs()), toAvro(r.notSent()), toAvro(r.clicks()));
    }

    static BreakdownRow fromAvro(final StoredBreakdownRow r) {
        final Map<Integer, Long> latency = new TreeMap<>();
        for (final StoredLatencyCount l : r.getLatency()) {
            latency.put(l.getBucket(), l.getCount());
        }
        final Map<Long, Long> within = new TreeMap<>();
        for (final StoredWithinCount w : r.getWithin()) {
            within.put(w.getThresholdMs(), w.getCount());
        }
        return new BreakdownRow(new PlatformCounts(r.getSent(), r.getDelivered(), r.getFailed(), r.getUnconfirmed(), r.getSegments()),
                latency, within, fromAvro(r.getCosts()), fromAvro(r.getNotSent()), fromAvro(r.getEngagement()));
    }

    static StoredCampaignDelta toAvro(final CampaignDelta d) {
        final List<StoredHourDelta> hourly = new ArrayList<>(d.hourly().size());
        d.hourly().forEach((hour, counts) -> hourly.add(new StoredHourDelta(hour, toAvro(counts))));
        final List<StoredLatencyCount> latency = new ArrayList<>(d.latency().size());
        d.latency().forEach((bucket, count) -> latency.add(new StoredLatencyCount(bucket, count)));
        final List<StoredBreakdownEntry> breakdown = new ArrayList<>(d.breakdown().size());
        d.breakdown().forEach((key, row) -> breakdown.add(new StoredBreakdownEntry(key, toAvro(row))));
        final List<StoredFailureCount> failures = new ArrayList<>(d.failures().size());
        d.failures().forEach((key, count) -> failures.add(new StoredFailureCount(key, count)));
        return new StoredCampaignDelta(toAvro(d.stats()), hourly, latency, d.failed().stream().map(StateSerdes::toAvro).toList(),
                d.delivered().stream().map(StateSerdes::toAvro).toList(), breakdown, failures,
                d.notSent().stream().map(StateSerdes::toAvro).toList());
    }

    static CampaignDelta fromAvro(final StoredCampaignDelta d) {
        final Map<Long, HourlyCounts> hourly = new TreeMap<>();
        for (final StoredHourDelta h : d.getHourly()) {
            hourly.put(h.getHour(), fromAvro(h.getCounts()));
        }
        final Map<Integer, Long> latency = new TreeMap<>();
        for (final StoredLatencyCount l : d.getLatency()) {
            latency.put(l.getBucket(), l.getCount());
        }
        final Map<String, BreakdownRow> breakdown = new TreeMap<>();
        for (final StoredBreakdownEntry e : d.getBreakdown()) {
            breakdown.put(e.getKey(), fromAvro(e.getRow()));
        }
        final Map<String, Long> failures = new TreeMap<>();
        for (final StoredFailureCount f : d.getFailures()) {
            failures.put(f.getKey(), f.getCount());
        }
        return new CampaignDelta(fromAvro(d.getStats()), hourly, latency, d.getFailed().stream().map(StateSerdes::fromAvro).toList(),
                d.getDelivered().stream().map(StateSerdes::fromAvro).toList(), breakdown, failures,
                d.getNotSent().stream().map(StateSerdes::fromAvro).toList());
    }

    static StoredNotSentRecipient toAvro(final NotSentRecipient r) {
        return new StoredNotSentRecipient(r.smsId(), r.externalId(), r.msisdn(), r.email(), r.platform(), r.country(), r.operator(),
                r.reason(), r.decidedAt(), r.removed());
    }

    static NotSentRecipient fromAvro(final StoredNotSentRecipient r) {
        return new NotSentRecipient(r.getSmsId(), r.getExternalId(), r.getMsisdn(), r.getEmail(), r.getPlatform(), r.getCountry(),
                r.getOperator(), r.getReason(), r.getDecidedAt(), r.getRemoved());
    }

    static StoredReportingEvent toAvro(final ReportingEvent e) {
        final Object event;
        if (e instanceof ReportingEvent.Aggregated aggregated) {
            event = toAvro(aggregated.delta());
        } else if (e instanceof ReportingEvent.CampaignUpdated updated) {
            event = new StoredCampaignUpdated(ByteBuffer.wrap(CAMPAIGN.serializer().serialize(null, updated.campaign())));
        } else if (e instanceof ReportingEvent.CampaignRemoved) {
            event = new StoredCampaignRemoved();
        } else {
            event = toAvro(((ReportingEvent.SmsChanged) e).transition());
        }
        return new StoredReportingEvent(event);
    }

    static ReportingEvent fromAvro(final StoredReportingEvent e) {
        final Object event = e.getEvent();
        if (event instanceof StoredCampaignDelta delta) {
            return new ReportingEvent.Aggregated(fromAvro(delta));
        } else if (event instanceof StoredCampaignUpdated updated) {
            return new ReportingEvent.CampaignUpdated(CAMPAIGN.deserializer().deserialize(null, bytes(updated.getCampaign())));
        } else if (event instanceof StoredCampaignRemoved) {
            return new ReportingEvent.CampaignRemoved();
        } else if (event instanceof StoredTransition transition) {
            return new ReportingEvent.SmsChanged(fromAvro(transition));
        }
        throw new SerializationException("Unknown reporting event " + (event == null ? null : event.getClass().getName()));
    }

    // ---- people ----

    static StoredPersonMessage toAvro(final PersonMessage m) {
        return new StoredPersonMessage(m.smsId(), m.messageId(), m.status().name(), m.receiptStatus(), m.errorCode(), m.failReason(),
                m.platform(), m.provider(), m.dispatchedAt(), m.finalAt());
    }

    static PersonMessage fromAvro(final StoredPersonMessage m) {
        return new PersonMessage(m.getSmsId(), m.getMessageId(), outcome(m.getStatus()), m.getReceiptStatus(), m.getErrorCode(),
                m.getFailReason(), m.getPlatform(), m.getProvider(), m.getDispatchedAt(), m.getFinalAt());
    }

    static StoredPersonProfile toAvro(final PersonProfile p) {
        return new StoredPersonProfile(p.personId(), p.externalId(), p.msisdn(), p.email());
    }

    static PersonProfile fromAvro(final StoredPersonProfile p) {
        return new PersonProfile(p.getPersonId(), p.getExternalId(), p.getMsisdn(), p.getEmail());
    }

    static StoredRouteDelta toAvro(final RouteDelta d) {
        final List<StoredRouteHour> rows = new ArrayList<>();
        d.rows().forEach((route, hours) -> hours.forEach((hour, row) -> rows.add(new StoredRouteHour(route, hour, toAvro(row)))));
        return new StoredRouteDelta(rows);
    }

    static RouteDelta fromAvro(final StoredRouteDelta d) {
        final Map<String, Map<Long, BreakdownRow>> rows = new TreeMap<>();
        for (final StoredRouteHour r : d.getRows()) {
            rows.computeIfAbsent(r.getRoute(), k -> new TreeMap<>()).put(r.getHour(), fromAvro(r.getRow()));
        }
        return new RouteDelta(rows);
    }

    // ---- helpers ----

    /** Every Avro record stored by this build: the state format test checks their schemas are archived. */
    static List<org.apache.avro.Schema> storedSchemas() {
        final List<org.apache.avro.Schema> schemas = new ArrayList<>(AlertSerdes.storedSchemas());
        schemas.addAll(List.of(StoredSmsState.getClassSchema(), StoredTransition.getClassSchema(), Campaign.getClassSchema(),
                StoredReportingEvent.getClassSchema(), StoredCampaignStats.getClassSchema(), StoredHourlyCounts.getClassSchema(),
                StoredFailedRecipient.getClassSchema(), StoredDeliveredRecord.getClassSchema(), StoredPersonMessage.getClassSchema(),
                StoredPersonProfile.getClassSchema(), StoredBreakdownRow.getClassSchema(), StoredRouteDelta.getClassSchema(),
                StoredNotSentRecipient.getClassSchema(), StoredReplyInput.getClassSchema(), StoredReplyLedger.getClassSchema(),
                StoredPersonReply.getClassSchema()));
        return schemas;
    }

    private static Outcome outcome(final String name) {
        try {
            return Outcome.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("Unknown outcome '" + name + "'", e);
        }
    }

    private static ReceiptStatus receiptStatus(final String name) {
        try {
            return ReceiptStatus.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("Unknown receipt status '" + name + "'", e);
        }
    }

    private static byte[] bytes(final ByteBuffer buffer) {
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
