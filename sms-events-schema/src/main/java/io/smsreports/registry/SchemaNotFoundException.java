package io.smsreports.registry;

/** A subject, version or schema does not exist (HTTP 404; error codes 40401, 40402, 40403). */
public class SchemaNotFoundException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public SchemaNotFoundException(final String message, final int errorCode) {
        super(message, 404, errorCode);
    }
}
