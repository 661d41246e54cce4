package io.smsreports.lifecycle;

/** A validated input of the lifecycle, keyed by smsId: a dispatch, a receipt or a decision not to send. */
public sealed interface SmsInput permits SmsInput.Dispatched, SmsInput.Received, SmsInput.NotSentDecided {

    /** A dispatch of the smsId. */
    record Dispatched(Dispatch dispatch) implements SmsInput {
    }

    /** A receipt for the smsId; {@code finalReceipt} is null for an intermediate (ACCEPTED, ENROUTE) receipt. */
    record Received(FinalReceipt finalReceipt) implements SmsInput {
    }

    /** The sender decided not to send the smsId (rule 14). */
    record NotSentDecided(NotSent notSent) implements SmsInput {
    }
}
