package io.smsreports.registry;

/** The registry could not be reached, or kept answering with server errors, after every retry. */
public class RegistryUnavailableException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(final String message, final int httpStatus, final Throwable cause) {
        super(message, httpStatus, 0, cause);
    }
}
