package io.smsreports.api.auth;

/** Who made a request: the token's name and role (never the token). */
public record Principal(String name, Role role) {
}
