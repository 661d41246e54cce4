package io.smsreports.lifecycle;

/** Where one dispatched SMS stands. */
public enum Outcome {
    /** Dispatched; no final receipt yet, and the receipt timeout has not passed. */
    PENDING,
    /** Its first final receipt was DELIVERED. */
    DELIVERED,
    /** Its first final receipt was a final failure. */
    FAILED,
    /** No final receipt by the receipt timeout; a final receipt that still arrives moves it on. */
    UNCONFIRMED
}
