package io.smsreports.api.auth;

/** What a route requires. */
public enum Access {
    /** Anyone: liveness, readiness, metrics (no data). */
    PUBLIC,
    /** Another instance of this service: the shared cluster secret, never a user token. */
    CLUSTER,
    /** A user token with at least the viewer role: figures without personal data. */
    VIEWER,
    /** A user token with at least the analyst role: personal data. */
    ANALYST,
    /** A user token with the admin role: operations. */
    ADMIN;

    /** The role this access needs, for user routes. */
    public Role role() {
        return switch (this) {
            case VIEWER -> Role.VIEWER;
            case ANALYST -> Role.ANALYST;
            case ADMIN -> Role.ADMIN;
            default -> throw new IllegalStateException(this + " is not a user role");
        };
    }
}
