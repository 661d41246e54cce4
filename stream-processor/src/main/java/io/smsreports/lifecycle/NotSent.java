package io.smsreports.lifecycle;

import io.smsreports.events.SmsNotSent;
import java.util.Comparator;
import java.util.Objects;

/**
 * A recipient the sender decided not to send to (rule 14): the campaign, the recipient, where it would have gone (platform,
 * country, operator: the breakdown rows) and why.
 *
 * <p>One smsId may be decided more than once (a sender that retries its checks): the decision that {@linkplain #LATEST comes
 * last} by {@code decidedAt} counts (then by reason and row keys, so that every order of processing picks the same one).
 *
 * @param reason    the {@code NotSentReason} by name
 * @param decidedAt when the sender decided (guarded, rule 12)
 */
public record NotSent(String messageId, String msisdn, String externalId, String email, String platform, String country,
        String operator, String reason, String detail, long decidedAt) {

    /** The provider of the {@link #asDispatch() row keys} of a recipient never handed to one. */
    public static final String NO_PROVIDER = "";

    /** Orders decisions of one smsId; the greatest counts. Total over every field that a count depends on. */
    public static final Comparator<NotSent> LATEST = Comparator.comparingLong(NotSent::decidedAt)
            .thenComparing(NotSent::reason)
            .thenComparing(NotSent::platform)
            .thenComparing(NotSent::country, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(NotSent::operator, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(NotSent::messageId);

    public NotSent {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(msisdn, "msisdn");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(reason, "reason");
    }

    public static NotSent from(final SmsNotSent event) {
        return new NotSent(event.getMessageId(), event.getMsisdn(), Dispatch.blankToNull(event.getExternalId()), Dispatch.blankToNull(event.getEmail()),
                Dispatch.normalizePlatform(event.getPlatform()), Dispatch.blankToNull(event.getCountry()), Dispatch.blankToNull(event.getOperator()),
                event.getReason().name(), Dispatch.blankToNull(event.getDetail()), event.getDecidedAt().toEpochMilli());
    }

    /** The same decision at {@code time} (a guarded time, rule 12). */
    public NotSent withDecidedAt(final long time) {
        return time == decidedAt ? this : new NotSent(messageId, msisdn, externalId, email, platform, country, operator, reason, detail, time);
    }

    /**
     * The decision as the reports see an SMS: its campaign, recipient and breakdown keys, no provider, no segments, at the time
     * it was decided. Carried by the {@link Transition}s that count or uncount it.
     */
    public Dispatch asDispatch() {
        return new Dispatch(messageId, msisdn, externalId, email, platform, NO_PROVIDER, country, operator, 0, decidedAt, decidedAt,
                null, false, null);
    }
}
