package io.smsreports.reporting;

/** Rule 11: what kind of problem made an SMS fail (the seed's four kinds of fail reason, and UNKNOWN). */
public enum FailureCategory {
    /** The provider or the mobile network could not deliver now (absent handset, congestion, expiry). */
    PROVIDER,
    /** The message itself was refused (length, format, validity, content). */
    VALIDATION,
    /** Our side's setup (sender id, account, credentials) made the provider refuse it. */
    CONFIGURATION,
    /** The recipient's data is wrong (unknown or invalid number, no SMS service). */
    DATA,
    /** Nothing in the table says. */
    UNKNOWN
}
