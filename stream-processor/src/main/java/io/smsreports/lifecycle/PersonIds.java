package io.smsreports.lifecycle;

import java.util.Locale;

/**
 * Person identifiers. A person is identified by the sender's externalId when there is one
 * ({@code ext:<externalId>}), else by the phone number ({@code tel:<msisdn>}, the tel: URI form). Lookup keys
 * for the other identifiers use the same prefixes ({@code tel:}, {@code email:}).
 */
public final class PersonIds {
    public static final String EXTERNAL_PREFIX = "ext:";
    public static final String MSISDN_PREFIX = "tel:";
    public static final String EMAIL_PREFIX = "email:";

    private PersonIds() {
    }

    public static String of(final String externalId, final String msisdn) {
        return externalId != null ? forExternalId(externalId) : forMsisdn(msisdn);
    }

    public static String forExternalId(final String externalId) {
        return EXTERNAL_PREFIX + externalId;
    }

    public static String forMsisdn(final String msisdn) {
        return MSISDN_PREFIX + msisdn;
    }

    public static String forEmail(final String email) {
        return EMAIL_PREFIX + email.trim().toLowerCase(Locale.ROOT);
    }
}
