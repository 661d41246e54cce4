package io.smsreports.smpp;

/** The text is not an SMPP 3.4 delivery receipt; the message names the field and the offending value. */
public class SmppReceiptParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SmppReceiptParseException(final String message) {
        super(message);
    }
}
