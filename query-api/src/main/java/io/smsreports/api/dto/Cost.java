package io.smsreports.api.dto;

import java.util.List;

/**
 * What Sent SMS cost (rule 15), the same shape on a campaign, a breakdown row and a route: per currency, never summed
 * across currencies.
 *
 * @param spend    one entry per currency, by code
 * @param unpriced Sent SMS with no known price (no price on the dispatch or a receipt, no tariff)
 * @param encoding how the Sent SMS were encoded, and the parts it took
 */
public record Cost(List<Spend> spend, long unpriced, Encoding encoding) {

    /**
     * Spend in one currency, in micro-units (1,000,000 = 1 TRY).
     *
     * @param spendMicros            every Sent SMS priced in this currency, at its latest known price
     * @param wastedMicros           the part of it spent on SMS that are Failed or Unconfirmed now
     * @param delivered              Delivered SMS priced in this currency
     * @param costPerDeliveredMicros spend ÷ delivered (rounded down), null when none was delivered
     */
    public record Spend(String currency, long spendMicros, long wastedMicros, long delivered, Long costPerDeliveredMicros) {
    }

    /**
     * @param gsm7           Sent SMS encoded GSM-7
     * @param gsm7Parts      their parts
     * @param ucs2           Sent SMS encoded UCS-2 (an SMS of unknown encoding counts in neither)
     * @param ucs2Parts      their parts
     * @param ucs2ExtraParts the parts UCS-2 cost beyond what the same texts would take in GSM-7, at most
     */
    public record Encoding(long gsm7, long gsm7Parts, long ucs2, long ucs2Parts, long ucs2ExtraParts) {
    }
}
