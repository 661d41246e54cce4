package io.smsreports.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
 *       receipt timeout), and applied when the dispatch arrives.</li>
 *   <li>Unconfirmed = no final receipt when the receipt timeout (after {@code dispatchedAt}) passes; a final
 *       receipt that still arrives while the SMS is retained moves it to Delivered/Failed, as a late receipt.</li>
 *   <li>Pending = Sent − Delivered − Failed − Unconfirmed: derived by the reports, never stored.</li>
 *   <li>Receipts for an smsId still not dispatched when the hold ends are orphans, counted globally.</li>
 *   <li>Hourly buckets: the reports bucket SENT by {@code dispatchedAt} and DELIVERED/FAILED by
 *       {@link FinalReceipt#finalAt()}, both carried by the transition.</li>
 *   <li>Platform breakdown: every transition carries the dispatch's platform.</li>
 *   <li>SmsDelivered: emitted from the one transition per smsId that carries {@link Transition#DELIVERED}.</li>
 * </ol>
 *
 * <p><b>Time.</b> "Now" is the lifecycle clock: the task's stream time (the largest record timestamp it has
 * processed), advanced by wall-clock time only while the task is idle (see {@link LifecycleClock}). Stream
 * time makes the outcome a function of the data, not of when it happens to be processed: replaying a
 * backlog after an outage gives the counts a live run would have given, and tests are deterministic.
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

    /**
     * @param receiptTimeout how long after dispatch an SMS without a final receipt becomes Unconfirmed
     * @param hold           how long receipts wait for their dispatch before they are orphans (≥ receiptTimeout)
     * @param retention      how long after dispatch the SMS's state is kept (≥ receiptTimeout)
     */
    public SmsLifecycle(final Duration receiptTimeout, final Duration hold, final Duration retention) {
        Objects.requireNonNull(receiptTimeout, "receiptTimeout");
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
     */
    public record Step(SmsState state, List<Transition> transitions, int orphanReceipts, boolean duplicateDispatch) {
        public Step {
            transitions = List.copyOf(transitions);
        }
    }

    /** Rules 1 and 4: the first dispatch counts as Sent and applies any held receipts; a repeat changes nothing. */
    public Step onDispatch(final String smsId, final SmsState stored, final Dispatch dispatch, final long now) {
        final Work work = catchUp(smsId, stored, now);
        if (work.state != null && work.state.isDispatched()) {
            return work.step(true); // rule 1: a repeated dispatch of one smsId counts once
        }
        final SmsState holding = work.state;
        work.state = SmsState.dispatched(dispatch, holding == null ? Long.MAX_VALUE : holding.indexedAt());
        work.changes.dispatch = dispatch;
        work.changes.flags |= Transition.SENT;
        if (holding != null) {
            // rule 4: receipts held before the dispatch are applied now, as if they had arrived after it
            final Held held = holding.held();
            work.changes.duplicates += held.duplicates();
            work.changes.conflicts += held.conflicts();
            if (held.firstFinal() != null) {
                if (held.firstFinalAt() >= timeoutAt(dispatch)) {
                    work.timeOut(); // rule 5: that final itself arrived after the timeout
                }
                work.applyFirstFinal(held.firstFinal());
            }
        }
        if (work.state.outcome() == Outcome.PENDING && now >= timeoutAt(dispatch)) {
            work.timeOut(); // rule 5, for a dispatch that arrives after its own timeout
        }
        return work.step(false);
    }

    /** Rules 2, 3, 4 and 5 for one receipt. {@code finalReceipt} is null for an intermediate receipt. */
    public Step onReceipt(final String smsId, final SmsState stored, final FinalReceipt finalReceipt, final long now) {
        final Work work = catchUp(smsId, stored, now);
        final SmsState state = work.state;
        if (state == null || !state.isDispatched()) {
            // rule 4: no dispatch yet, hold the receipt
            final Held held = state == null ? Held.startingAt(now) : state.held();
            work.state = SmsState.holding(held.add(finalReceipt, now), state == null ? Long.MAX_VALUE : state.indexedAt());
            return work.step(false);
        }
        if (finalReceipt == null) {
            return work.step(false); // rule 3: an intermediate receipt counts nothing and never overrides a final
        }
        if (state.outcome() == Outcome.DELIVERED || state.outcome() == Outcome.FAILED) {
            // rule 2: the first final receipt stands; later ones are reconciliation counts only
            work.changes.dispatch = state.dispatch();
            if (state.finalReceipt().outcome() == finalReceipt.outcome()) {
                work.changes.duplicates++;
            } else {
                work.changes.conflicts++;
            }
            return work.step(false);
        }
        work.applyFirstFinal(finalReceipt); // rule 2 (and rule 5 when it resolves an Unconfirmed)
        return work.step(false);
    }

    /** Applies whatever deadlines the clock has reached (rules 5 and 7, retention); for punctuations. */
    public Step onTime(final String smsId, final SmsState stored, final long now) {
        return catchUp(smsId, stored, now).step(false);
    }

    /** When this state next needs the clock's attention: its orphan, timeout or retention deadline. */
    public long nextDeadline(final SmsState state) {
        if (!state.isDispatched()) {
            return state.held().heldSince() + holdMs;
        }
        if (state.outcome() == Outcome.PENDING) {
            return timeoutAt(state.dispatch());
        }
        return state.dispatch().dispatchedAt() + retentionMs;
    }

    /** Brings a stored state up to the clock: rules 7 and 5, then retention. */
    private Work catchUp(final String smsId, final SmsState stored, final long now) {
        final Work work = new Work(smsId, stored);
        if (stored == null) {
            return work;
        }
        if (!stored.isDispatched()) {
            if (now >= stored.held().heldSince() + holdMs) {
                work.orphans = stored.held().receipts(); // rule 7: the hold ended without a dispatch
                work.state = null;
            }
            return work;
        }
        if (stored.outcome() == Outcome.PENDING && now >= timeoutAt(stored.dispatch())) {
            work.timeOut(); // rule 5
        }
        if (now >= stored.dispatch().dispatchedAt() + retentionMs) {
            work.flush(); // the Unconfirmed change, if any, belongs to the SMS being forgotten
            work.state = null; // state is bounded: forget the SMS
        }
        return work;
    }

    private long timeoutAt(final Dispatch dispatch) {
        return dispatch.dispatchedAt() + receiptTimeoutMs;
    }

    /** What one step is doing to one smsId. */
    private static final class Work {
        final String smsId;
        SmsState state;
        Changes changes = new Changes();
        Transition forgotten;
        int orphans;

        Work(final String smsId, final SmsState stored) {
            this.smsId = smsId;
            this.state = stored;
        }

        void timeOut() {
            changes.dispatch = state.dispatch();
            changes.flags |= Transition.UNCONFIRMED;
            state = state.withOutcome(Outcome.UNCONFIRMED, null);
        }

        void applyFirstFinal(final FinalReceipt receipt) {
            changes.dispatch = state.dispatch();
            if (state.outcome() == Outcome.UNCONFIRMED) {
                changes.flags |= Transition.LATE;
            }
            changes.flags |= receipt.delivered() ? Transition.DELIVERED : Transition.FAILED;
            changes.finalReceipt = receipt;
            state = state.withOutcome(receipt.outcome(), receipt);
        }

        /** Closes the changes of the state being forgotten, so that a new state can start. */
        void flush() {
            forgotten = changes.transition(smsId, state);
            changes = new Changes();
        }

        Step step(final boolean duplicateDispatch) {
            final List<Transition> transitions = new ArrayList<>(2);
            if (forgotten != null) {
                transitions.add(forgotten);
            }
            final Transition current = changes.transition(smsId, state);
            if (current != null) {
                transitions.add(current);
            }
            return new Step(state, transitions, orphans, duplicateDispatch);
        }
    }

    /** Accumulates what changed for one dispatched SMS during one step. */
    private static final class Changes {
        Dispatch dispatch;
        int flags;
        int duplicates;
        int conflicts;
        FinalReceipt finalReceipt;

        Transition transition(final String smsId, final SmsState state) {
            if (flags == 0 && duplicates == 0 && conflicts == 0) {
                return null;
            }
            return new Transition(smsId, dispatch, state.outcome(), finalReceipt, flags, duplicates, conflicts);
        }
    }
}
