package io.smsreports.api.auth;

/** A request without the right to a route: 401 (no valid token) or 403 (its role is too low), in the API's error shape. */
public final class AccessDenied extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;

    AccessDenied(final int status, final String error, final String detail) {
        super(detail);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
