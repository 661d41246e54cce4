package io.smsreports.topology;

/** An input record that breaks the contract: it goes to the dead-letter topic with this message. */
public class InvalidRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidRecordException(final String message) {
        super(message);
    }
}
