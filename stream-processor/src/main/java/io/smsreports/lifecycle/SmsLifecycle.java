package io.smsreports.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The counting rules of DESIGN.md, for one smsId: a pure state machine from (state, input, clock) to
 * (new state, what changed). The Kafka side ({@link LifecycleProcessor}) stores the states and forwards the
 * {@link Transition}s; the reports only add them up. This class is where each rule is implemented:
 *
 * <ol>
 *   <li>Sent = distinct smsIds dispatched: only the first dispatch of an smsId counts ({@link #onDispatch}).</li>
 *   <li>Delivered/Failed = the outcome of the <em>first</em> final receipt; later finals count as duplicate
 *       (same outcome) or conflicting (other outcome) receipts and change no count ({@link #onReceipt}).</li>
 *   <li>Intermediate receipts (ACCEPTED, ENROUTE) count nothing and never override a final status.</li>
 *   <li>Receipts that arrive before their dispatch are held, for at least the finalization window (the
 *       receipt timeout) from their own arrival, and applied when the dispatch arrives.</li>
 *   <li>Unconfirmed = no final receipt when the receipt timeout (after {@code dispatchedAt}) passes; a final
 *       receipt that still arrives while the SMS is retained moves it to Delivered/Failed. It is a late receipt when its
 *       own time ({@code finalAt}) is past the timeout, whenever it is processed (rule 13).</li>
 *   <li>Pending = Sent − Delivered − Failed − Unconfirmed: derived by the reports, never stored.</li>
 *   <li>Receipts for an smsId still not dispatched when the hold ends are orphans, counted globally.</li>
 *   <li>Hourly buckets: the reports bucket SENT by {@code dispatchedAt} and DELIVERED/FAILED by
 *       {@link FinalReceipt#finalAt()}, both carried by the transition.</li>
 *   <li>Platform breakdown: every transition carries the dispatch's platform.</li>
 *   <li>SmsDelivered: emitted from the one transition per smsId that carries {@link Transition#DELIVERED}.</li>
 * </ol>
 *
 * <p><b>Time (rule 13).</b> "Now" is the task's {@link Watermark}: the lowest time its inputs have reached (an input
 * caught up and silent for a while stops holding it back). Each deadline is judged on it, and every other time is the
 * data's own: when a receipt or a dispatch arrived is its record's time, whether a receipt is late is its own
 * {@code finalAt}. So the outcome of an SMS is a function of the data, not of the order in which the two inputs happen
 * to be processed: dispatches first, receipts first, merged by time or replayed after a crash, the counts are the same.
 *
 * <p><b>Stale inputs.</b> A dispatch whose SMS would already be forgotten (its {@code dispatchedAt} is a retention behind
 * the watermark), or a receipt that arrived that long ago for an SMS not held here, cannot be told apart from a replay of
 * what was counted before (offsets reset with the state kept): it is counted as stale and changes nothing else.
 *
 * <p><b>Deadlines.</b> A holding state (receipts, no dispatch) is orphaned at {@code heldSince + hold}; a
 * pending SMS becomes Unconfirmed at {@code dispatchedAt + receiptTimeout}; a dispatched SMS is forgotten at
 * {@code dispatchedAt + retention}. A deadline takes effect as soon as the clock reaches it: every input
 * first brings its smsId's state up to the clock, and a punctuation does so for states nobody touches. So
 * the state of an SMS at clock {@code c} never depends on when punctuations happened to run.
 */
public final class SmsLifecycle {

    private final long receiptTimeoutMs;
    private final long holdMs;
    private final long retentionMs;
    private final Function<Dispatch, Price> tariff;

    /**
     * @param receiptTimeout how long after dispatch an SMS without a final receipt becomes Unconfirmed
     * @param hold           how long receipts wait for their dispatch before they are orphans (≥ receiptTimeout)
     * @param retention      how long after dispatch the SMS's state is kept (≥ receiptTimeout)
     */
    public SmsLifecycle(final Duration receiptTimeout, final Duration hold, final Duration retention) {
        this(receiptTimeout, hold, retention, d -> null);
    }

    /** @param tariff the configured price of a dispatch that carries none (rule 15), or null when no tariff applies */
    public SmsLifecycle(final Duration receiptTimeout, final Duration hold, final Duration retention,
            final Function<Dispatch, Price> tariff) {
        Objects.requireNonNull(receiptTimeout, "receiptTimeout");
        this.tariff = Objects.requireNonNull(tariff, "tariff");
        Objects.requireNonNull(hold, "hold");
        Objects.requireNonNull(retention, "retention");
        if (receiptTimeout.isNegative() || receiptTimeout.isZero()) {
            throw new IllegalArgumentException("receipt timeout must be positive");
        }
        if (hold.compareTo(receiptTimeout) < 0) {
            throw new IllegalArgumentException("the early-receipt hold (" + hold + ") must be at least the receipt timeout ("
                    + receiptTimeout + "), the finalization window (rule 4)");
        }
        if (retention.compareTo(receiptTimeout) < 0) {
            throw new IllegalArgumentException("the SMS retention (" + retention + ") must be at least the receipt timeout ("
                    + receiptTimeout + ")");
        }
        this.receiptTimeoutMs = receiptTimeout.toMillis();
        this.holdMs = hold.toMillis();
        this.retentionMs = retention.toMillis();
    }

    /**
     * The result of one step.
     *
     * @param state              the new state, or null when the smsId's state is to be deleted
     * @param transitions        what changed for the reports, in order: usually none or one; two when an SMS past
     *                           its retention was forgotten and the same smsId was dispatched again
     * @param orphanReceipts     receipts that became orphans in this step (rule 7)
     * @param duplicateDispatch  whether the input was a repeated dispatch (rule 1)
     * @param stale              whether the input was older than the SMS retention and ignored (see the class comment)
     */
    public record Step(SmsState state, List<Transition> transitions, int orphanReceipts, boolean duplicateDispatch, boolean stale,
            int orphanClicks) {
        public Step {
            transitions = List.copyOf(transitions);
        }
    }

    /**
     * Rules 1 and 4: the first dispatch counts as Sent and applies any held receipts; a repeat changes nothing.
     *
     * @param dispatch the dispatch, with {@link Dispatch#publishedAt()} its record's time
     * @param now      the watermark
     */
    public Step onDispatch(final String smsId, final SmsState stored, final Dispatch dispatch, final long now) {
        final Work work = catchUp(smsId, stored, now);
        if (work.state != null && work.state.isDispatched()) {
            if (dispatch.dispatchedAt() < work.state.dispatch().dispatchedAt() + retentionMs) {
                return work.step(true); // rule 1: a repeated dispatch of one smsId counts once
            }
            work.forget(); // the id used again after the first SMS's retention: that one is forgotten, whatever the order
        }
        if (now >= dispatch.dispatchedAt() + retentionMs) {
            return work.stale(); // rule 13: forgotten already, or never to be counted again
        }
        final SmsState holding = work.state;
        work.state = SmsState.dispatched(dispatch, holding == null ? Long.MAX_VALUE : holding.indexedAt(), null, false);
        if (holding != null && holding.notSent() != null) {
            if (sameSms(dispatch, holding.notSent())) {
                work.uncountNotSent(holding.notSent()); // rule 14: dispatched after all, so Sent and not "not sent"
            } else {
                work.state = work.state.withNotSent(holding.notSent()); // another use of the id: both count
            }
        }
        work.changes.dispatch = dispatch;
        work.changes.flags |= Transition.SENT;
        work.priceAtDispatch(dispatch);
        if (holding != null && holding.held() != null) {
            final Held[] mineAndLater = holding.held().splitAt(dispatch.dispatchedAt() + retentionMs);
            if (mineAndLater[1] != null) {
                // rule 13: receipts that arrived after this SMS's retention are not its own; they keep waiting
                work.state = work.state.withHeld(mineAndLater[1]);
            }
            if (mineAndLater[0] != null) {
                // rule 4: receipts held before the dispatch are applied now, in the order they came, as if after it
                for (final Held.Entry entry : mineAndLater[0].entries()) {
                    if (entry.finalReceipt() != null) {
                        work.applyFinal(entry.finalReceipt(), Math.max(entry.arrivedAt(), dispatch.knownAt()), timeoutAt(dispatch));
                    }
                }
            }
        }
        if (holding != null && !holding.heldClicks().isEmpty()) {
            // rule 16: clicks held before the dispatch are counted now, in the order they came; those after its retention wait
            final List<Click> later = new ArrayList<>();
            for (final Click click : holding.heldClicks()) {
                if (click.arrivedAt() < dispatch.dispatchedAt() + retentionMs) {
                    work.countClick(click);
                } else {
                    later.add(click);
                }
            }
            if (!later.isEmpty()) {
                work.state = work.state.withClicks(work.state.clickLog().withHeld(later));
            }
        }
        return timedOutIfDue(work, dispatch, now).step(false);
    }

    /**
     * Rule 16 for one click: counted once per clickId for its dispatched SMS (a human click in {@code totalClicks}, the SMS's
     * first human click in {@code uniqueClicks}, the same per link; a bot's in {@code botClicks} only); before the dispatch it is
     * held like a receipt (rule 4), then an orphan (rule 7).
     *
     * @param click the click, {@link Click#arrivedAt()} its record's guarded time
     * @param now   the watermark
     */
    public Step onClick(final String smsId, final SmsState stored, final Click click, final long now) {
        final Work work = catchUp(smsId, stored, now);
        final SmsState state = work.state;
        if (state == null && now >= click.arrivedAt() + retentionMs) {
            return work.stale(); // rule 13: its SMS, if it had one, is forgotten already (a replay)
        }
        if (state != null && state.clickLog().seen(click.clickId())) {
            return work.step(false); // rule 16: a click counts once per clickId
        }
        if (state != null && state.isDispatched() && click.arrivedAt() < state.dispatch().dispatchedAt() + retentionMs) {
            work.countClick(click);
            return work.step(false);
        }
        // no dispatch yet, or it arrived after this SMS's retention (not its click in any order): it waits
        work.state = state == null ? SmsState.undispatched(null, null, List.of(click), Long.MAX_VALUE)
                : state.withClicks(state.clickLog().hold(click));
        return work.step(false);
    }

    private Work timedOutIfDue(final Work work, final Dispatch dispatch, final long now) {
        if (work.state.outcome() == Outcome.PENDING && now >= timeoutAt(dispatch)) {
            work.timeOut(); // rule 5, for a dispatch that arrives after its own timeout
        }
        return work;
    }

    /**
     * Rules 2, 3, 4 and 5 for one receipt.
     *
     * @param finalReceipt the receipt when final, null for an intermediate receipt
     * @param arrivedAt    when it arrived: its record's time (guarded)
     * @param now          the watermark
     */
    public Step onReceipt(final String smsId, final SmsState stored, final FinalReceipt finalReceipt, final long arrivedAt,
            final long now) {
        final Work work = catchUp(smsId, stored, now);
        final SmsState state = work.state;
        if (state == null && now >= arrivedAt + retentionMs) {
            return work.stale(); // rule 13: its SMS, if it had one, is forgotten already (a replay)
        }
        if (state == null || !state.isDispatched()) {
            // rule 4: no dispatch yet, hold the receipt
            work.state = state == null ? SmsState.undispatched(Held.of(finalReceipt, arrivedAt), null, List.of(), Long.MAX_VALUE)
                    : SmsState.undispatched(state.held() == null ? Held.of(finalReceipt, arrivedAt) : state.held().add(finalReceipt, arrivedAt),
                            state.notSent(), state.heldClicks(), state.indexedAt());
            return work.step(false);
        }
        if (arrivedAt >= state.dispatch().dispatchedAt() + retentionMs) {
            // rule 13: it arrived after this SMS's retention, so it is not its receipt in any order of processing
            work.state = state.withHeld(state.held() == null ? Held.of(finalReceipt, arrivedAt) : state.held().add(finalReceipt, arrivedAt));
            return work.step(false);
        }
        if (finalReceipt == null) {
            return work.step(false); // rule 3: an intermediate receipt counts nothing and never overrides a final
        }
        work.applyFinal(finalReceipt, Math.max(arrivedAt, state.dispatch().knownAt()), timeoutAt(state.dispatch()));
        return work.step(false);
    }

    /**
     * Rule 14 for one decision not to send. It counts as not sent unless a dispatch of the same SMS (the two within a
     * retention of each other) is known, now or later: then the smsId is Sent and the decision changes nothing. Of several
     * decisions for one smsId the {@linkplain NotSent#LATEST latest} counts, whatever the order they are processed in.
     *
     * @param notSent the decision, its time guarded
     * @param now     the watermark
     */
    public Step onNotSent(final String smsId, final SmsState stored, final NotSent notSent, final long now) {
        final Work work = catchUp(smsId, stored, now);
        if (now >= notSent.decidedAt() + retentionMs) {
            return work.stale(); // rule 13: forgotten already, or never to be counted again
        }
        final SmsState state = work.state;
        if (state != null && state.isDispatched() && sameSms(state.dispatch(), notSent)) {
            return work.step(false); // rule 14: an smsId both not sent and dispatched counts as Sent
        }
        final NotSent current = state == null ? null : state.notSent();
        if (current != null && NotSent.LATEST.compare(notSent, current) <= 0) {
            return work.step(false); // the same decision again, or an earlier one
        }
        if (current != null) {
            work.uncountNotSent(current);
        }
        work.countNotSent(notSent);
        work.state = state == null ? SmsState.undispatched(null, notSent, List.of(), Long.MAX_VALUE) : state.withNotSent(notSent);
        return work.step(false);
    }

    /** Whether a dispatch and a decision not to send are about the same SMS: a retention apart or less. */
    private boolean sameSms(final Dispatch dispatch, final NotSent notSent) {
        return Math.abs(dispatch.dispatchedAt() - notSent.decidedAt()) < retentionMs;
    }

    /** Applies whatever deadlines the clock has reached (rules 5 and 7, retention); for punctuations. */
    public Step onTime(final String smsId, final SmsState stored, final long now) {
        return catchUp(smsId, stored, now).step(false);
    }

    /**
     * When this state next needs the clock's attention: its orphan, timeout or retention deadline (receipts held after a
     * dispatched SMS's retention wait for it to be forgotten first).
     */
    public long nextDeadline(final SmsState state) {
        if (!state.isDispatched()) {
            final long notSentForgotten = state.notSent() == null ? Long.MAX_VALUE : state.notSent().decidedAt() + retentionMs;
            final long clicksOrphaned = state.heldClicks().isEmpty() ? Long.MAX_VALUE : state.clickLog().heldSince() + holdMs;
            return Math.min(state.held() == null ? notSentForgotten : Math.min(state.held().heldSince() + holdMs, notSentForgotten),
                    clicksOrphaned);
        }
        if (state.outcome() == Outcome.PENDING) {
            return timeoutAt(state.dispatch());
        }
        return state.dispatch().dispatchedAt() + retentionMs;
    }

    /** Brings a stored state up to the clock: rules 5, then retention, then rule 7. */
    private Work catchUp(final String smsId, final SmsState stored, final long now) {
        final Work work = new Work(smsId, stored);
        if (stored == null) {
            return work;
        }
        if (stored.isDispatched()) {
            if (stored.outcome() == Outcome.PENDING && now >= timeoutAt(stored.dispatch())) {
                work.timeOut(); // rule 5
            }
            if (now >= stored.dispatch().dispatchedAt() + retentionMs) {
                work.forget(); // state is bounded
            }
        }
        while (work.state != null && !work.state.isDispatched() && work.state.held() != null
                && now >= work.state.held().heldSince() + holdMs) {
            // rule 7: the hold of the earliest receipts ended without a dispatch; later ones may still be waiting
            final Held[] groupAndRest = work.state.held().firstGroup(holdMs);
            work.orphans += groupAndRest[0].receipts();
            work.state = SmsState.undispatched(groupAndRest[1], work.state.notSent(), work.state.heldClicks(), work.state.indexedAt());
        }
        if (work.state != null && !work.state.isDispatched() && work.state.notSent() != null
                && now >= work.state.notSent().decidedAt() + retentionMs) {
            // rule 14: a decision kept a retention, so that a dispatch of the same SMS still cancels it; it stays counted
            work.state = SmsState.undispatched(work.state.held(), null, work.state.heldClicks(), work.state.indexedAt());
        }
        if (work.state != null && !work.state.isDispatched() && !work.state.heldClicks().isEmpty()
                && now >= work.state.clickLog().heldSince() + holdMs) {
            // rule 16: clicks whose hold ended without a dispatch are orphans, like receipts (rule 7)
            final List<Click> waiting = new ArrayList<>();
            for (final Click click : work.state.heldClicks()) {
                if (now >= click.arrivedAt() + holdMs) {
                    work.orphanClicks++;
                } else {
                    waiting.add(click);
                }
            }
            work.state = SmsState.undispatched(work.state.held(), work.state.notSent(), waiting, work.state.indexedAt());
        }
        return work;
    }

    private long timeoutAt(final Dispatch dispatch) {
        return dispatch.dispatchedAt() + receiptTimeoutMs;
    }

    /** What one step is doing to one smsId. */
    private final class Work {
        final String smsId;
        SmsState state;
        Changes changes;
        Transition forgotten;
        /** Rule 14: not-sent decisions counted (+1) or uncounted (−1) in this step, in order. */
        final List<Transition> notSentChanges = new ArrayList<>(1);
        /** Rule 16: clicks counted in this step, in order. */
        final List<Transition> clickChanges = new ArrayList<>(1);
        int orphans;
        int orphanClicks;

        Work(final String smsId, final SmsState stored) {
            this.smsId = smsId;
            this.state = stored;
            this.changes = new Changes(stored);
        }

        /** Rule 15: the dispatch's price, else the tariff's, else unpriced; a price that cannot be used is counted. */
        void priceAtDispatch(final Dispatch dispatch) {
            if (dispatch.badPrice()) {
                changes.badPrices++;
            }
            if (dispatch.price() != null) {
                state = state.withPrice(dispatch.price());
                return;
            }
            final Price tariffed = tariff.apply(dispatch);
            if (tariffed != null) {
                state = new SmsState(state.dispatch(), state.outcome(), state.finalReceipt(), state.held(), state.indexedAt(), tariffed, true,
                        state.notSent(), state.clicks());
            }
        }

        /**
         * Rule 15: a final receipt's price is the SMS's latest (the last one in the receipts' order wins); one that cannot
         * be used, or in another currency than the price the sender or a provider gave, is counted and ignored.
         */
        void priceFromReceipt(final FinalReceipt receipt) {
            if (receipt.badPrice()) {
                changes.badPrices++;
                return;
            }
            final Price price = receipt.price();
            if (price == null) {
                return;
            }
            final Price current = state.price();
            if (current != null && !state.tariffed() && !current.currency().equals(price.currency())) {
                changes.badPrices++;
                return;
            }
            if (!price.equals(current) || state.tariffed()) {
                state = state.withPrice(price);
            }
        }

        /** Counts a click for the dispatched SMS (rule 16): is it its first human click, the first on that link? */
        void countClick(final Click click) {
            final ClickLog log = state.clickLog();
            final boolean human = !click.bot();
            final Transition.ClickChange change = new Transition.ClickChange(click.linkId(), click.url(), click.bot(),
                    human && !log.humanClicked(null), human && !log.humanClicked(click.linkId()));
            state = state.withClicks(log.count(click));
            clickChanges.add(Transition.clicked(smsId, state.dispatch(), state.outcome(), change));
        }

        void countNotSent(final NotSent notSent) {
            notSentChanges.add(Transition.notSent(smsId, notSent, Transition.NOT_SENT));
        }

        void uncountNotSent(final NotSent notSent) {
            notSentChanges.add(Transition.notSent(smsId, notSent, Transition.NOT_SENT_UNDONE));
        }

        void timeOut() {
            changes.dispatch = state.dispatch();
            changes.flags |= Transition.UNCONFIRMED;
            state = state.withOutcome(Outcome.UNCONFIRMED, null);
        }

        /** A final receipt of the dispatched SMS: the first decides (rule 2), later ones are duplicates or conflicts. */
        void applyFinal(final FinalReceipt receipt, final long knownAt, final long timeoutAt) {
            priceFromReceipt(receipt);
            if (state.outcome() == Outcome.DELIVERED || state.outcome() == Outcome.FAILED) {
                changes.dispatch = state.dispatch();
                if (state.finalReceipt().outcome() == receipt.outcome()) {
                    changes.duplicates++;
                } else {
                    changes.conflicts++;
                }
                return;
            }
            applyFirstFinal(receipt, knownAt, timeoutAt);
        }

        /**
         * The first final receipt. Late by its own time (rule 13): a pending SMS times out first, whatever the watermark,
         * so that the counts are those of any order in which the timeout came before it. On time by its own time but
         * after the timeout was judged (a receipt processed late): it resolves the Unconfirmed without being a late receipt.
         */
        private void applyFirstFinal(final FinalReceipt receipt, final long knownAt, final long timeoutAt) {
            final boolean late = receipt.finalAt() >= timeoutAt;
            if (late && state.outcome() == Outcome.PENDING) {
                timeOut();
            }
            changes.dispatch = state.dispatch();
            if (state.outcome() == Outcome.UNCONFIRMED) {
                changes.flags |= late ? Transition.LATE : Transition.LATE | Transition.ON_TIME;
            }
            changes.flags |= receipt.delivered() ? Transition.DELIVERED : Transition.FAILED;
            changes.finalReceipt = receipt;
            changes.knownAt = knownAt;
            state = state.withOutcome(receipt.outcome(), receipt);
        }

        /**
         * Forgets the dispatched SMS (its retention ended): its changes so far close (an Unconfirmed change belongs to it),
         * and the receipts that arrived after its retention, if any, keep waiting on their own.
         */
        void forget() {
            forgotten = changes.transition(smsId, state);
            changes = new Changes(null);
            state = SmsState.undispatched(state.held(), state.notSent(), state.heldClicks(), state.indexedAt());
        }

        Step step(final boolean duplicateDispatch) {
            return step(duplicateDispatch, false);
        }

        /** The input is ignored; what the catch-up did stands. */
        Step stale() {
            return step(false, true);
        }

        private Step step(final boolean duplicateDispatch, final boolean stale) {
            final List<Transition> transitions = new ArrayList<>(2 + notSentChanges.size() + clickChanges.size());
            transitions.addAll(notSentChanges);
            if (forgotten != null) {
                transitions.add(forgotten);
            }
            final Transition current = changes.transition(smsId, state);
            if (current != null) {
                transitions.add(current);
            }
            transitions.addAll(clickChanges);
            return new Step(state, transitions, orphans, duplicateDispatch, stale, orphanClicks);
        }
    }

    /** Accumulates what changed for one dispatched SMS during one step. */
    private static final class Changes {
        /** Where the SMS stood when these changes began (null: not Sent yet). */
        final Outcome outcomeBefore;
        final Price priceBefore;
        Dispatch dispatch;
        int flags;
        int duplicates;
        int conflicts;
        int badPrices;
        FinalReceipt finalReceipt;
        long knownAt;

        Changes(final SmsState before) {
            final boolean sent = before != null && before.isDispatched();
            this.outcomeBefore = sent ? before.outcome() : null;
            this.priceBefore = sent ? before.price() : null;
            if (sent) {
                this.dispatch = before.dispatch();
            }
        }

        Transition transition(final String smsId, final SmsState state) {
            final Price priceAfter = state == null || !state.isDispatched() ? null : state.price();
            if (flags == 0 && duplicates == 0 && conflicts == 0 && badPrices == 0 && Objects.equals(priceBefore, priceAfter)) {
                return null;
            }
            return new Transition(smsId, dispatch, state.outcome(), finalReceipt, flags, duplicates, conflicts, knownAt,
                    (flags & Transition.SENT) != 0 ? null : outcomeBefore, (flags & Transition.SENT) != 0 ? null : priceBefore, priceAfter,
                    badPrices);
        }
    }
}
