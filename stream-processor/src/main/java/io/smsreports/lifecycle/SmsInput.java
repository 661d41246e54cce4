package io.smsreports.lifecycle;

/** A validated input of the lifecycle, keyed by smsId: a dispatch, a receipt, a decision not to send or a link click. */
public sealed interface SmsInput permits SmsInput.Dispatched, SmsInput.Received, SmsInput.NotSentDecided,
        SmsInput.Clicked {

    /** A dispatch of the smsId. */
    record Dispatched(Dispatch dispatch) implements SmsInput {
    }

    /** A receipt for the smsId; {@code finalReceipt} is null for an intermediate (ACCEPTED, ENROUTE) receipt. */
    record Received(FinalReceipt finalReceipt) implements SmsInput {
    }

    /** The sender decided not to send the smsId (rule 14). */
    record NotSentDecided(NotSent notSent) implements SmsInput {
    }

    /** A click on one of the smsId's links (rule 16). */
    record Clicked(Click click) implements SmsInput {
    }
}
