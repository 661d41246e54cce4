package io.smsreports.registry;

/** The registry could not parse the schema, or a parameter was invalid (HTTP 422). */
public class InvalidSchemaException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public InvalidSchemaException(final String message, final int errorCode) {
        super(message, 422, errorCode);
    }
}
