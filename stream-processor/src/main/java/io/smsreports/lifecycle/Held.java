package io.smsreports.lifecycle;

import io.smsreports.events.ReceiptStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Receipts of an smsId waiting for a dispatch (rule 4): each with the time it arrived (its record's guarded time), in
 * the order they were processed. Kept one by one, not summed, because where a receipt belongs is decided by its own
 * arrival once the dispatch is known (rule 13): those that arrived before the SMS's retention ended are its receipts,
 * those after it are not, whatever order the inputs were processed in. An smsId gets a handful of receipts at most.
 *
 * @param entries the receipts in the order they were processed; never empty
 */
public record Held(List<Entry> entries) {

    /** One held receipt: the final receipt, or null for an intermediate one (ACCEPTED, ENROUTE), and when it arrived. */
    public record Entry(FinalReceipt finalReceipt, long arrivedAt) {
    }

    public Held {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a held state holds at least one receipt");
        }
    }

    static Held of(final FinalReceipt finalReceipt, final long arrivedAt) {
        return new Held(List.of(new Entry(finalReceipt, arrivedAt)));
    }

    /**
     * Held receipts as versions before rule 13 kept them (sums: the first final and when it arrived, counts of the rest,
     * when the first arrived): each counted receipt becomes an entry again, intermediates and finals with the first's
     * outcome or the other one, so that applying them counts what it would have counted then.
     */
    public static Held fromSums(final FinalReceipt firstFinal, final long firstFinalAt, final int receipts, final int duplicates,
            final int conflicts, final long heldSince) {
        final List<Entry> entries = new ArrayList<>();
        int intermediates = receipts;
        if (firstFinal != null) {
            entries.add(new Entry(firstFinal, firstFinalAt));
            final FinalReceipt other = new FinalReceipt(firstFinal.delivered() ? ReceiptStatus.UNDELIVERABLE : ReceiptStatus.DELIVERED,
                    null, null, null, firstFinal.provider(), firstFinal.finalAt(), firstFinal.receivedAt(), null, false);
            for (int i = 0; i < duplicates; i++) {
                entries.add(new Entry(firstFinal, firstFinalAt));
            }
            for (int i = 0; i < conflicts; i++) {
                entries.add(new Entry(other, firstFinalAt));
            }
            intermediates -= 1 + duplicates + conflicts;
        }
        for (int i = 0; i < Math.max(0, intermediates); i++) {
            entries.add(0, new Entry(null, heldSince));
        }
        if (entries.isEmpty()) {
            entries.add(new Entry(null, heldSince));
        }
        return new Held(entries);
    }

    Held add(final FinalReceipt finalReceipt, final long arrivedAt) {
        final List<Entry> more = new ArrayList<>(entries);
        more.add(new Entry(finalReceipt, arrivedAt));
        return new Held(more);
    }

    /** When the earliest held receipt arrived: the hold runs from here (rule 4). */
    public long heldSince() {
        long since = Long.MAX_VALUE;
        for (final Entry e : entries) {
            since = Math.min(since, e.arrivedAt());
        }
        return since;
    }

    public int receipts() {
        return entries.size();
    }

    /**
     * Splits at {@code time}: the receipts that arrived before it, then those that arrived at or after it (either may be
     * null when empty), each in processing order.
     */
    Held[] splitAt(final long time) {
        final List<Entry> before = new ArrayList<>();
        final List<Entry> after = new ArrayList<>();
        for (final Entry e : entries) {
            (e.arrivedAt() < time ? before : after).add(e);
        }
        return new Held[] {before.isEmpty() ? null : new Held(before), after.isEmpty() ? null : new Held(after)};
    }

    /**
     * The receipts that wait in one group (rule 7, in event time): the earliest to arrive and every one that arrived
     * within the hold after it; the rest form later groups. Returns {group, rest}; rest may be null.
     */
    Held[] firstGroup(final long holdMs) {
        final long start = heldSince();
        return splitAt(start + holdMs);
    }
}
