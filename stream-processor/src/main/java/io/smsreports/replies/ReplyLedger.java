package io.smsreports.replies;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One msisdn's recent sends and inbound messages (rule 17), and what follows from them whatever order they came in:
 * each inbound message belongs to the latest SMS sent to the msisdn at or before its time, within the reply window
 * (ties by smsId), or to none. A send that arrives after a reply it precedes takes the reply over from an earlier SMS;
 * the figures move once, by the difference of {@link #contribution}s.
 *
 * @param sends     the SMS sent to the msisdn, by dispatch time then smsId, each smsId once
 * @param inbounds  the msisdn's inbound messages, by time then inboundId, each inboundId once
 * @param indexedAt the deadline of the expiry index entry that points here ({@code Long.MAX_VALUE}: none)
 */
public record ReplyLedger(List<RecentSend> sends, List<Inbound> inbounds, long indexedAt) {

    public static final ReplyLedger EMPTY = new ReplyLedger(List.of(), List.of(), Long.MAX_VALUE);
    private static final Comparator<RecentSend> SEND_ORDER = Comparator.comparingLong(RecentSend::dispatchedAt)
            .thenComparing(RecentSend::smsId);
    private static final Comparator<Inbound> INBOUND_ORDER = Comparator.comparingLong(Inbound::receivedAt)
            .thenComparing(Inbound::inboundId);

    public ReplyLedger {
        sends = List.copyOf(sends);
        inbounds = List.copyOf(inbounds);
    }

    /** What one msisdn adds to one campaign: whether it replied, whether a reply was an opt-out. */
    public record Share(boolean replied, boolean optedOut) {
    }

    /** With the send added; the same ledger when its smsId is already here. */
    public ReplyLedger with(final RecentSend send) {
        if (sends.stream().anyMatch(s -> s.smsId().equals(send.smsId()))) {
            return this;
        }
        final List<RecentSend> next = new ArrayList<>(sends);
        next.add(send);
        next.sort(SEND_ORDER);
        return new ReplyLedger(next, inbounds, indexedAt);
    }

    /** With the inbound message added; the same ledger when its inboundId is already here (a duplicate). */
    public ReplyLedger with(final Inbound inbound) {
        if (inbounds.stream().anyMatch(i -> i.inboundId().equals(inbound.inboundId()))) {
            return this;
        }
        final List<Inbound> next = new ArrayList<>(inbounds);
        next.add(inbound);
        next.sort(INBOUND_ORDER);
        return new ReplyLedger(sends, next, indexedAt);
    }

    public ReplyLedger withIndexedAt(final long deadline) {
        return new ReplyLedger(sends, inbounds, deadline);
    }

    /** Without the sends and inbound messages older than {@code horizon}: nothing that is not stale can reach them any more. */
    public ReplyLedger pruned(final long horizon) {
        if (sends.stream().allMatch(s -> s.dispatchedAt() >= horizon) && inbounds.stream().allMatch(i -> i.receivedAt() >= horizon)) {
            return this;
        }
        return new ReplyLedger(sends.stream().filter(s -> s.dispatchedAt() >= horizon).toList(),
                inbounds.stream().filter(i -> i.receivedAt() >= horizon).toList(), indexedAt);
    }

    public boolean isEmpty() {
        return sends.isEmpty() && inbounds.isEmpty();
    }

    /** The latest time in the ledger (of a send or an inbound message); {@code Long.MIN_VALUE} when empty. */
    public long latest() {
        long latest = Long.MIN_VALUE;
        for (final RecentSend s : sends) {
            latest = Math.max(latest, s.dispatchedAt());
        }
        for (final Inbound i : inbounds) {
            latest = Math.max(latest, i.receivedAt());
        }
        return latest;
    }

    /** The SMS the inbound message answers: the latest sent at or before it within {@code windowMs}; null when none. */
    public RecentSend attributionOf(final Inbound inbound, final long windowMs) {
        RecentSend latest = null;
        for (final RecentSend s : sends) {
            if (s.dispatchedAt() <= inbound.receivedAt() && inbound.receivedAt() - s.dispatchedAt() <= windowMs
                    && (latest == null || s.isLaterThan(latest))) {
                latest = s;
            }
        }
        return latest;
    }

    /** Each inbound message's attribution (null: none), by inboundId. */
    public Map<String, RecentSend> attributions(final long windowMs) {
        final Map<String, RecentSend> byInbound = new HashMap<>();
        for (final Inbound i : inbounds) {
            byInbound.put(i.inboundId(), attributionOf(i, windowMs));
        }
        return byInbound;
    }

    /** What the msisdn adds to each campaign it replied to (by messageId). */
    public Map<String, Share> contribution(final long windowMs) {
        final Map<String, Share> shares = new TreeMap<>();
        for (final Inbound i : inbounds) {
            final RecentSend s = attributionOf(i, windowMs);
            if (s != null) {
                final Share before = shares.get(s.messageId());
                shares.put(s.messageId(), new Share(true, i.optOut() || before != null && before.optedOut()));
            }
        }
        return shares;
    }

    /** Inbound messages that answer no SMS (rule 17: counted globally). */
    public long unattributed(final long windowMs) {
        return inbounds.stream().filter(i -> attributionOf(i, windowMs) == null).count();
    }

    /** Per campaign, what {@code after} adds to the replies and opt-outs that {@code before} counted: [replies, optOuts]. */
    public static Map<String, long[]> difference(final ReplyLedger before, final ReplyLedger after, final long windowMs) {
        final Map<String, Share> was = before.contribution(windowMs);
        final Map<String, Share> is = after.contribution(windowMs);
        final Map<String, long[]> changes = new TreeMap<>();
        for (final String messageId : new TreeSet<>(union(was.keySet(), is.keySet()))) {
            final Share a = was.getOrDefault(messageId, new Share(false, false));
            final Share b = is.getOrDefault(messageId, new Share(false, false));
            final long replies = (b.replied() ? 1 : 0) - (a.replied() ? 1 : 0);
            final long optOuts = (b.optedOut() ? 1 : 0) - (a.optedOut() ? 1 : 0);
            if (replies != 0 || optOuts != 0) {
                changes.put(messageId, new long[] {replies, optOuts});
            }
        }
        return changes;
    }

    private static List<String> union(final java.util.Set<String> a, final java.util.Set<String> b) {
        final List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The inbound messages whose attribution differs between the two ledgers, or that are new in {@code after}. */
    public static List<Inbound> reattributed(final ReplyLedger before, final ReplyLedger after, final long windowMs) {
        final Map<String, RecentSend> was = before.attributions(windowMs);
        final List<Inbound> changed = new ArrayList<>();
        for (final Inbound i : after.inbounds) {
            if (!was.containsKey(i.inboundId()) || !Objects.equals(was.get(i.inboundId()), after.attributionOf(i, windowMs))) {
                changed.add(i);
            }
        }
        return changed;
    }
}
