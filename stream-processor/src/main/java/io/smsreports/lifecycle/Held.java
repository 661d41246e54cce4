package io.smsreports.lifecycle;

/**
 * Receipts for an smsId whose dispatch has not arrived yet (rule 4). Only what is needed to apply them
 * later is kept: the first final receipt and when it arrived, and counts of everything else.
 *
 * @param firstFinal   the first final receipt, or null if only intermediates arrived
 * @param firstFinalAt the lifecycle clock when it arrived (a held final can itself be late)
 * @param receipts     every receipt held, intermediates included (they become orphans if no dispatch comes)
 * @param duplicates   later finals with the same outcome as the first
 * @param conflicts    later finals with the other outcome
 * @param heldSince    the lifecycle clock when the first receipt arrived; the hold runs from here
 */
public record Held(FinalReceipt firstFinal, long firstFinalAt, int receipts, int duplicates, int conflicts, long heldSince) {

    static Held startingAt(final long now) {
        return new Held(null, 0, 0, 0, 0, now);
    }

    Held add(final FinalReceipt finalReceipt, final long now) {
        if (finalReceipt == null) {
            return new Held(firstFinal, firstFinalAt, receipts + 1, duplicates, conflicts, heldSince);
        }
        if (firstFinal == null) {
            return new Held(finalReceipt, now, receipts + 1, duplicates, conflicts, heldSince);
        }
        final boolean sameOutcome = firstFinal.outcome() == finalReceipt.outcome();
        return new Held(firstFinal, firstFinalAt, receipts + 1, duplicates + (sameOutcome ? 1 : 0),
                conflicts + (sameOutcome ? 0 : 1), heldSince);
    }
}
