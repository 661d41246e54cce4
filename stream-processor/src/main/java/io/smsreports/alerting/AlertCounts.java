package io.smsreports.alerting;

import java.util.Map;
import java.util.TreeMap;

/**
 * What happened in one scope during one minute (or, summed, during a window): SMS dispatched (by dispatch time), and
 * final receipts arrived (by the receipt's {@code receivedAt}), delivered or failed, failures by error code (the
 * receipt's error code, else its status), and the delivered ones that arrived within the implausible-receipt latency
 * with the sum and sum of squares of their latencies (their spread). Mutable: a bucket is added to in place.
 */
public final class AlertCounts {

    long dispatched;
    long finals;
    long delivered;
    long failed;
    long fastDelivered;
    double fastLatencySum;
    double fastLatencySumSq;
    final Map<String, Long> failedByCode = new TreeMap<>();

    public AlertCounts() {
    }

    public AlertCounts(final long dispatched, final long finals, final long delivered, final long failed, final long fastDelivered,
            final double fastLatencySum, final double fastLatencySumSq, final Map<String, Long> failedByCode) {
        this.dispatched = dispatched;
        this.finals = finals;
        this.delivered = delivered;
        this.failed = failed;
        this.fastDelivered = fastDelivered;
        this.fastLatencySum = fastLatencySum;
        this.fastLatencySumSq = fastLatencySumSq;
        this.failedByCode.putAll(failedByCode);
    }

    public void dispatch() {
        dispatched++;
    }

    /** A final receipt: delivered with its latency (fast when within {@code fastMs}), or failed with its code. */
    public void fin(final boolean isDelivered, final String code, final long latencyMs, final long fastMs) {
        finals++;
        if (isDelivered) {
            delivered++;
            if (latencyMs <= fastMs) {
                fastDelivered++;
                fastLatencySum += latencyMs;
                fastLatencySumSq += (double) latencyMs * latencyMs;
            }
        } else {
            failed++;
            failedByCode.merge(code, 1L, Long::sum);
        }
    }

    public void add(final AlertCounts other) {
        combine(other, 1);
    }

    public void subtract(final AlertCounts other) {
        combine(other, -1);
    }

    private void combine(final AlertCounts o, final int sign) {
        dispatched += sign * o.dispatched;
        finals += sign * o.finals;
        delivered += sign * o.delivered;
        failed += sign * o.failed;
        fastDelivered += sign * o.fastDelivered;
        fastLatencySum += sign * o.fastLatencySum;
        fastLatencySumSq += sign * o.fastLatencySumSq;
        o.failedByCode.forEach((code, n) -> {
            final long next = failedByCode.getOrDefault(code, 0L) + sign * n;
            if (next == 0) {
                failedByCode.remove(code);
            } else {
                failedByCode.put(code, next);
            }
        });
    }

    public AlertCounts copy() {
        return new AlertCounts(dispatched, finals, delivered, failed, fastDelivered, fastLatencySum, fastLatencySumSq, failedByCode);
    }

    public boolean isEmpty() {
        return dispatched == 0 && finals == 0;
    }

    public long dispatched() {
        return dispatched;
    }

    public long finals() {
        return finals;
    }

    public long delivered() {
        return delivered;
    }

    public long failed() {
        return failed;
    }

    public long fastDelivered() {
        return fastDelivered;
    }

    public double fastLatencySum() {
        return fastLatencySum;
    }

    public double fastLatencySumSq() {
        return fastLatencySumSq;
    }

    public Map<String, Long> failedByCode() {
        return java.util.Collections.unmodifiableMap(failedByCode);
    }

    /** Delivered / finals, or NaN without finals. */
    double deliveryRate() {
        return finals == 0 ? Double.NaN : (double) delivered / finals;
    }

    /** Failures with {@code code} / finals, 0 without finals. */
    double share(final String code) {
        return finals == 0 ? 0 : (double) failedByCode.getOrDefault(code, 0L) / finals;
    }

    /** The standard deviation of the fast deliveries' latencies in ms (0 with fewer than two). */
    double fastSpreadMs() {
        if (fastDelivered < 2) {
            return 0;
        }
        final double mean = fastLatencySum / fastDelivered;
        return Math.sqrt(Math.max(0, fastLatencySumSq / fastDelivered - mean * mean));
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof AlertCounts c && dispatched == c.dispatched && finals == c.finals && delivered == c.delivered
                && failed == c.failed && fastDelivered == c.fastDelivered && fastLatencySum == c.fastLatencySum
                && fastLatencySumSq == c.fastLatencySumSq && failedByCode.equals(c.failedByCode);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(dispatched, finals, delivered, failed, fastDelivered, failedByCode);
    }

    @Override
    public String toString() {
        return "AlertCounts[dispatched=" + dispatched + ", finals=" + finals + ", delivered=" + delivered + ", failed=" + failed
                + ", fast=" + fastDelivered + ", byCode=" + failedByCode + "]";
    }
}
