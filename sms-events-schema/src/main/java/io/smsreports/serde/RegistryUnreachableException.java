package io.smsreports.serde;

import io.smsreports.registry.ErrorCodes;
import io.smsreports.registry.SchemaNotFoundException;
import io.smsreports.registry.SchemaRegistryException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The schema registry could not answer a question the serde had to ask: it was unreachable, timed out, answered
 * 5xx or 429, refused our credentials (401/403), or answered something that is not a registry answer. The bytes
 * being (de)serialized may well be valid: retry later with the same bytes. Never a reason to dead-letter a record.
 *
 * <p>A {@link RetriableException}, deliberately not a {@code SerializationException}: callers that treat every
 * {@code SerializationException} as poison keep doing the right thing.
 */
public class RegistryUnreachableException extends RetriableException {
    private static final long serialVersionUID = 1L;

    public RegistryUnreachableException(final String message, final Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether a registry failure is transient. Only an answer in which the registry itself says that the thing
     * asked for does not exist (HTTP 404 with a Confluent error code 404xx) is definite; everything else (no
     * answer, 5xx, 429, 401, 403, 408, a 404 from something that is not a registry, a malformed answer) may
     * change when asked again.
     */
    public static boolean isTransient(final SchemaRegistryException e) {
        if (e instanceof SchemaNotFoundException) {
            final int code = e.errorCode();
            return !(code == ErrorCodes.SCHEMA_NOT_FOUND || code == ErrorCodes.SUBJECT_NOT_FOUND
                    || code == ErrorCodes.VERSION_NOT_FOUND);
        }
        final int status = e.httpStatus();
        return status == 0 || status == 200 || status == 401 || status == 403 || status == 408 || status == 429
                || status >= 500;
    }
}
