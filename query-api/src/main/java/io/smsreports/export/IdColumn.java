package io.smsreports.export;

import io.smsreports.reporting.FailedRecipient;
import java.util.function.Function;

/** The identifier columns a caller may choose for the export, by their API name. */
public enum IdColumn {
    externalId("External ID", FailedRecipient::externalId),
    msisdn("MSISDN", FailedRecipient::msisdn),
    email("Email", FailedRecipient::email);

    private final String header;
    private final Function<FailedRecipient, String> value;

    IdColumn(final String header, final Function<FailedRecipient, String> value) {
        this.header = header;
        this.value = value;
    }

    public String header() {
        return header;
    }

    public String valueOf(final FailedRecipient recipient) {
        return value.apply(recipient);
    }

    /** The same identifier of a recipient not sent to (rule 14). */
    public String valueOf(final io.smsreports.reporting.NotSentRecipient recipient) {
        return switch (this) {
            case externalId -> recipient.externalId();
            case msisdn -> recipient.msisdn();
            case email -> recipient.email();
        };
    }
}
