package io.smsreports.lifecycle;

import io.smsreports.events.SmsDispatched;
import java.util.Locale;
import java.util.Objects;

/**
 * What the pipeline keeps of a dispatch: the campaign, the recipient's identifiers, the platform (normalized:
 * lower-cased, absent or blank → {@code unknown}), the provider, when it was handed over ({@code dispatchedAt}) and when
 * the sender published it ({@code publishedAt}: its record's time, guarded; a sender's outbox may publish late). The
 * later of the two is when the dispatch became known in event time (rule 13). Rule 15: the price the sender gave (null
 * when none, or when the one given could not be used: {@code badPrice}) and the encoding (GSM7, UCS2, or null).
 */
public record Dispatch(String messageId, String msisdn, String externalId, String email, String platform, String provider,
        String country, String operator, int segments, long dispatchedAt, long publishedAt, Price price, boolean badPrice,
        String encoding) {

    /** The platform of a dispatch that did not say. */
    public static final String UNKNOWN_PLATFORM = "unknown";

    public Dispatch {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(msisdn, "msisdn");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(provider, "provider");
    }

    public static Dispatch from(final SmsDispatched event) {
        final Price.Given price = Price.given(event.getPriceMicros(), event.getCurrency());
        return new Dispatch(event.getMessageId(), event.getMsisdn(), blankToNull(event.getExternalId()),
                blankToNull(event.getEmail()), normalizePlatform(event.getPlatform()), event.getProvider(),
                blankToNull(event.getCountry()), blankToNull(event.getOperator()), event.getSegments(),
                event.getDispatchedAt().toEpochMilli(), event.getDispatchedAt().toEpochMilli(), price.price(), price.bad(),
                event.getEncoding() == null ? null : event.getEncoding().name());
    }

    /** The same dispatch, published at {@code time} (its record's guarded timestamp). */
    public Dispatch withPublishedAt(final long time) {
        return time == publishedAt ? this : new Dispatch(messageId, msisdn, externalId, email, platform, provider, country, operator,
                segments, dispatchedAt, time, price, badPrice, encoding);
    }

    /** The same dispatch, dispatched at {@code time} (a guarded time, rule 12). */
    public Dispatch withDispatchedAt(final long time) {
        return time == dispatchedAt ? this : new Dispatch(messageId, msisdn, externalId, email, platform, provider, country, operator,
                segments, time, publishedAt, price, badPrice, encoding);
    }

    /** When this dispatch became known in event time: the later of its dispatch and publication times. */
    public long knownAt() {
        return Math.max(dispatchedAt, publishedAt);
    }

    /** The person this SMS went to: the externalId when the sender knew one, else the msisdn. */
    public String personId() {
        return PersonIds.of(externalId, msisdn);
    }

    public static String normalizePlatform(final String platform) {
        if (platform == null || platform.isBlank()) {
            return UNKNOWN_PLATFORM;
        }
        return platform.trim().toLowerCase(Locale.ROOT);
    }

    /** An optional text field: absent or blank is null. */
    static String blankToNull(final String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
