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
import io.smsreports.reporting.CampaignDelta;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;

/**
 * The serdes of every internal type: state store values and repartition records. Enums are written by
 * name, so that reordering or extending an enum never changes what stored bytes mean.
 */
public final class StateSerdes {

    private StateSerdes() {
    }

    public static final Serde<SmsState> SMS_STATE = new CodecSerde<>("SmsState", 1, 160, StateSerdes::writeState,
            StateSerdes::readState);

    public static final Serde<Transition> TRANSITION = new CodecSerde<>("Transition", 1, 160, StateSerdes::writeTransition,
            StateSerdes::readTransition);

    public static final Serde<ReportingEvent> REPORTING_EVENT = new CodecSerde<>("ReportingEvent", 1, 200,
            StateSerdes::writeReportingEvent, StateSerdes::readReportingEvent);

    public static final Serde<Campaign> CAMPAIGN = new CodecSerde<>("Campaign", 1, 200, StateSerdes::writeCampaign,
            StateSerdes::readCampaign);

    public static final Serde<CampaignStats> CAMPAIGN_STATS = new CodecSerde<>("CampaignStats", 1, 96,
            StateSerdes::writeStats, StateSerdes::readStats);

    public static final Serde<HourlyCounts> HOURLY_COUNTS = new CodecSerde<>("HourlyCounts", 1, 64,
            StateSerdes::writeHourly, StateSerdes::readHourly);

    public static final Serde<FailedRecipient> FAILED_RECIPIENT = new CodecSerde<>("FailedRecipient", 1, 128,
            StateSerdes::writeFailed, StateSerdes::readFailed);

    public static final Serde<DeliveredRecord> DELIVERED_RECORD = new CodecSerde<>("DeliveredRecord", 1, 128,
            StateSerdes::writeDelivered, StateSerdes::readDelivered);

    public static final Serde<PersonMessage> PERSON_MESSAGE = new CodecSerde<>("PersonMessage", 1, 96,
            StateSerdes::writePersonMessage, StateSerdes::readPersonMessage);

    public static final Serde<PersonMessages> PERSON_MESSAGES = new CodecSerde<>("PersonMessages", 1, 128,
            StateSerdes::writePersonMessages, StateSerdes::readPersonMessages);

    public static final Serde<PersonProfile> PERSON_PROFILE = new CodecSerde<>("PersonProfile", 1, 64,
            (w, p) -> w.string(p.personId()).string(p.externalId()).string(p.msisdn()).string(p.email()),
            r -> new PersonProfile(r.string(), r.string(), r.string(), r.string()));

    // ---- lifecycle ----

    static void writeDispatch(final Codec.Writer w, final Dispatch d) {
        w.string(d.messageId()).string(d.msisdn()).string(d.externalId()).string(d.email()).string(d.platform())
                .string(d.provider()).string(d.country()).string(d.operator()).varint(d.segments()).varlong(d.dispatchedAt());
    }

    static Dispatch readDispatch(final Codec.Reader r) {
        return new Dispatch(r.string(), r.string(), r.string(), r.string(), r.string(), r.string(), r.string(), r.string(),
                r.varint(), r.varlong());
    }

    static void writeFinal(final Codec.Writer w, final FinalReceipt f) {
        w.bool(f != null);
        if (f != null) {
            w.string(f.status().name()).string(f.providerStatus()).string(f.errorCode()).string(f.failReason())
                    .string(f.provider()).varlong(f.finalAt()).varlong(f.receivedAt());
        }
    }

    static FinalReceipt readFinal(final Codec.Reader r) {
        if (!r.bool()) {
            return null;
        }
        return new FinalReceipt(receiptStatus(r.string()), r.string(), r.string(), r.string(), r.string(), r.varlong(),
                r.varlong());
    }

    static void writeState(final Codec.Writer w, final SmsState s) {
        w.bool(s.isDispatched());
        if (s.isDispatched()) {
            writeDispatch(w, s.dispatch());
        } else {
            final Held h = s.held();
            writeFinal(w, h.firstFinal());
            w.varlong(h.firstFinalAt()).varint(h.receipts()).varint(h.duplicates()).varint(h.conflicts()).varlong(h.heldSince());
        }
        w.byteValue(s.outcome().ordinal());
        writeFinal(w, s.finalReceipt());
        w.varlong(s.indexedAt());
    }

    static SmsState readState(final Codec.Reader r) {
        Dispatch dispatch = null;
        Held held = null;
        if (r.bool()) {
            dispatch = readDispatch(r);
        } else {
            held = new Held(readFinal(r), r.varlong(), r.varint(), r.varint(), r.varint(), r.varlong());
        }
        return new SmsState(dispatch, outcome(r.byteValue()), readFinal(r), held, r.varlong());
    }

    static void writeTransition(final Codec.Writer w, final Transition t) {
        w.string(t.smsId());
        writeDispatch(w, t.dispatch());
        w.byteValue(t.outcome().ordinal());
        writeFinal(w, t.finalReceipt());
        w.varint(t.changes()).varint(t.duplicateReceipts()).varint(t.conflictingFinals());
    }

    static Transition readTransition(final Codec.Reader r) {
        return new Transition(r.string(), readDispatch(r), outcome(r.byteValue()), readFinal(r), r.varint(), r.varint(),
                r.varint());
    }

    // ---- reporting ----

    static void writeReportingEvent(final Codec.Writer w, final ReportingEvent e) {
        if (e instanceof ReportingEvent.SmsChanged changed) {
            w.byteValue(1);
            writeTransition(w, changed.transition());
        } else if (e instanceof ReportingEvent.Aggregated aggregated) {
            w.byteValue(4);
            writeDelta(w, aggregated.delta());
        } else if (e instanceof ReportingEvent.CampaignUpdated updated) {
            w.byteValue(2);
            writeCampaign(w, updated.campaign());
        } else {
            w.byteValue(3);
        }
    }

    static ReportingEvent readReportingEvent(final Codec.Reader r) {
        final int type = r.byteValue();
        return switch (type) {
            case 1 -> new ReportingEvent.SmsChanged(readTransition(r));
            case 2 -> new ReportingEvent.CampaignUpdated(readCampaign(r));
            case 3 -> new ReportingEvent.CampaignRemoved();
            case 4 -> new ReportingEvent.Aggregated(readDelta(r));
            default -> throw new SerializationException("Unknown ReportingEvent type " + type);
        };
    }

    static void writeCampaign(final Codec.Writer w, final Campaign c) {
        w.string(c.getMessageId()).string(c.getName()).string(c.getMessageType().name()).string(c.getText())
                .string(c.getCreator()).string(c.getMethod().name()).string(c.getStatus().name())
                .varlong(c.getCreatedAt().toEpochMilli());
        writeInstant(w, c.getStartedAt());
        writeInstant(w, c.getEndedAt());
        w.varlong(c.getTargetAudience());
    }

    static Campaign readCampaign(final Codec.Reader r) {
        return Campaign.newBuilder()
                .setMessageId(r.string())
                .setName(r.string())
                .setMessageType(enumOr(MessageType.class, r.string(), MessageType.OTHER))
                .setText(r.string())
                .setCreator(r.string())
                .setMethod(enumOr(SendMethod.class, r.string(), SendMethod.OTHER))
                .setStatus(enumOr(CampaignStatus.class, r.string(), CampaignStatus.OTHER))
                .setCreatedAt(Instant.ofEpochMilli(r.varlong()))
                .setStartedAt(readInstant(r))
                .setEndedAt(readInstant(r))
                .setTargetAudience(r.varlong())
                .build();
    }

    static void writeStats(final Codec.Writer w, final CampaignStats s) {
        w.varint(s.platforms().size());
        for (final Map.Entry<String, PlatformCounts> e : s.platforms().entrySet()) {
            final PlatformCounts c = e.getValue();
            w.string(e.getKey()).varlong(c.sent()).varlong(c.delivered()).varlong(c.failed()).varlong(c.unconfirmed())
                    .varlong(c.segments());
        }
        final Reconciliation rec = s.reconciliation();
        w.varlong(rec.duplicateReceipts()).varlong(rec.conflictingFinals()).varlong(rec.lateReceipts());
    }

    static CampaignStats readStats(final Codec.Reader r) {
        final int n = r.varint();
        final Map<String, PlatformCounts> platforms = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            platforms.put(r.string(), new PlatformCounts(r.varlong(), r.varlong(), r.varlong(), r.varlong(), r.varlong()));
        }
        return new CampaignStats(platforms, new Reconciliation(r.varlong(), r.varlong(), r.varlong()));
    }

    static void writeHourly(final Codec.Writer w, final HourlyCounts h) {
        w.varint(h.platforms().size());
        for (final Map.Entry<String, HourlyCounts.Counts> e : h.platforms().entrySet()) {
            w.string(e.getKey()).varlong(e.getValue().sent()).varlong(e.getValue().delivered()).varlong(e.getValue().failed());
        }
    }

    static HourlyCounts readHourly(final Codec.Reader r) {
        final int n = r.varint();
        final Map<String, HourlyCounts.Counts> platforms = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            platforms.put(r.string(), new HourlyCounts.Counts(r.varlong(), r.varlong(), r.varlong()));
        }
        return new HourlyCounts(platforms);
    }

    static void writeFailed(final Codec.Writer w, final FailedRecipient f) {
        w.string(f.smsId()).string(f.externalId()).string(f.msisdn()).string(f.email()).string(f.platform())
                .string(f.provider()).string(f.status().name()).string(f.errorCode()).string(f.failReason()).varlong(f.failedAt());
    }

    static void writeDelivered(final Codec.Writer w, final DeliveredRecord d) {
        w.string(d.smsId()).string(d.messageId()).string(d.msisdn()).string(d.externalId()).string(d.email())
                .string(d.platform()).string(d.provider()).varlong(d.dispatchedAt()).varlong(d.deliveredAt()).varlong(d.latencyMs());
    }

    static DeliveredRecord readDelivered(final Codec.Reader r) {
        return new DeliveredRecord(r.string(), r.string(), r.string(), r.string(), r.string(), r.string(), r.string(), r.varlong(),
                r.varlong(), r.varlong());
    }

    static void writeDelta(final Codec.Writer w, final CampaignDelta d) {
        writeStats(w, d.stats());
        w.varint(d.hourly().size());
        d.hourly().forEach((hour, counts) -> {
            w.varlong(hour);
            writeHourly(w, counts);
        });
        w.varint(d.latency().size());
        d.latency().forEach((bucket, count) -> w.varint(bucket).varlong(count));
        w.varint(d.failed().size());
        d.failed().forEach(f -> writeFailed(w, f));
        w.varint(d.delivered().size());
        d.delivered().forEach(x -> writeDelivered(w, x));
    }

    static CampaignDelta readDelta(final Codec.Reader r) {
        final CampaignStats stats = readStats(r);
        final Map<Long, HourlyCounts> hourly = new TreeMap<>();
        for (int i = r.varint(); i > 0; i--) {
            hourly.put(r.varlong(), readHourly(r));
        }
        final Map<Integer, Long> latency = new TreeMap<>();
        for (int i = r.varint(); i > 0; i--) {
            latency.put(r.varint(), r.varlong());
        }
        final List<FailedRecipient> failed = new ArrayList<>();
        for (int i = r.varint(); i > 0; i--) {
            failed.add(readFailed(r));
        }
        final List<DeliveredRecord> delivered = new ArrayList<>();
        for (int i = r.varint(); i > 0; i--) {
            delivered.add(readDelivered(r));
        }
        return new CampaignDelta(stats, hourly, latency, failed, delivered);
    }

    static FailedRecipient readFailed(final Codec.Reader r) {
        return new FailedRecipient(r.string(), r.string(), r.string(), r.string(), r.string(), r.string(),
                receiptStatus(r.string()), r.string(), r.string(), r.varlong());
    }

    static void writePersonMessages(final Codec.Writer w, final PersonMessages messages) {
        w.varint(messages.messages().size());
        for (final PersonMessage m : messages.messages()) {
            w.string(m.smsId()).string(m.messageId()).byteValue(m.status().ordinal()).string(m.receiptStatus())
                    .string(m.errorCode()).string(m.failReason()).string(m.platform()).string(m.provider())
                    .varlong(m.dispatchedAt()).bool(m.finalAt() != null);
            if (m.finalAt() != null) {
                w.varlong(m.finalAt());
            }
        }
    }

    static void writePersonMessage(final Codec.Writer w, final PersonMessage m) {
        w.string(m.smsId()).string(m.messageId()).string(m.status().name()).string(m.receiptStatus())
                .string(m.errorCode()).string(m.failReason()).string(m.platform()).string(m.provider())
                .varlong(m.dispatchedAt()).bool(m.finalAt() != null);
        if (m.finalAt() != null) {
            w.varlong(m.finalAt());
        }
    }

    static PersonMessage readPersonMessage(final Codec.Reader r) {
        final String smsId = r.string();
        final String messageId = r.string();
        final Outcome status = Outcome.valueOf(r.string());
        final String receiptStatus = r.string();
        final String errorCode = r.string();
        final String failReason = r.string();
        final String platform = r.string();
        final String provider = r.string();
        final long dispatchedAt = r.varlong();
        final Long finalAt = r.bool() ? r.varlong() : null;
        return new PersonMessage(smsId, messageId, status, receiptStatus, errorCode, failReason, platform, provider, dispatchedAt,
                finalAt);
    }

    static PersonMessages readPersonMessages(final Codec.Reader r) {
        final int n = r.varint();
        final List<PersonMessage> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            final String smsId = r.string();
            final String messageId = r.string();
            final Outcome status = outcome(r.byteValue());
            final String receiptStatus = r.string();
            final String errorCode = r.string();
            final String failReason = r.string();
            final String platform = r.string();
            final String provider = r.string();
            final long dispatchedAt = r.varlong();
            final Long finalAt = r.bool() ? r.varlong() : null;
            list.add(new PersonMessage(smsId, messageId, status, receiptStatus, errorCode, failReason, platform, provider,
                    dispatchedAt, finalAt));
        }
        return new PersonMessages(list);
    }

    // ---- helpers ----

    private static void writeInstant(final Codec.Writer w, final Instant instant) {
        w.bool(instant != null);
        if (instant != null) {
            w.varlong(instant.toEpochMilli());
        }
    }

    private static Instant readInstant(final Codec.Reader r) {
        return r.bool() ? Instant.ofEpochMilli(r.varlong()) : null;
    }

    private static Outcome outcome(final int ordinal) {
        final Outcome[] values = Outcome.values();
        if (ordinal >= values.length) {
            throw new SerializationException("Unknown outcome " + ordinal);
        }
        return values[ordinal];
    }

    private static ReceiptStatus receiptStatus(final String name) {
        try {
            return ReceiptStatus.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SerializationException("Unknown receipt status '" + name + "'", e);
        }
    }

    private static <E extends Enum<E>> E enumOr(final Class<E> type, final String name, final E fallback) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException | NullPointerException e) {
            return fallback;
        }
    }
}
