package io.smsreports.lifecycle;

import io.smsreports.events.SmsDispatched;
import java.util.Locale;
import java.util.Objects;

/**
 * What the pipeline keeps of a dispatch: the campaign, the recipient's identifiers, the platform (normalized:
 * lower-cased, absent or blank → {@code unknown}), the provider and when it was handed over.
 */
public record Dispatch(String messageId, String msisdn, String externalId, String email, String platform, String provider,
        String country, String operator, int segments, long dispatchedAt) {

    /** The platform of a dispatch that did not say. */
    public static final String UNKNOWN_PLATFORM = "unknown";

    public Dispatch {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(msisdn, "msisdn");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(provider, "provider");
    }

    public static Dispatch from(final SmsDispatched event) {
        return new Dispatch(event.getMessageId(), event.getMsisdn(), blankToNull(event.getExternalId()),
                blankToNull(event.getEmail()), normalizePlatform(event.getPlatform()), event.getProvider(),
                blankToNull(event.getCountry()), blankToNull(event.getOperator()), event.getSegments(),
                event.getDispatchedAt().toEpochMilli());
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

    private static String blankToNull(final String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
