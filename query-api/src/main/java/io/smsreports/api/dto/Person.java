package io.smsreports.api.dto;

/** A person: the id to ask for their messages, and their identifiers as last seen ({@code GET /people}). */
public record Person(String personId, String externalId, String msisdn, String email) {
}
