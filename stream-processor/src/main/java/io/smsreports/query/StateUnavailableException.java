package io.smsreports.query;

/**
 * The state a read needs is not here now: a rebalance is moving it, it is restoring, or processing has not started.
 * Transient by nature: the caller answers 503 with {@code Retry-After}, never 500.
 */
public final class StateUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StateUnavailableException(final String message) {
        super(message);
    }

    public StateUnavailableException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
