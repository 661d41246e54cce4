package io.smsreports.lifecycle;

import java.util.Currency;
import java.util.Objects;

/**
 * What one SMS costs (rule 15): its whole price, every part, in millionths of an ISO 4217 currency.
 *
 * @param micros   never negative
 * @param currency an ISO 4217 code, upper case
 */
public record Price(long micros, String currency) {

    public Price {
        Objects.requireNonNull(currency, "currency");
        if (micros < 0) {
            throw new IllegalArgumentException("a price is not negative, was " + micros);
        }
    }

    /**
     * A price as an event carries it (either part may be absent). {@code price} is null when there is none to use;
     * {@code bad} says one was given that cannot be (a negative amount, a currency that is not ISO 4217, an amount
     * without a currency or the other way round): the SMS is counted, the price ignored and counted as bad.
     */
    public record Given(Price price, boolean bad) {
        public static final Given NONE = new Given(null, false);
        static final Given BAD = new Given(null, true);
    }

    public static Given given(final Long micros, final String currency) {
        if (micros == null && (currency == null || currency.isBlank())) {
            return Given.NONE;
        }
        if (micros == null || currency == null || micros < 0) {
            return Given.BAD;
        }
        final String code = currency.trim().toUpperCase(java.util.Locale.ROOT);
        try {
            Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            return Given.BAD;
        }
        return new Given(new Price(micros, code), false);
    }
}
