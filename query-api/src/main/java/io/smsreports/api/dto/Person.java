package io.smsreports.api.dto;

import java.time.Instant;

/**
 * A person: the id to ask for their messages, and their identifiers as last seen ({@code GET /people},
 * {@code GET /people/{personId}}).
 *
 * @param optedOutAt when the person last replied with a stop keyword (rule 17), within the history retention; null when never
 */
public record Person(String personId, String externalId, String msisdn, String email, Instant optedOutAt) {
}
