package io.smsreports.registry;

/**
 * A schema registry call failed. {@link #httpStatus()} and {@link #errorCode()} carry the registry's answer
 * (Confluent error codes, e.g. 40403 "schema not found"); both are 0 when no answer was received.
 */
public class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(final String message, final int httpStatus, final int errorCode) {
        this(message, httpStatus, errorCode, null);
    }

    public SchemaRegistryException(final String message, final int httpStatus, final int errorCode, final Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The HTTP status of the registry's answer, or 0. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's error code (e.g. 40401, 409, 42201), or 0. */
    public int errorCode() {
        return errorCode;
    }
}
