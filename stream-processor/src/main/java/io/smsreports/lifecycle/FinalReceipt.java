package io.smsreports.lifecycle;

import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.ReceiptStatus;
import java.util.Objects;

/**
 * A final receipt as the lifecycle keeps it. {@code finalAt} is the receipt's {@code doneAt}, else its
 * {@code receivedAt}: the time rule 8 buckets Delivered and Failed by. Rule 15: the price the provider billed (null when
 * none, or when the one given could not be used: {@code badPrice}).
 */
public record FinalReceipt(ReceiptStatus status, String providerStatus, String errorCode, String failReason, String provider,
        long finalAt, long receivedAt, Price price, boolean badPrice) {

    public FinalReceipt {
        Objects.requireNonNull(status, "status");
        if (!isFinal(status)) {
            throw new IllegalArgumentException(status + " is not a final status");
        }
    }

    public static FinalReceipt from(final DeliveryReceipt receipt) {
        final long receivedAt = receipt.getReceivedAt().toEpochMilli();
        final long finalAt = receipt.getDoneAt() != null ? receipt.getDoneAt().toEpochMilli() : receivedAt;
        final Price.Given price = Price.given(receipt.getPriceMicros(), receipt.getCurrency());
        return new FinalReceipt(receipt.getStatus(), receipt.getProviderStatus(), receipt.getErrorCode(), receipt.getFailReason(),
                receipt.getProvider(), finalAt, receivedAt, price.price(), price.bad());
    }

    /** The same receipt with other (guarded, rule 12) times. */
    public FinalReceipt withTimes(final long newFinalAt, final long newReceivedAt) {
        return new FinalReceipt(status, providerStatus, errorCode, failReason, provider, newFinalAt, newReceivedAt, price, badPrice);
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
