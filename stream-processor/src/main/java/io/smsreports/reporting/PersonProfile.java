package io.smsreports.reporting;

/** A person's identifiers as last seen on a dispatch. */
public record PersonProfile(String personId, String externalId, String msisdn, String email) {
}
