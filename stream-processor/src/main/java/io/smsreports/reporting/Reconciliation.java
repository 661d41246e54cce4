package io.smsreports.reporting;

/**
 * How much the receipts of one campaign disagreed with the counting rules.
 *
 * @param duplicateReceipts final receipts after the first with the same outcome (rule 2)
 * @param conflictingFinals final receipts after the first with the other outcome (rule 2)
 * @param lateReceipts      first final receipts that arrived after the receipt timeout (rule 5)
 */
public record Reconciliation(long duplicateReceipts, long conflictingFinals, long lateReceipts) {

    public static final Reconciliation ZERO = new Reconciliation(0, 0, 0);

    public Reconciliation plus(final Reconciliation other) {
        return new Reconciliation(duplicateReceipts + other.duplicateReceipts, conflictingFinals + other.conflictingFinals,
                lateReceipts + other.lateReceipts);
    }
}
