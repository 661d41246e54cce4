package io.smsreports.reporting;

/**
 * How much the receipts of one campaign disagreed with the counting rules.
 *
 * @param duplicateReceipts final receipts after the first with the same outcome (rule 2)
 * @param conflictingFinals final receipts after the first with the other outcome (rule 2)
 * @param lateReceipts      first final receipts late by their own time (rules 5, 13)
 * @param badPrices         prices given that could not be used: negative, not ISO 4217, a change of currency (rule 15)
 */
public record Reconciliation(long duplicateReceipts, long conflictingFinals, long lateReceipts, long badPrices) {

    public static final Reconciliation ZERO = new Reconciliation(0, 0, 0, 0);

    public Reconciliation(final long duplicateReceipts, final long conflictingFinals, final long lateReceipts) {
        this(duplicateReceipts, conflictingFinals, lateReceipts, 0);
    }

    public Reconciliation plus(final Reconciliation other) {
        return new Reconciliation(duplicateReceipts + other.duplicateReceipts, conflictingFinals + other.conflictingFinals,
                lateReceipts + other.lateReceipts, badPrices + other.badPrices);
    }
}
