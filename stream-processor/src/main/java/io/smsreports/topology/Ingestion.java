package io.smsreports.topology;

import io.smsreports.events.Campaign;
import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.SmsDispatched;
import io.smsreports.events.SmsInbound;
import io.smsreports.events.SmsLinkClicked;
import io.smsreports.events.SmsNotSent;
import io.smsreports.lifecycle.Click;
import io.smsreports.lifecycle.Dispatch;
import io.smsreports.lifecycle.NotSent;
import io.smsreports.lifecycle.FinalReceipt;
import io.smsreports.lifecycle.SmsInput;
import io.smsreports.replies.Inbound;
import io.smsreports.replies.Msisdns;
import io.smsreports.replies.ReplyInput;
import io.smsreports.reporting.ReportingEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns raw input records into validated inputs. A record is poison when its key is missing or not UTF-8,
 * its value cannot be decoded, a required id is missing or blank, or its key is not the id it carries (a
 * record keyed differently would land on another partition and break the per-SMS state). A dispatch for a
 * campaign not (yet) known is not poison.
 */
final class Ingestion {

    /** A valid input and the id it is keyed by. */
    record Valid<V>(String key, V value) {
    }

    /** Decodes one record of one topic; throws {@link InvalidRecordException} or a {@code SerializationException}. */
    @FunctionalInterface
    interface Decoder<V> {
        Valid<V> decode(String topic, byte[] key, byte[] value);
    }

    private Ingestion() {
    }

    /** A decoder that first makes sure the output schema is registered (a dependency of the decode path). */
    static <V> Decoder<V> requiring(final OutputSchema output, final Decoder<V> decoder) {
        return (topic, rawKey, rawValue) -> {
            output.ensureRegistered();
            return decoder.decode(topic, rawKey, rawValue);
        };
    }

    static Decoder<SmsInput> dispatches(final Deserializer<SmsDispatched> deserializer) {
        return (topic, rawKey, rawValue) -> {
            final String key = key(rawKey);
            final SmsDispatched dispatch = deserializer.deserialize(topic, requireValue(rawValue));
            requireId("smsId", dispatch.getSmsId());
            requireId("messageId", dispatch.getMessageId());
            requireId("msisdn", dispatch.getMsisdn());
            if (dispatch.getProvider() == null || dispatch.getProvider().isBlank()) {
                throw new InvalidRecordException("provider is missing");
            }
            if (dispatch.getSegments() < 1) {
                throw new InvalidRecordException("segments must be at least 1, was " + dispatch.getSegments());
            }
            requireKeyMatches(key, "smsId", dispatch.getSmsId());
            return new Valid<>(key, new SmsInput.Dispatched(Dispatch.from(dispatch)));
        };
    }

    static Decoder<SmsInput> receipts(final Deserializer<DeliveryReceipt> deserializer) {
        return (topic, rawKey, rawValue) -> {
            final String key = key(rawKey);
            final DeliveryReceipt receipt = deserializer.deserialize(topic, requireValue(rawValue));
            requireId("smsId", receipt.getSmsId());
            requireKeyMatches(key, "smsId", receipt.getSmsId());
            final FinalReceipt finalReceipt = FinalReceipt.isFinal(receipt.getStatus()) ? FinalReceipt.from(receipt) : null;
            return new Valid<>(key, new SmsInput.Received(finalReceipt));
        };
    }

    static Decoder<SmsInput> notSent(final Deserializer<SmsNotSent> deserializer) {
        return (topic, rawKey, rawValue) -> {
            final String key = key(rawKey);
            final SmsNotSent notSent = deserializer.deserialize(topic, requireValue(rawValue));
            requireId("smsId", notSent.getSmsId());
            requireId("messageId", notSent.getMessageId());
            requireId("msisdn", notSent.getMsisdn());
            if (notSent.getReason() == null) {
                throw new InvalidRecordException("reason is missing");
            }
            requireKeyMatches(key, "smsId", notSent.getSmsId());
            return new Valid<>(key, new SmsInput.NotSentDecided(NotSent.from(notSent)));
        };
    }

    /** Rule 16: a click; its arrival (record time) is set by the lifecycle, which guards it. */
    static Decoder<SmsInput> clicks(final Deserializer<SmsLinkClicked> deserializer) {
        return (topic, rawKey, rawValue) -> {
            final String key = key(rawKey);
            final SmsLinkClicked click = deserializer.deserialize(topic, requireValue(rawValue));
            requireId("smsId", click.getSmsId());
            requireId("clickId", click.getClickId());
            requireId("linkId", click.getLinkId());
            if (click.getUrl() == null) {
                throw new InvalidRecordException("url is missing");
            }
            requireKeyMatches(key, "smsId", click.getSmsId());
            return new Valid<>(key, new SmsInput.Clicked(Click.from(click, click.getClickedAt().toEpochMilli())));
        };
    }

    /**
     * Rule 17: a message a recipient sent back, keyed on by its msisdn in E.164 form (the gateway's key may write it
     * another way: the replies index is keyed the same way for sends and replies). A body longer than
     * {@link Inbound#MAX_BODY} is cut, not refused (rule 12): the reply is real.
     */
    static Decoder<ReplyInput> inbound(final Deserializer<SmsInbound> deserializer) {
        return (topic, rawKey, rawValue) -> {
            final SmsInbound inbound = deserializer.deserialize(topic, requireValue(rawValue));
            requireId("inboundId", inbound.getInboundId());
            requireId("msisdn", inbound.getMsisdn());
            if (inbound.getTo() == null || inbound.getBody() == null) {
                throw new InvalidRecordException(inbound.getTo() == null ? "to is missing" : "body is missing");
            }
            final String msisdn = Msisdns.normalize(inbound.getMsisdn());
            return new Valid<>(msisdn, new ReplyInput.Received(Inbound.received(inbound.getInboundId(), msisdn, inbound.getTo(),
                    inbound.getBody(), inbound.getReceivedAt().toEpochMilli(), inbound.getProvider())));
        };
    }

    static Decoder<ReportingEvent> campaigns(final Deserializer<Campaign> deserializer) {
        return (topic, rawKey, rawValue) -> {
            final String key = key(rawKey);
            requireId("messageId (key)", key);
            if (rawValue == null) {
                return new Valid<>(key, new ReportingEvent.CampaignRemoved()); // tombstone on the compacted topic
            }
            final Campaign campaign = deserializer.deserialize(topic, rawValue);
            requireId("messageId", campaign.getMessageId());
            requireKeyMatches(key, "messageId", campaign.getMessageId());
            if (campaign.getTargetAudience() < 0) {
                throw new InvalidRecordException("targetAudience must not be negative, was " + campaign.getTargetAudience());
            }
            return new Valid<>(key, new ReportingEvent.CampaignUpdated(campaign));
        };
    }

    private static String key(final byte[] rawKey) {
        if (rawKey == null) {
            throw new InvalidRecordException("the record has no key (the key must be the id, as a UTF-8 string)");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(rawKey))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRecordException("the key is not a UTF-8 string");
        }
    }

    private static byte[] requireValue(final byte[] rawValue) {
        if (rawValue == null) {
            throw new InvalidRecordException("the record has no value (a tombstone is meaningless on this topic)");
        }
        return rawValue;
    }

    private static void requireId(final String name, final String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRecordException("missing required id: " + name + " is empty");
        }
        if (value.indexOf('\u0000') >= 0) {
            throw new InvalidRecordException(name + " contains a NUL character");
        }
    }

    private static void requireKeyMatches(final String key, final String name, final String id) {
        if (!key.equals(id)) {
            throw new InvalidRecordException("the key '" + key + "' is not the record's " + name + " '" + id
                    + "': records must be keyed by " + name + " so that each SMS's events share a partition");
        }
    }
}
