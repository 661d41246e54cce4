package io.smsreports.lifecycle;

import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.ReceiptStatus;
import java.util.Objects;

/**
 * A final receipt as the lifecycle keeps it. {@code finalAt} is the receipt's {@code doneAt}, else its
 * {@code receivedAt}: the time rule 8 buckets Delivered and Failed by.
 */
public record FinalReceipt(ReceiptStatus status, String providerStatus, String errorCode, String failReason, String provider,
        long finalAt, long receivedAt) {

    public FinalReceipt {
        Objects.requireNonNull(status, "status");
        if (!isFinal(status)) {
            throw new IllegalArgumentException(status + " is not a final status");
        }
    }

    public static FinalReceipt from(final DeliveryReceipt receipt) {
        final long receivedAt = receipt.getReceivedAt().toEpochMilli();
        final long finalAt = receipt.getDoneAt() != null ? receipt.getDoneAt().toEpochMilli() : receivedAt;
        return new FinalReceipt(receipt.getStatus(), receipt.getProviderStatus(), receipt.getErrorCode(), receipt.getFailReason(),
                receipt.getProvider(), finalAt, receivedAt);
    }

    public boolean delivered() {
        return status == ReceiptStatus.DELIVERED;
    }

    public Outcome outcome() {
        return delivered() ? Outcome.DELIVERED : Outcome.FAILED;
    }

    /** Rule 3: ACCEPTED and ENROUTE are intermediate; every other status is final. */
    public static boolean isFinal(final ReceiptStatus status) {
        return status != ReceiptStatus.ACCEPTED && status != ReceiptStatus.ENROUTE;
    }
}
