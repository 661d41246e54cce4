package io.smsreports.topology;

import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDispatched;
import io.smsreports.reporting.LatencyBuckets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An independent, deliberately simple model of the counting rules: plain maps, and on every event every
 * SMS's deadlines are re-checked by brute force (no index, no laziness). It shares no code with the
 * topology except the latency bucket function, which has its own unit test.
 *
 * <p>Feed it the events in the order the topology receives them; the clock is the largest record
 * timestamp seen so far (the task's stream time).
 */
final class ReferenceModel {

    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;

    private final long timeoutMs;
    private final long holdMs;
    private final long retentionMs;

    ReferenceModel(final long timeoutMs, final long holdMs, final long retentionMs) {
        this.timeoutMs = timeoutMs;
        this.holdMs = holdMs;
        this.retentionMs = retentionMs;
    }

    /** One SMS as the model sees it. */
    private static final class Sms {
        // dispatched
        SmsDispatched dispatch;
        String platform;
        String outcome = "PENDING"; // PENDING, DELIVERED, FAILED, UNCONFIRMED
        ReceiptStatus firstFinal;
        long finalAt;
        String failReason;
        // held
        long heldSince;
        int heldReceipts;
        DeliveryReceipt heldFinal;
        long heldFinalClock;
        int heldDuplicates;
        int heldConflicts;
    }

    long clock = Long.MIN_VALUE;
    private final Map<String, Sms> live = new HashMap<>();

    // ---- results ----
    final Map<String, Map<String, long[]>> stats = new TreeMap<>(); // messageId → platform → sent, delivered, failed, unconfirmed, segments
    final Map<String, long[]> reconciliation = new TreeMap<>(); // messageId → duplicates, conflicts, late
    final Map<String, Map<Long, Map<String, long[]>>> hourly = new TreeMap<>(); // messageId → hour → platform → s, d, f
    final Map<String, List<String>> failed = new TreeMap<>();
    final Map<String, Map<Integer, Long>> latency = new TreeMap<>();
    final List<String> delivered = new ArrayList<>();
    final Map<String, Map<String, String>> personMessages = new TreeMap<>(); // personId → "dispatchedAt|smsId" → line
    final Map<String, TreeMap<Long, String>> lookups = new TreeMap<>(); // lookup key → day → personId
    long orphanReceipts;

    void dispatch(final SmsDispatched d, final long timestamp) {
        advance(timestamp);
        final String smsId = d.getSmsId();
        Sms sms = live.get(smsId);
        if (sms != null && sms.dispatch != null) {
            return; // rule 1
        }
        final Sms held = sms;
        sms = new Sms();
        sms.dispatch = d;
        sms.platform = d.getPlatform() == null || d.getPlatform().isBlank() ? "unknown" : d.getPlatform().trim().toLowerCase(Locale.ROOT);
        live.put(smsId, sms);
        final String m = d.getMessageId();
        final long dispatchedAt = d.getDispatchedAt().toEpochMilli();
        counts(m, sms.platform)[0]++;
        counts(m, sms.platform)[4] += d.getSegments();
        hour(m, dispatchedAt, sms.platform)[0]++;
        person(sms);
        final String personId = personId(d);
        final long day = Math.floorDiv(dispatchedAt, DAY) * DAY;
        lookups.computeIfAbsent(personId, k -> new TreeMap<>()).put(day, personId);
        lookups.computeIfAbsent("tel:" + d.getMsisdn(), k -> new TreeMap<>()).put(day, personId);
        if (d.getEmail() != null) {
            lookups.computeIfAbsent("email:" + d.getEmail().trim().toLowerCase(Locale.ROOT), k -> new TreeMap<>()).put(day, personId);
        }
        if (held != null) {
            rec(m)[0] += held.heldDuplicates;
            rec(m)[1] += held.heldConflicts;
            if (held.heldFinal != null) {
                if (held.heldFinalClock >= dispatchedAt + timeoutMs) {
                    unconfirm(sms);
                }
                applyFinal(sms, held.heldFinal);
            }
        }
        if (sms.outcome.equals("PENDING") && clock >= dispatchedAt + timeoutMs) {
            unconfirm(sms);
        }
    }

    void receipt(final DeliveryReceipt r, final long timestamp) {
        advance(timestamp);
        final String smsId = r.getSmsId();
        final boolean isFinal = r.getStatus() != ReceiptStatus.ACCEPTED && r.getStatus() != ReceiptStatus.ENROUTE;
        Sms sms = live.get(smsId);
        if (sms == null || sms.dispatch == null) {
            if (sms == null) {
                sms = new Sms();
                sms.heldSince = clock;
                live.put(smsId, sms);
            }
            sms.heldReceipts++;
            if (isFinal) {
                if (sms.heldFinal == null) {
                    sms.heldFinal = r;
                    sms.heldFinalClock = clock;
                } else if (delivered(sms.heldFinal.getStatus()) == delivered(r.getStatus())) {
                    sms.heldDuplicates++;
                } else {
                    sms.heldConflicts++;
                }
            }
            return;
        }
        if (!isFinal) {
            return; // rule 3
        }
        final String m = sms.dispatch.getMessageId();
        if (sms.outcome.equals("DELIVERED") || sms.outcome.equals("FAILED")) {
            if (delivered(sms.firstFinal) == delivered(r.getStatus())) {
                rec(m)[0]++;
            } else {
                rec(m)[1]++;
            }
            return;
        }
        applyFinal(sms, r);
    }

    /** Moves the clock and applies every deadline it reached, to every SMS. */
    void advance(final long timestamp) {
        clock = Math.max(clock, timestamp);
        for (final Iterator<Map.Entry<String, Sms>> it = live.entrySet().iterator(); it.hasNext(); ) {
            final Sms sms = it.next().getValue();
            if (sms.dispatch == null) {
                if (clock >= sms.heldSince + holdMs) {
                    orphanReceipts += sms.heldReceipts;
                    it.remove();
                }
                continue;
            }
            final long dispatchedAt = sms.dispatch.getDispatchedAt().toEpochMilli();
            if (sms.outcome.equals("PENDING") && clock >= dispatchedAt + timeoutMs) {
                unconfirm(sms);
            }
            if (clock >= dispatchedAt + retentionMs) {
                it.remove();
            }
        }
    }

    private void unconfirm(final Sms sms) {
        sms.outcome = "UNCONFIRMED";
        counts(sms.dispatch.getMessageId(), sms.platform)[3]++;
        person(sms);
    }

    private void applyFinal(final Sms sms, final DeliveryReceipt r) {
        final String m = sms.dispatch.getMessageId();
        if (sms.outcome.equals("UNCONFIRMED")) {
            counts(m, sms.platform)[3]--;
            rec(m)[2]++;
        }
        final long finalAt = (r.getDoneAt() != null ? r.getDoneAt() : r.getReceivedAt()).toEpochMilli();
        final long dispatchedAt = sms.dispatch.getDispatchedAt().toEpochMilli();
        sms.firstFinal = r.getStatus();
        sms.finalAt = finalAt;
        sms.failReason = r.getFailReason();
        if (delivered(r.getStatus())) {
            sms.outcome = "DELIVERED";
            counts(m, sms.platform)[1]++;
            hour(m, finalAt, sms.platform)[1]++;
            final long latencyMs = Math.max(0, finalAt - dispatchedAt);
            latency.computeIfAbsent(m, k -> new TreeMap<>()).merge(LatencyBuckets.bucketOf(latencyMs), 1L, Long::sum);
            delivered.add(sms.dispatch.getSmsId() + "|" + m + "|" + sms.platform + "|" + dispatchedAt + "|" + finalAt + "|" + latencyMs);
        } else {
            sms.outcome = "FAILED";
            counts(m, sms.platform)[2]++;
            hour(m, finalAt, sms.platform)[2]++;
            failed.computeIfAbsent(m, k -> new ArrayList<>()).add(sms.dispatch.getSmsId() + "|" + r.getStatus() + "|" + finalAt
                    + "|" + r.getErrorCode() + "|" + r.getFailReason() + "|" + sms.platform + "|" + sms.dispatch.getMsisdn());
        }
        person(sms);
    }

    private void person(final Sms sms) {
        final long dispatchedAt = sms.dispatch.getDispatchedAt().toEpochMilli();
        final String line = sms.dispatch.getSmsId() + "|" + sms.dispatch.getMessageId() + "|" + dispatchedAt + "|" + sms.outcome
                + "|" + (sms.outcome.equals("DELIVERED") || sms.outcome.equals("FAILED") ? sms.finalAt : "-")
                + "|" + (sms.outcome.equals("FAILED") ? sms.failReason : null);
        personMessages.computeIfAbsent(personId(sms.dispatch), k -> new TreeMap<>())
                .put(dispatchedAt + "|" + sms.dispatch.getSmsId(), line);
    }

    static String personId(final SmsDispatched d) {
        return d.getExternalId() != null && !d.getExternalId().isBlank() ? "ext:" + d.getExternalId() : "tel:" + d.getMsisdn();
    }

    private static boolean delivered(final ReceiptStatus status) {
        return status == ReceiptStatus.DELIVERED;
    }

    private long[] counts(final String m, final String platform) {
        return stats.computeIfAbsent(m, k -> new TreeMap<>()).computeIfAbsent(platform, k -> new long[5]);
    }

    private long[] rec(final String m) {
        return reconciliation.computeIfAbsent(m, k -> new long[3]);
    }

    private long[] hour(final String m, final long at, final String platform) {
        final long hour = Math.floorDiv(at, HOUR) * HOUR;
        return hourly.computeIfAbsent(m, k -> new TreeMap<>()).computeIfAbsent(hour, k -> new LinkedHashMap<>())
                .computeIfAbsent(platform, k -> new long[3]);
    }
}
