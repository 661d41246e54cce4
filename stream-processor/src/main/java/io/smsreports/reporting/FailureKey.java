package io.smsreports.reporting;

import io.smsreports.events.ReceiptStatus;

/**
 * What a failure is counted under before it is classified: the receipt's status and error code, the provider and the
 * operator. A campaign has few of them (statuses × codes × providers × operators in practice), so the failures
 * breakdown is pre-aggregated by this key and grouped by category, error code, provider or operator when read, with
 * the mapping table (rule 11) in force then.
 */
public record FailureKey(ReceiptStatus status, String errorCode, String provider, String operator) {

    private static final char SEPARATOR = '\u0000';

    /** The key as stored: the four parts, NUL-separated (an absent code or provider is empty). */
    public static String of(final ReceiptStatus status, final String errorCode, final String provider, final String operator) {
        return status.name() + SEPARATOR + nonNull(errorCode) + SEPARATOR + nonNull(provider) + SEPARATOR + nonNull(operator);
    }

    public static FailureKey parse(final String key) {
        final String[] parts = key.split(String.valueOf(SEPARATOR), -1);
        return new FailureKey(ReceiptStatus.valueOf(parts[0]), blankToNull(parts[1]), blankToNull(parts[2]), blankToNull(parts[3]));
    }

    private static String nonNull(final String value) {
        return value == null ? "" : value;
    }

    private static String blankToNull(final String value) {
        return value.isEmpty() ? null : value;
    }
}
