package io.smsreports.registry;

/** The subject's compatibility level rejected the schema (HTTP 409). The message lists the incompatibilities. */
public class IncompatibleSchemaException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public IncompatibleSchemaException(final String message) {
        super(message, 409, ErrorCodes.INCOMPATIBLE_SCHEMA);
    }
}
