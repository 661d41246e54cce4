package io.smsreports.smpp;

import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.ReceiptStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * The fields of an SMPP 3.4 delivery receipt ({@code short_message} of a deliver_sm, Appendix B).
 *
 * @param providerMessageId the {@code id:} field: the provider's message id
 * @param submitted         {@code sub:}, number of messages originally submitted, or null if absent
 * @param delivered         {@code dlvrd:}, number delivered, or null if absent
 * @param submitDate        {@code submit date:}, or null if absent
 * @param doneDate          {@code done date:}, or null if absent
 * @param stat              the raw {@code stat:} value, as received
 * @param status            {@code stat:} mapped per the SMS Reports contract; an unknown value maps to UNKNOWN
 * @param errorCode         {@code err:}, or null if absent
 * @param text              {@code text:}, the first characters of the message, or null if absent
 */
public record SmppReceipt(String providerMessageId, Integer submitted, Integer delivered, Instant submitDate,
        Instant doneDate, String stat, ReceiptStatus status, String errorCode, String text) {

    public SmppReceipt {
        Objects.requireNonNull(providerMessageId, "providerMessageId");
        Objects.requireNonNull(stat, "stat");
        Objects.requireNonNull(status, "status");
    }

    /** Whether {@link #status()} is final (success or failure). */
    public boolean isFinal() {
        return status != ReceiptStatus.ACCEPTED && status != ReceiptStatus.ENROUTE;
    }

    /**
     * The {@link DeliveryReceipt} a gateway publishes for this SMPP receipt: status and raw stat, error code,
     * done time, and for failures a human-readable reason naming the SMPP stat and error.
     *
     * @param smsId      the SMS Reports smsId the gateway mapped the provider's message id to
     * @param provider   the provider that sent the receipt
     * @param receivedAt when the gateway received it
     */
    public DeliveryReceipt toDeliveryReceipt(final String smsId, final String provider, final Instant receivedAt) {
        return DeliveryReceipt.newBuilder()
                .setSmsId(smsId)
                .setProvider(provider)
                .setStatus(status)
                .setProviderStatus(stat)
                .setErrorCode(errorCode)
                .setFailReason(isFinal() && status != ReceiptStatus.DELIVERED ? failReason() : null)
                .setDoneAt(doneDate)
                .setReceivedAt(receivedAt)
                .build();
    }

    private String failReason() {
        final String what = switch (status) {
            case EXPIRED -> "Message expired before it could be delivered";
            case DELETED -> "Message was deleted by the SMSC";
            case UNDELIVERABLE -> "Message is undeliverable";
            case REJECTED -> "Message was rejected";
            default -> "Final state unknown";
        };
        return what + " (SMPP stat " + stat + (errorCode == null ? "" : ", err " + errorCode) + ")";
    }
}
