package io.smsreports.lifecycle;

import java.time.Duration;
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
 *   <li>Receipts that arrive before their dispatch are held, for at least the finalization window, and
 *       applied when the dispatch arrives.</li>
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
 * backlog after an outage gives the counts a live run would have given, and tests are deterministic. The
 * idle advance keeps a quiet partition from never timing anything out.
 *
 * <p>Deadlines: an undispatched holding state becomes orphaned at {@code heldSince + hold}; a pending SMS
 * becomes Unconfirmed at {@code dispatchedAt + receiptTimeout}; a dispatched SMS is forgotten at
 * {@code dispatchedAt + retention}. A deadline applies when the clock reaches it, whether a punctuation
 * finds it in the expiry index or an input for that smsId arrives first.
 */
public final class SmsLifecycle {

    private final long receiptTimeoutMs;
    private final long holdMs;
    private final long retentionMs;

    /**
     * @param receiptTimeout how long after dispatch an SMS without a final receipt becomes Unconfirmed
     * @param hold           how long receipts wait for their dispatch before becoming orphans
     * @param retention      how long after dispatch the SMS's state is kept (and a late final still counts)
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
     * @param state          the new state, or null when the smsId's state is to be deleted
     * @param transition     what changed for the reports, or null when nothing did
     * @param orphanReceipts receipts that became orphans in this step (rule 7)
     * @param stateChanged   whether {@code state} differs from the stored one
     */
    public record Step(SmsState state, Transition transition, int orphanReceipts, boolean stateChanged) {
        static Step unchanged(final SmsState state) {
            return new Step(state, null, 0, false);
        }
    }

    /** Rules 1 and 4: the first dispatch counts as Sent and applies any held receipts; a repeat changes nothing. */
    public Step onDispatch(final String smsId, final SmsState current, final Dispatch dispatch, final long now) {
        if (current != null && current.isDispatched()) {
            return Step.unchanged(current); // rule 1: a repeated dispatch of one smsId counts once
        }
        final Changes changes = new Changes(Transition.SENT);
        SmsState state = SmsState.dispatched(dispatch, current == null ? Long.MAX_VALUE : current.indexedAt());
        if (current != null) {
            // rule 4: receipts held before the dispatch are applied now, as if they had arrived after it
            final Held held = current.held();
            changes.duplicates += held.duplicates();
            changes.conflicts += held.conflicts();
            if (held.firstFinal() != null) {
                final boolean arrivedAfterTimeout = held.firstFinalAt() >= timeoutAt(dispatch);
                if (arrivedAfterTimeout) {
                    state = timeOut(state, changes);
                }
                state = applyFirstFinal(state, held.firstFinal(), changes);
            }
        }
        if (state.outcome() == Outcome.PENDING && now >= timeoutAt(dispatch)) {
            state = timeOut(state, changes); // rule 5, for a dispatch that arrives after its own timeout
        }
        return new Step(state, changes.transition(smsId, state), 0, true);
    }

    /** Rules 2, 3, 4 and 5 for one receipt. {@code finalReceipt} is null for an intermediate receipt. */
    public Step onReceipt(final String smsId, final SmsState current, final FinalReceipt finalReceipt, final long now) {
        if (current == null || !current.isDispatched()) {
            // rule 4: no dispatch yet, hold the receipt
            final Held held = current == null ? Held.startingAt(now) : current.held();
            final SmsState holding = new SmsState(null, Outcome.PENDING, null, held.add(finalReceipt, now),
                    current == null ? Long.MAX_VALUE : current.indexedAt());
            return new Step(holding, null, 0, true);
        }
        final Changes changes = new Changes(0);
        SmsState state = current;
        if (state.outcome() == Outcome.PENDING && now >= timeoutAt(state.dispatch())) {
            state = timeOut(state, changes); // rule 5: the timeout passed before this receipt
        }
        if (finalReceipt == null) {
            // rule 3: an intermediate receipt counts nothing and never overrides a final status
            return changes.changes == 0 ? Step.unchanged(current) : new Step(state, changes.transition(smsId, state), 0, true);
        }
        if (state.outcome() == Outcome.DELIVERED || state.outcome() == Outcome.FAILED) {
            // rule 2: the first final receipt stands; later ones are reconciliation counts only
            if (state.finalReceipt().outcome() == finalReceipt.outcome()) {
                changes.duplicates++;
            } else {
                changes.conflicts++;
            }
            return new Step(state, changes.transition(smsId, state), 0, changes.changes != 0);
        }
        state = applyFirstFinal(state, finalReceipt, changes);
        return new Step(state, changes.transition(smsId, state), 0, true);
    }

    /** Rules 5 and 7 and retention, when the clock reaches a state's deadline. */
    public Step onTime(final String smsId, final SmsState current, final long now) {
        if (!current.isDispatched()) {
            if (now >= current.held().heldSince() + holdMs) {
                return new Step(null, null, current.held().receipts(), true); // rule 7: orphans
            }
            return Step.unchanged(current);
        }
        final Changes changes = new Changes(0);
        SmsState state = current;
        if (state.outcome() == Outcome.PENDING && now >= timeoutAt(state.dispatch())) {
            state = timeOut(state, changes); // rule 5
        }
        if (now >= state.dispatch().dispatchedAt() + retentionMs) {
            return new Step(null, changes.transition(smsId, state), 0, true); // state is bounded: forget the SMS
        }
        return changes.changes == 0 ? Step.unchanged(current) : new Step(state, changes.transition(smsId, state), 0, true);
    }

    /** When this state next needs the clock's attention: the orphan, timeout or retention deadline. */
    public long nextDeadline(final SmsState state) {
        if (!state.isDispatched()) {
            return state.held().heldSince() + holdMs;
        }
        if (state.outcome() == Outcome.PENDING) {
            return timeoutAt(state.dispatch());
        }
        return state.dispatch().dispatchedAt() + retentionMs;
    }

    private long timeoutAt(final Dispatch dispatch) {
        return dispatch.dispatchedAt() + receiptTimeoutMs;
    }

    private static SmsState timeOut(final SmsState state, final Changes changes) {
        changes.changes |= Transition.UNCONFIRMED;
        return state.withOutcome(Outcome.UNCONFIRMED, null);
    }

    /** Rule 2 (and 5 when it resolves an Unconfirmed): the first final receipt decides the outcome. */
    private static SmsState applyFirstFinal(final SmsState state, final FinalReceipt receipt, final Changes changes) {
        if (state.outcome() == Outcome.UNCONFIRMED) {
            changes.changes |= Transition.LATE;
        }
        changes.changes |= receipt.delivered() ? Transition.DELIVERED : Transition.FAILED;
        changes.finalReceipt = receipt;
        return state.withOutcome(receipt.outcome(), receipt);
    }

    /** Accumulates what changed during one step. */
    private static final class Changes {
        int changes;
        int duplicates;
        int conflicts;
        FinalReceipt finalReceipt;

        Changes(final int changes) {
            this.changes = changes;
        }

        Transition transition(final String smsId, final SmsState state) {
            if (changes == 0 && duplicates == 0 && conflicts == 0) {
                return null;
            }
            return new Transition(smsId, state.dispatch(), state.outcome(), finalReceipt, changes, duplicates, conflicts);
        }
    }
}
