package io.smsreports.reporting;

import io.smsreports.lifecycle.Outcome;
import io.smsreports.lifecycle.Price;
import io.smsreports.lifecycle.Transition;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rule 15: what the Sent SMS of a campaign (or a breakdown row) cost, per currency, and how they were encoded. Each SMS
 * counts at its latest known price: in {@code spendMicros}, also in {@code wastedMicros} while it is Failed or
 * Unconfirmed, and in {@code delivered} while it is Delivered (the cost per delivered SMS is spend ÷ delivered); an SMS
 * without a price counts in {@code unpriced}. A transition moves an SMS from where it stood to where it stands, so a
 * price learned later, or an Unconfirmed SMS delivered late, moves the figures exactly once.
 *
 * @param currencies by ISO 4217 code
 * @param unpriced   Sent SMS with no known price
 * @param gsm7       Sent SMS encoded GSM-7, and their parts in {@code gsm7Parts}
 * @param ucs2       Sent SMS encoded UCS-2, and their parts in {@code ucs2Parts} (an SMS of unknown encoding counts in neither)
 * @param ucs2ExtraParts the parts UCS-2 cost beyond what the same texts would take in GSM-7, at most: a UCS-2 part holds 67
 *                   characters (70 alone), a GSM-7 part 153 (160 alone), so an SMS of n UCS-2 parts would take
 *                   ⌈67·n ÷ 153⌉ GSM-7 parts (1 for n = 1)
 */
public record Costs(Map<String, CurrencySpend> currencies, long unpriced, long gsm7, long ucs2, long gsm7Parts, long ucs2Parts,
        long ucs2ExtraParts) {

    public static final Costs ZERO = new Costs(Map.of(), 0, 0, 0, 0, 0, 0);

    /** Spend in one currency. */
    public record CurrencySpend(long spendMicros, long wastedMicros, long delivered) {
        static final CurrencySpend ZERO = new CurrencySpend(0, 0, 0);

        CurrencySpend plus(final CurrencySpend other, final int sign) {
            return new CurrencySpend(spendMicros + sign * other.spendMicros, wastedMicros + sign * other.wastedMicros,
                    delivered + sign * other.delivered);
        }

        /** Spend per Delivered SMS priced in this currency (rounded down), or null when none is. */
        public Long costPerDeliveredMicros() {
            return delivered > 0 ? spendMicros / delivered : null;
        }
    }

    public Costs {
        currencies = Collections.unmodifiableMap(new TreeMap<>(currencies));
    }

    public Costs plus(final Costs other) {
        return combine(other, 1);
    }

    private Costs combine(final Costs other, final int sign) {
        final Map<String, CurrencySpend> sum = new TreeMap<>(currencies);
        other.currencies.forEach((currency, spend) -> {
            final CurrencySpend next = sum.getOrDefault(currency, CurrencySpend.ZERO).plus(spend, sign);
            if (next.equals(CurrencySpend.ZERO)) {
                sum.remove(currency);
            } else {
                sum.put(currency, next);
            }
        });
        return new Costs(sum, unpriced + sign * other.unpriced, gsm7 + sign * other.gsm7, ucs2 + sign * other.ucs2,
                gsm7Parts + sign * other.gsm7Parts, ucs2Parts + sign * other.ucs2Parts, ucs2ExtraParts + sign * other.ucs2ExtraParts);
    }

    /** What one transition changes: where its SMS stands now, less where it stood. */
    public static Costs of(final Transition t) {
        if (t.isOutsideDelivery()) {
            return ZERO; // rule 14: a recipient not sent to costs nothing; rule 16: a click changes no price
        }
        final boolean sent = t.has(Transition.SENT);
        Costs change = standing(t.outcome(), t.priceAfter());
        if (!sent) {
            change = change.combine(standing(t.outcomeBefore(), t.priceBefore()), -1);
        } else if ("GSM7".equals(t.dispatch().encoding())) {
            change = change.combine(new Costs(Map.of(), 0, 1, 0, t.dispatch().segments(), 0, 0), 1);
        } else if ("UCS2".equals(t.dispatch().encoding())) {
            final int parts = t.dispatch().segments();
            change = change.combine(new Costs(Map.of(), 0, 0, 1, 0, parts, parts - gsm7PartsOfSameText(parts)), 1);
        }
        return change;
    }

    /** The GSM-7 parts a text that took {@code ucs2Parts} UCS-2 parts would take at most. */
    static int gsm7PartsOfSameText(final int ucs2Parts) {
        return ucs2Parts <= 1 ? 1 : (67 * ucs2Parts + 152) / 153;
    }

    /** What one Sent SMS counts for, standing at {@code outcome} with {@code price}. */
    private static Costs standing(final Outcome outcome, final Price price) {
        if (price == null) {
            return new Costs(Map.of(), 1, 0, 0, 0, 0, 0);
        }
        final boolean wasted = outcome == Outcome.FAILED || outcome == Outcome.UNCONFIRMED;
        return new Costs(Map.of(price.currency(), new CurrencySpend(price.micros(), wasted ? price.micros() : 0,
                outcome == Outcome.DELIVERED ? 1 : 0)), 0, 0, 0, 0, 0, 0);
    }
}
