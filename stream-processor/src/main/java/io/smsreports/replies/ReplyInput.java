package io.smsreports.replies;

/** What the replies task receives, keyed by msisdn (rule 17): an SMS that became Sent, or an inbound message. */
public sealed interface ReplyInput permits ReplyInput.Sent, ReplyInput.Received {

    /** The input's event time: the dispatch's or the inbound message's. */
    long time();

    record Sent(RecentSend send) implements ReplyInput {
        @Override
        public long time() {
            return send.dispatchedAt();
        }
    }

    record Received(Inbound inbound) implements ReplyInput {
        @Override
        public long time() {
            return inbound.receivedAt();
        }
    }
}
