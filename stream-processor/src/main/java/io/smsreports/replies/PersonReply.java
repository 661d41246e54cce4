package io.smsreports.replies;

/**
 * A reply in a person's history (rule 17): what they sent, when, and the SMS it answers (null when none was sent to
 * them within the reply window before it). The body is personal data.
 */
public record PersonReply(String inboundId, String to, String body, long receivedAt, boolean optOut, String smsId, String messageId) {

    @Override
    public String toString() { // the body is personal data: never in a log line
        return "PersonReply[" + inboundId + " at " + receivedAt + (optOut ? ", opt-out" : "") + " for " + messageId + "]";
    }
}
