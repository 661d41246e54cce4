package io.smsreports.topology;

import io.smsreports.replies.Inbound;
import io.smsreports.replies.PersonReply;
import io.smsreports.replies.RecentSend;
import io.smsreports.replies.ReplyInput;
import io.smsreports.replies.ReplyLedger;
import io.smsreports.replies.ReplyRules;
import io.smsreports.lifecycle.PersonIds;
import io.smsreports.reporting.CampaignDelta;
import io.smsreports.reporting.CampaignStats;
import io.smsreports.reporting.Costs;
import io.smsreports.reporting.Engagement;
import io.smsreports.reporting.Reconciliation;
import io.smsreports.reporting.ReportingEvent;
import io.smsreports.state.ExpiryKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Rule 17 over one task's msisdns: the sends (from the lifecycle, as they become Sent) and the inbound messages meet here,
 * both keyed by msisdn. Each msisdn's {@link ReplyLedger} says which campaign each reply belongs to; a change of the
 * ledger sends the campaigns what it changed (replies, opt-outs: distinct msisdns) as a {@link CampaignDelta} to the
 * campaign's task, and rewrites the person's replies whose attribution changed ({@link StoreNames#PERSON_REPLIES}).
 *
 * <p>Time (rule 13): the task's clock is the lower of the two inputs' reached times; an input that has been silent for the
 * idleness period (wall clock; one with no record yet, since the task started) stops holding it back, so that a
 * deployment without replies still forgets its sends. An input older than the clock minus the SMS retention is stale (a replay: ignored, counted). A ledger's entries
 * older than the clock minus the retention and the reply window can no longer be reached by anything that is not stale:
 * they are dropped on the ledger's next change, and a ledger with nothing newer is dropped by the expiry index. The
 * counts they made stand.
 */
public final class ReplyProcessor implements Processor<String, ReplyInput, String, ReportingEvent> {

    static final String SENDS_REACHED_KEY = "reached-sends";
    static final String INBOUND_REACHED_KEY = "reached-inbound";
    /** Per task: the wall-clock time each input last brought a record. */
    static final String SENDS_SEEN_KEY = "seen-sends";
    static final String INBOUND_SEEN_KEY = "seen-inbound";
    /** Per task: inbound messages that answer no SMS (rule 17: counted globally, the sum over tasks). */
    public static final String UNATTRIBUTED_KEY = "unattributed-replies";
    /** Per task: inputs older than the retention, ignored. */
    public static final String STALE_KEY = "stale-inputs";
    /** Per task: inbound bodies longer than the limit, kept cut (rule 12). */
    public static final String CLAMPED_BODIES_KEY = "clamped-bodies";
    private static final byte[] PRESENT = new byte[0];
    private static final int SCAN_BATCH = 1_000;
    private static final long SCAN_BUDGET_NS = 200_000_000L;

    private final ReplyRules rules;
    private final long retentionMs;
    private final long windowMs;
    private final Duration scanInterval;
    private final long allowedSkewMs;
    private final long idlenessMs;
    private long startedAt;
    private ProcessorContext<String, ReportingEvent> context;
    private KeyValueStore<String, ReplyLedger> ledgers;
    private KeyValueStore<Bytes, byte[]> index;
    private KeyValueStore<String, Long> meta;
    private WindowStore<String, PersonReply> personReplies;

    public ReplyProcessor(final ReplyRules rules, final Duration smsRetention, final Duration scanInterval, final Duration allowedSkew,
            final Duration inputIdleness) {
        this.idlenessMs = inputIdleness.toMillis();
        this.rules = rules;
        this.retentionMs = smsRetention.toMillis();
        this.windowMs = rules.window().toMillis();
        this.scanInterval = scanInterval;
        this.allowedSkewMs = allowedSkew.toMillis();
    }

    @Override
    public void init(final ProcessorContext<String, ReportingEvent> context) {
        this.context = context;
        this.ledgers = context.getStateStore(StoreNames.REPLY_LEDGER);
        this.index = context.getStateStore(StoreNames.REPLY_INDEX);
        this.meta = context.getStateStore(StoreNames.REPLY_META);
        this.personReplies = context.getStateStore(StoreNames.PERSON_REPLIES);
        this.startedAt = context.currentSystemTimeMs();
        context.schedule(scanInterval, PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(final Record<String, ReplyInput> record) {
        final String msisdn = record.key();
        ReplyInput input = record.value();
        // Rule 12: a reply time beyond belief falls back to the record's time (or now, plus the allowed skew).
        final long latestBelievable = context.currentSystemTimeMs() + allowedSkewMs;
        if (input.time() > latestBelievable && input instanceof ReplyInput.Received received) {
            final Inbound i = received.inbound();
            input = new ReplyInput.Received(new Inbound(i.inboundId(), i.msisdn(), i.to(), i.body(),
                    Math.min(record.timestamp(), latestBelievable), i.provider(), i.clamped(), i.optOut()));
        }
        final long time = input.time();
        final boolean isSend = input instanceof ReplyInput.Sent;
        final String reachedKey = isSend ? SENDS_REACHED_KEY : INBOUND_REACHED_KEY;
        final Long reached = meta.get(reachedKey);
        if (reached == null || time > reached) {
            meta.put(reachedKey, time);
        }
        meta.put(isSend ? SENDS_SEEN_KEY : INBOUND_SEEN_KEY, context.currentSystemTimeMs()); // a cached store: one write per commit
        final long clock = clock();
        if (time < clock - retentionMs) {
            increment(STALE_KEY, 1);
            return;
        }
        final ReplyLedger stored = ledgers.get(msisdn);
        final ReplyLedger before = (stored == null ? ReplyLedger.EMPTY : stored).pruned(horizon(clock));
        final ReplyLedger after;
        if (input instanceof ReplyInput.Sent sent) {
            after = before.with(sent.send());
        } else {
            final Inbound inbound = ((ReplyInput.Received) input).inbound().judged(rules.stopKeywords());
            after = before.with(inbound);
            if (after != before && inbound.clamped()) {
                increment(CLAMPED_BODIES_KEY, 1);
            }
        }
        if (after == before && before == stored) {
            return; // a duplicate, nothing pruned
        }
        apply(msisdn, before, after, record.timestamp());
        final ReplyLedger indexed = after.indexedAt() == Long.MAX_VALUE ? reindex(msisdn, after) : after;
        if (indexed.isEmpty()) {
            ledgers.delete(msisdn);
        } else {
            ledgers.put(msisdn, indexed);
        }
    }

    /** The campaigns' changes and the person's replies whose attribution changed. */
    private void apply(final String msisdn, final ReplyLedger before, final ReplyLedger after, final long timestamp) {
        final Map<String, long[]> changes = ReplyLedger.difference(before, after, windowMs);
        changes.forEach((messageId, change) -> context.forward(new Record<>(messageId, new ReportingEvent.Aggregated(new CampaignDelta(
                new CampaignStats(Map.of(), Reconciliation.ZERO, Costs.ZERO, Map.of(), Engagement.ofReplies(change[0], change[1])),
                Map.of(), Map.of(), List.of(), List.of(), Map.of(), Map.of())), timestamp)));
        final long unattributed = after.unattributed(windowMs) - before.unattributed(windowMs);
        if (unattributed != 0) {
            increment(UNATTRIBUTED_KEY, unattributed);
        }
        final String personId = PersonIds.forMsisdn(msisdn);
        for (final Inbound i : ReplyLedger.reattributed(before, after, windowMs)) {
            final RecentSend s = after.attributionOf(i, windowMs);
            personReplies.put(PersonHistoryKeys.of(personId, i.inboundId()), new PersonReply(i.inboundId(), i.to(), i.body(),
                    i.receivedAt(), i.optOut(), s == null ? null : s.smsId(), s == null ? null : s.messageId()), i.receivedAt());
        }
    }

    /**
     * The task's clock: the lower of the inputs' reached times, an idle input excepted (with both idle, the later of
     * them); {@code Long.MIN_VALUE / 2} while nothing counts.
     */
    private long clock() {
        final long wall = context.currentSystemTimeMs();
        final long sends = holds(SENDS_REACHED_KEY, SENDS_SEEN_KEY, wall);
        final long inbound = holds(INBOUND_REACHED_KEY, INBOUND_SEEN_KEY, wall);
        if (sends == Long.MAX_VALUE && inbound == Long.MAX_VALUE) { // both idle: as far as either came
            return Math.max(orNone(meta.get(SENDS_REACHED_KEY)), orNone(meta.get(INBOUND_REACHED_KEY)));
        }
        return Math.min(sends, inbound);
    }

    /** What one input holds the clock at: its reached time; Long.MAX_VALUE once idle; nothing reached yet: the lowest. */
    private long holds(final String reachedKey, final String seenKey, final long wall) {
        final Long seen = meta.get(seenKey);
        if (wall - (seen == null ? startedAt : seen) >= idlenessMs) {
            return Long.MAX_VALUE;
        }
        return orNone(meta.get(reachedKey));
    }

    private static long orNone(final Long value) {
        return value == null ? Long.MIN_VALUE / 2 : value;
    }

    private long horizon(final long clock) {
        return clock - retentionMs - windowMs;
    }

    /** Points the index at the ledger's deadline: when its latest entry falls behind the horizon. */
    private ReplyLedger reindex(final String msisdn, final ReplyLedger ledger) {
        if (ledger.isEmpty()) {
            return ledger;
        }
        final long deadline = ledger.latest() + retentionMs + windowMs + 1; // the first clock at which the latest is behind
        index.put(ExpiryKeys.of(deadline, msisdn), PRESENT);
        return ledger.withIndexedAt(deadline);
    }

    /**
     * Drops the ledgers whose every entry fell behind the horizon; one whose index entry came due while it had newer
     * entries gets a new entry (the index is written when a ledger is created and when its entry comes due, not on every
     * send: an entry may be earlier than the ledger's deadline, never later).
     */
    private void expire(final long wallClock) {
        final long clock = clock();
        final long horizon = horizon(clock);
        if (horizon <= Long.MIN_VALUE / 2) {
            return;
        }
        final long started = System.nanoTime();
        while (true) {
            final List<Bytes> due = ExpiryKeys.due(index, clock, SCAN_BATCH);
            for (final Bytes key : due) {
                index.delete(key);
                final String msisdn = ExpiryKeys.smsId(key);
                final ReplyLedger ledger = ledgers.get(msisdn);
                if (ledger == null || ledger.indexedAt() != ExpiryKeys.deadline(key)) {
                    continue;
                }
                final ReplyLedger pruned = ledger.pruned(horizon);
                if (pruned.isEmpty()) {
                    ledgers.delete(msisdn);
                } else {
                    ledgers.put(msisdn, reindex(msisdn, pruned));
                }
            }
            if (due.size() < SCAN_BATCH || System.nanoTime() - started > SCAN_BUDGET_NS) {
                return; // the rest at the next scan: the thread keeps committing and polling
            }
        }
    }

    private void increment(final String key, final long by) {
        final Long count = meta.get(key);
        meta.put(key, (count == null ? 0 : count) + by);
    }
}
