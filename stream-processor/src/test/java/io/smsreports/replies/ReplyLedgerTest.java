package io.smsreports.replies;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReplyLedgerTest {

    private static final long HOUR = 3_600_000L;
    private static final long WINDOW = 72 * HOUR;

    private static Inbound reply(final String id, final long at, final boolean optOut) {
        return new Inbound(id, "+905550000001", "4545", optOut ? "STOP" : "hi", at, null, false, optOut);
    }

    @Test
    void aReplyBelongsToTheLatestSmsBeforeItWithinTheWindow() {
        final ReplyLedger ledger = ReplyLedger.EMPTY
                .with(new RecentSend("s1", "m1", "android", 0))
                .with(new RecentSend("s2", "m2", "android", 10 * HOUR))
                .with(reply("r1", 5 * HOUR, false)) // after s1 only
                .with(reply("r2", 11 * HOUR, true)) // after both: s2
                .with(reply("r3", 10 * HOUR + WINDOW + 1, false)) // past s2's window
                .with(reply("r4", -1, false)); // before any SMS
        assertThat(ledger.attributionOf(ledger.inbounds().get(0), WINDOW)).isNull(); // r4, sorted first
        assertThat(ledger.contribution(WINDOW)).isEqualTo(Map.of("m1", new ReplyLedger.Share(true, false),
                "m2", new ReplyLedger.Share(true, true)));
        assertThat(ledger.unattributed(WINDOW)).isEqualTo(2);
        assertThat(ledger.with(reply("r2", 11 * HOUR, true))).as("a repeated inboundId").isSameAs(ledger);
    }

    /**
     * Rule 13 for rule 17: whatever order one number's sends and replies arrive in, the differences sent to the campaigns
     * add up to the same figures, and they equal a brute-force attribution of every reply.
     */
    @Test
    void theFiguresAreTheSameInEveryOrderAndEqualABruteForceAttribution() {
        final Random random = new Random(17);
        for (int scenario = 0; scenario < 2_000; scenario++) {
            final List<Object> events = new ArrayList<>();
            final List<RecentSend> sends = new ArrayList<>();
            final List<Inbound> replies = new ArrayList<>();
            for (int i = 0, n = random.nextInt(5); i < n; i++) {
                sends.add(new RecentSend("s" + i, "m" + random.nextInt(3), "web", random.nextInt(8) * 24 * HOUR));
            }
            for (int i = 0, n = random.nextInt(6); i < n; i++) {
                replies.add(reply("r" + i, random.nextInt(10) * 24 * HOUR + random.nextInt(3) * HOUR, random.nextBoolean()));
            }
            events.addAll(sends);
            events.addAll(replies);
            if (!replies.isEmpty() && random.nextBoolean()) {
                events.add(replies.get(0)); // a gateway's retry
            }
            final Map<String, long[]> expected = bruteForce(sends, replies);
            for (int order = 0; order < 4; order++) {
                Collections.shuffle(events, random);
                ReplyLedger ledger = ReplyLedger.EMPTY;
                final Map<String, long[]> summed = new TreeMap<>();
                for (final Object event : events) {
                    final ReplyLedger next = event instanceof RecentSend s ? ledger.with(s) : ledger.with((Inbound) event);
                    ReplyLedger.difference(ledger, next, WINDOW).forEach((m, d) -> {
                        final long[] sum = summed.computeIfAbsent(m, k -> new long[2]);
                        sum[0] += d[0];
                        sum[1] += d[1];
                    });
                    ledger = next;
                }
                summed.values().removeIf(v -> v[0] == 0 && v[1] == 0);
                assertThat(text(summed)).as("scenario %d, order %d", scenario, order).isEqualTo(text(expected));
            }
        }
    }

    private static Map<String, long[]> bruteForce(final List<RecentSend> sends, final List<Inbound> replies) {
        final Map<String, long[]> figures = new TreeMap<>();
        for (final String m : List.of("m0", "m1", "m2")) {
            boolean replied = false;
            boolean optedOut = false;
            for (final Inbound r : replies) {
                RecentSend best = null;
                for (final RecentSend s : sends) {
                    final long gap = r.receivedAt() - s.dispatchedAt();
                    if (gap >= 0 && gap <= WINDOW && (best == null || s.dispatchedAt() > best.dispatchedAt()
                            || s.dispatchedAt() == best.dispatchedAt() && s.smsId().compareTo(best.smsId()) > 0)) {
                        best = s;
                    }
                }
                if (best != null && best.messageId().equals(m)) {
                    replied = true;
                    optedOut |= r.optOut();
                }
            }
            if (replied) {
                figures.put(m, new long[] {1, optedOut ? 1 : 0});
            }
        }
        return figures;
    }

    private static String text(final Map<String, long[]> figures) {
        final StringBuilder b = new StringBuilder();
        figures.forEach((m, v) -> b.append(m).append('=').append(v[0]).append('/').append(v[1]).append(' '));
        return b.toString();
    }
}
