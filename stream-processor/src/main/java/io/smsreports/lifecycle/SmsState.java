package io.smsreports.lifecycle;

import java.util.List;
import java.util.Objects;

/**
 * The lifecycle state of one smsId: either dispatched ({@code dispatch} set, with its outcome and first
 * final receipt) or only held receipts waiting for their dispatch ({@code held} set). A dispatched SMS may hold receipts
 * too: those that arrived after its retention ended (rule 13: by their own time they came after it was forgotten, so
 * they are not its receipts whatever the order they were processed in); when it is forgotten they wait on their own.
 *
 * @param dispatch     the first dispatch of this smsId, or null while only receipts have arrived
 * @param outcome      where the SMS stands (meaningless while {@code dispatch} is null)
 * @param finalReceipt the first final receipt, once there is one
 * @param held         receipts waiting for a dispatch: before it arrived, or after the retention of the dispatched one
 * @param indexedAt    the time of this state's entry in the expiry index (never later than its next deadline)
 * @param price        the dispatched SMS's latest known price (rule 15), or null: unpriced
 * @param tariffed     whether that price is the configured tariff's (a provider's price in another currency replaces it)
 * @param notSent      the sender's decision not to send this smsId (rule 14), counted as not sent: while no dispatch of the same
 *                     SMS is known (a dispatch cancels it), or when the dispatched SMS is another use of the id (the two are a
 *                     retention apart)
 * @param clicks       the smsId's link clicks (rule 16), counted or waiting for a dispatch; null when none
 */
public record SmsState(Dispatch dispatch, Outcome outcome, FinalReceipt finalReceipt, Held held, long indexedAt, Price price,
        boolean tariffed, NotSent notSent, ClickLog clicks) {

    public SmsState {
        Objects.requireNonNull(outcome, "outcome");
        if (clicks != null && clicks.isEmpty()) {
            clicks = null;
        }
        if (dispatch == null && held == null && notSent == null && (clicks == null || clicks.held().isEmpty())) {
            throw new IllegalArgumentException("a dispatch, held receipts or clicks, or a not-sent decision must be set");
        }
    }

    public SmsState(final Dispatch dispatch, final Outcome outcome, final FinalReceipt finalReceipt, final Held held, final long indexedAt,
            final Price price, final boolean tariffed, final NotSent notSent) {
        this(dispatch, outcome, finalReceipt, held, indexedAt, price, tariffed, notSent, null);
    }

    public SmsState(final Dispatch dispatch, final Outcome outcome, final FinalReceipt finalReceipt, final Held held, final long indexedAt,
            final Price price, final boolean tariffed) {
        this(dispatch, outcome, finalReceipt, held, indexedAt, price, tariffed, null);
    }

    /**
     * Not dispatched: receipts held (or null), a not-sent decision (or null), clicks held (or none); null when there is none of
     * them.
     */
    static SmsState undispatched(final Held held, final NotSent notSent, final List<Click> heldClicks, final long indexedAt) {
        if (held == null && notSent == null && heldClicks.isEmpty()) {
            return null;
        }
        return new SmsState(null, Outcome.PENDING, null, held, indexedAt, null, false, notSent, new ClickLog(List.of(), heldClicks));
    }

    /** The clicks waiting for a dispatch. */
    List<Click> heldClicks() {
        return clicks == null ? List.of() : clicks.held();
    }

    static SmsState dispatched(final Dispatch dispatch, final long indexedAt, final Price price, final boolean tariffed) {
        return new SmsState(dispatch, Outcome.PENDING, null, null, indexedAt, price, tariffed, null, null);
    }

    public boolean isDispatched() {
        return dispatch != null;
    }

    SmsState withOutcome(final Outcome newOutcome, final FinalReceipt receipt) {
        return new SmsState(dispatch, newOutcome, receipt, held, indexedAt, price, tariffed, notSent, clicks);
    }

    SmsState withHeld(final Held newHeld) {
        return new SmsState(dispatch, outcome, finalReceipt, newHeld, indexedAt, price, tariffed, notSent, clicks);
    }

    SmsState withPrice(final Price newPrice) {
        return new SmsState(dispatch, outcome, finalReceipt, held, indexedAt, newPrice, false, notSent, clicks);
    }

    SmsState withClicks(final ClickLog newClicks) {
        return new SmsState(dispatch, outcome, finalReceipt, held, indexedAt, price, tariffed, notSent, newClicks);
    }

    /** The clicks, never null. */
    public ClickLog clickLog() {
        return clicks == null ? ClickLog.EMPTY : clicks;
    }

    SmsState withNotSent(final NotSent decision) {
        return new SmsState(dispatch, outcome, finalReceipt, held, indexedAt, price, tariffed, decision, clicks);
    }

    public SmsState withIndexedAt(final long newIndexedAt) {
        return new SmsState(dispatch, outcome, finalReceipt, held, newIndexedAt, price, tariffed, notSent, clicks);
    }
}
