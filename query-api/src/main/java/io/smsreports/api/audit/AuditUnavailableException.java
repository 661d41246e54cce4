package io.smsreports.api.audit;

/**
 * The audit trail cannot be written now (a transient fault of the broker or the topic): the read of personal data
 * it was to record is refused, answered 503 with {@code Retry-After}.
 */
public final class AuditUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuditUnavailableException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
