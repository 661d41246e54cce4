package io.smsreports.lifecycle;

/** A validated input of the lifecycle, keyed by smsId: a dispatch or a receipt. */
public sealed interface SmsInput permits SmsInput.Dispatched, SmsInput.Received {

    /** A dispatch of the smsId. */
    record Dispatched(Dispatch dispatch) implements SmsInput {
    }

    /** A receipt for the smsId; {@code finalReceipt} is null for an intermediate (ACCEPTED, ENROUTE) receipt. */
    record Received(FinalReceipt finalReceipt) implements SmsInput {
    }
}
