package io.smsreports.lifecycle;

import io.smsreports.events.SmsDelivered;
import java.time.Instant;
import java.util.Objects;

/**
 * What one input (or the passing of time) changed for one dispatched SMS: the counts the reporting side
 * adds and subtracts. Emitted by the lifecycle, keyed by smsId; repartitioned by messageId for the reports.
 *
 * @param smsId             the SMS
 * @param dispatch          its dispatch (campaign, platform, recipient, dispatch time)
 * @param outcome           where it stands after this change
 * @param finalReceipt      its first final receipt, when {@link #DELIVERED} or {@link #FAILED} is among the changes
 * @param changes           a set of {@link #SENT}, {@link #DELIVERED}, {@link #FAILED}, {@link #UNCONFIRMED}, {@link #LATE},
 *                          {@link #ON_TIME}
 * @param duplicateReceipts final receipts after the first with the same outcome (rule 2)
 * @param conflictingFinals final receipts after the first with the other outcome (rule 2)
 * @param knownAt           for a Delivered/Failed change: when it became known in event time, the later of its receipt's
 *                          arrival (record time) and its dispatch's {@link Dispatch#knownAt()}; the same in every order
 *                          the inputs are processed in (rule 13). 0 when the change has no final receipt
 * @param outcomeBefore     where the SMS stood before this change (null: it was not Sent before, or written before rule 15)
 * @param priceBefore       its price before this change (rule 15; null: unpriced)
 * @param priceAfter        its price after this change (rule 15; null: unpriced)
 * @param badPrices         prices in this change's inputs that could not be used (negative, not ISO 4217, a currency change)
 * @param notSentReason     for a {@link #NOT_SENT} or {@link #NOT_SENT_UNDONE} change (rule 14): the decision's reason; its
 *                          {@code dispatch} is then {@link NotSent#asDispatch()}, the recipient and rows the decision counts in
 * @param click             for a {@link #CLICKED} change (rule 16): the click and what it adds
 */
public record Transition(String smsId, Dispatch dispatch, Outcome outcome, FinalReceipt finalReceipt, int changes,
        int duplicateReceipts, int conflictingFinals, long knownAt, Outcome outcomeBefore, Price priceBefore, Price priceAfter,
        int badPrices, String notSentReason, ClickChange click) {

    /**
     * What one counted click adds (rule 16).
     *
     * @param bot              a bot's click: {@code botClicks} + 1 and nothing else
     * @param firstHumanOfSms  the SMS's first human click: {@code uniqueClicks} + 1
     * @param firstHumanOfLink its first human click on this link: the link's {@code uniqueClicks} + 1
     */
    public record ClickChange(String linkId, String url, boolean bot, boolean firstHumanOfSms, boolean firstHumanOfLink) {
    }

    /** Rule 16: a click on one of this Sent SMS's links, counted once per clickId ({@link #click}). Nothing else changes. */
    public static final int CLICKED = 1 << 8;

    /** Became Sent (rule 1): first dispatch of this smsId. */
    public static final int SENT = 1;
    /** Became Delivered (rule 2). */
    public static final int DELIVERED = 1 << 1;
    /** Became Failed (rule 2). */
    public static final int FAILED = 1 << 2;
    /** Became Unconfirmed (rule 5). */
    public static final int UNCONFIRMED = 1 << 3;
    /** The Delivered/Failed change resolves an Unconfirmed (rule 5): Unconfirmed − 1, a late receipt unless {@link #ON_TIME}. */
    public static final int LATE = 1 << 4;
    /**
     * With {@link #LATE}: the receipt that resolves the Unconfirmed was not late by its own time (its {@code finalAt} is
     * before the timeout; the timeout was judged before it was processed): Unconfirmed − 1 all the same, but not counted as
     * a late receipt (rule 13: a receipt is late by its own guarded time, not by when it was processed).
     */
    public static final int ON_TIME = 1 << 5;

    /** Rule 14: the sender decided not to send this smsId: not sent + 1 for {@link #notSentReason}. Nothing else changes. */
    public static final int NOT_SENT = 1 << 6;
    /**
     * Rule 14: a decision counted before no longer counts (a dispatch of the same SMS came, or a later decision replaces it):
     * not sent − 1 for {@link #notSentReason}, in the rows it was counted in. Nothing else changes.
     */
    public static final int NOT_SENT_UNDONE = 1 << 7;

    public Transition(final String smsId, final Dispatch dispatch, final Outcome outcome, final FinalReceipt finalReceipt, final int changes,
            final int duplicateReceipts, final int conflictingFinals, final long knownAt, final Outcome outcomeBefore, final Price priceBefore,
            final Price priceAfter, final int badPrices) {
        this(smsId, dispatch, outcome, finalReceipt, changes, duplicateReceipts, conflictingFinals, knownAt, outcomeBefore, priceBefore,
                priceAfter, badPrices, null, null);
    }

    public Transition(final String smsId, final Dispatch dispatch, final Outcome outcome, final FinalReceipt finalReceipt, final int changes,
            final int duplicateReceipts, final int conflictingFinals, final long knownAt, final Outcome outcomeBefore, final Price priceBefore,
            final Price priceAfter, final int badPrices, final String notSentReason) {
        this(smsId, dispatch, outcome, finalReceipt, changes, duplicateReceipts, conflictingFinals, knownAt, outcomeBefore, priceBefore,
                priceAfter, badPrices, notSentReason, null);
    }

    /** A rule 16 change: one counted click of the Sent SMS {@code dispatch}. */
    public static Transition clicked(final String smsId, final Dispatch dispatch, final Outcome outcome, final ClickChange click) {
        return new Transition(smsId, dispatch, outcome, null, CLICKED, 0, 0, 0, null, null, null, 0, null, click);
    }

    /** Whether this is a rule 16 change (a click), which changes no status, count or price. */
    public boolean isClickChange() {
        return (changes & CLICKED) != 0;
    }

    /** Whether this change only counts engagement (rule 16) or the funnel (rule 14): no status, no price, no route, no alert. */
    public boolean isOutsideDelivery() {
        return isNotSentChange() || isClickChange();
    }

    /** A rule 14 change: {@code change} is {@link #NOT_SENT} or {@link #NOT_SENT_UNDONE}. */
    public static Transition notSent(final String smsId, final NotSent notSent, final int change) {
        return new Transition(smsId, notSent.asDispatch(), Outcome.PENDING, null, change, 0, 0, 0, null, null, null, 0, notSent.reason(),
                null);
    }

    /** Whether this is a rule 14 change (a not-sent decision counted or uncounted), which counts nothing of an SMS that was Sent. */
    public boolean isNotSentChange() {
        return (changes & (NOT_SENT | NOT_SENT_UNDONE)) != 0;
    }

    /** +1, −1 or 0: what this change adds to the not-sent count of {@link #notSentReason}. */
    public int notSentDelta() {
        return has(NOT_SENT) ? 1 : has(NOT_SENT_UNDONE) ? -1 : 0;
    }

    public Transition {
        if ((changes & (NOT_SENT | NOT_SENT_UNDONE)) != 0 && notSentReason == null) {
            throw new IllegalArgumentException("a not-sent change needs its reason");
        }
        if ((changes & CLICKED) != 0 && click == null) {
            throw new IllegalArgumentException("a click change needs its click");
        }
        Objects.requireNonNull(smsId, "smsId");
        Objects.requireNonNull(dispatch, "dispatch");
        Objects.requireNonNull(outcome, "outcome");
        if ((changes & (DELIVERED | FAILED)) != 0 && finalReceipt == null) {
            throw new IllegalArgumentException("a Delivered/Failed change needs its final receipt");
        }
    }

    public boolean has(final int change) {
        return (changes & change) != 0;
    }

    /** Whether this change counts a late receipt (reconciliation {@code lateReceipts}). */
    public boolean lateReceipt() {
        return has(LATE) && !has(ON_TIME);
    }

    /** When this change's final receipt became known (rule 13), or its {@code receivedAt} for a change from before. */
    public long finalKnownAt() {
        return knownAt > 0 ? knownAt : finalReceipt.receivedAt();
    }

    /** Whether the SMS's status changed (as opposed to reconciliation counts only). */
    public boolean statusChanged() {
        return (changes & (SENT | DELIVERED | FAILED | UNCONFIRMED)) != 0;
    }

    /** Rule 10: the SmsDelivered event for a transition that made this SMS Delivered. */
    public SmsDelivered toSmsDelivered() {
        if (!has(DELIVERED)) {
            throw new IllegalStateException("transition of " + smsId + " is not a delivery");
        }
        return SmsDelivered.newBuilder()
                .setSmsId(smsId)
                .setMessageId(dispatch.messageId())
                .setMsisdn(dispatch.msisdn())
                .setExternalId(dispatch.externalId())
                .setEmail(dispatch.email())
                .setPlatform(dispatch.platform())
                .setProvider(finalReceipt.provider() != null ? finalReceipt.provider() : dispatch.provider())
                .setDispatchedAt(Instant.ofEpochMilli(dispatch.dispatchedAt()))
                .setDeliveredAt(Instant.ofEpochMilli(finalReceipt.finalAt()))
                .setLatencyMs(latencyMs())
                .build();
    }

    /** Dispatch to final receipt, never negative (provider clocks can run behind ours). */
    public long latencyMs() {
        return finalReceipt == null ? 0 : Math.max(0, finalReceipt.finalAt() - dispatch.dispatchedAt());
    }
}
