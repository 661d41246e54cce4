package io.smsreports.replies;

/**
 * A message a recipient sent back (rule 17). The body is personal data.
 *
 * @param msisdn     the sender, E.164 ({@link Msisdns#normalize})
 * @param to         the short code or sender id it was sent to
 * @param body       the text, at most {@link #MAX_BODY} characters (a longer one is cut, {@code clamped})
 * @param receivedAt when the gateway received it
 * @param optOut     whether its first word is a stop keyword, judged once when it is first processed
 */
public record Inbound(String inboundId, String msisdn, String to, String body, long receivedAt, String provider, boolean clamped,
        boolean optOut) {

    /** Ten concatenated SMS: a longer body is not a reply a person typed; it is kept cut to this length. */
    public static final int MAX_BODY = 1_600;

    /** An inbound message as received: the body cut to {@link #MAX_BODY} characters when longer. */
    public static Inbound received(final String inboundId, final String msisdn, final String to, final String body,
            final long receivedAt, final String provider) {
        final boolean tooLong = body.length() > MAX_BODY;
        return new Inbound(inboundId, msisdn, to, tooLong ? body.substring(0, MAX_BODY) : body, receivedAt, provider, tooLong, false);
    }

    public Inbound judged(final StopKeywords keywords) {
        return new Inbound(inboundId, msisdn, to, body, receivedAt, provider, clamped, keywords.isOptOut(body));
    }

    @Override
    public String toString() { // the body and the msisdn are personal data: never in a log line
        return "Inbound[" + inboundId + " at " + receivedAt + (optOut ? ", opt-out" : "") + "]";
    }
}
