package io.smsreports.query;

import io.smsreports.reporting.PersonProfile;

/** A stored profile and the day (epoch millis) it was stored under; the latest day wins. */
public record PersonHit(PersonProfile profile, long day) {
}
