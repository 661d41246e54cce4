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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads state and internal records as versions before the Avro state format wrote them (a hand-written positional
 * format: a version byte 1, then the fields). Read only, so that an upgrade keeps its stores and changelogs: every
 * value written from now on is Avro ({@link StateSerdes}), and the old bytes disappear as values are rewritten,
 * compacted away or expire. To be removed once no supported version writes them.
 */
final class LegacyStateCodec {

    private LegacyStateCodec() {
    }

    /** Reads a value written by {@code CodecSerde} v1: the version byte, the fields, nothing after. */
    static <T> T read(final byte[] bytes, final String what, final java.util.function.Function<Codec.Reader, T> fields) {
        final Codec.Reader reader = new Codec.Reader(bytes, what);
        reader.version(1);
        final T value = fields.apply(reader);
        reader.end();
        return value;
    }

    // ---- lifecycle ----

    static Dispatch readDispatch(final Codec.Reader r) {
        final Dispatch d = new Dispatch(r.string(), r.string(), r.string(), r.string(), r.string(), r.string(), r.string(), r.string(),
                r.varint(), r.varlong(), 0, null, false, null);
        return d.withPublishedAt(d.dispatchedAt()); // not recorded then: taken as published when dispatched
    }

    static FinalReceipt readFinal(final Codec.Reader r) {
        if (!r.bool()) {
            return null;
        }
        return new FinalReceipt(receiptStatus(r.string()), r.string(), r.string(), r.string(), r.string(), r.varlong(),
                r.varlong(), null, false);
    }

    static SmsState readState(final Codec.Reader r) {
        Dispatch dispatch = null;
        Held held = null;
        if (r.bool()) {
            dispatch = readDispatch(r);
        } else {
            held = Held.fromSums(readFinal(r), r.varlong(), r.varint(), r.varint(), r.varint(), r.varlong());
        }
        return new SmsState(dispatch, outcome(r.byteValue()), readFinal(r), held, r.varlong(), null, false);
    }

    static Transition readTransition(final Codec.Reader r) {
        return new Transition(r.string(), readDispatch(r), outcome(r.byteValue()), readFinal(r), r.varint(), r.varint(),
                r.varint(), 0, null, null, null, 0);
    }

    // ---- reporting ----

    static ReportingEvent readReportingEvent(final Codec.Reader r) {
        final int type = r.byteValue();
        return switch (type) {
            case 1 -> new ReportingEvent.SmsChanged(readTransition(r));
            case 2 -> new ReportingEvent.CampaignUpdated(readCampaign(r));
            case 3 -> new ReportingEvent.CampaignRemoved();
            default -> throw new SerializationException("Unknown ReportingEvent type " + type);
        };
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

    static CampaignStats readStats(final Codec.Reader r) {
        final int n = r.varint();
        final Map<String, PlatformCounts> platforms = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            platforms.put(r.string(), new PlatformCounts(r.varlong(), r.varlong(), r.varlong(), r.varlong(), r.varlong()));
        }
        return new CampaignStats(platforms, new Reconciliation(r.varlong(), r.varlong(), r.varlong()));
    }

    static HourlyCounts readHourly(final Codec.Reader r) {
        final int n = r.varint();
        final Map<String, HourlyCounts.Counts> platforms = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            platforms.put(r.string(), new HourlyCounts.Counts(r.varlong(), r.varlong(), r.varlong()));
        }
        return new HourlyCounts(platforms);
    }

    static DeliveredRecord readDelivered(final Codec.Reader r) {
        return new DeliveredRecord(r.string(), r.string(), r.string(), r.string(), r.string(), r.string(), r.string(), r.varlong(),
                r.varlong(), r.varlong());
    }

    static FailedRecipient readFailed(final Codec.Reader r) {
        return new FailedRecipient(r.string(), r.string(), r.string(), r.string(), r.string(), r.string(),
                receiptStatus(r.string()), r.string(), r.string(), r.varlong());
    }

    static PersonProfile readPersonProfile(final Codec.Reader r) {
        return new PersonProfile(r.string(), r.string(), r.string(), r.string());
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
