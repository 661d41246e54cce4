package io.smsreports.reporting;

import java.util.Map;
import java.util.SortedMap;

/**
 * Log-linear buckets for delivery latencies in milliseconds: exact below 64 ms, then 32 buckets per power
 * of two (at most about 3% relative error), up to {@link Long#MAX_VALUE}. A campaign's distribution is a
 * count per bucket, which is enough for p50/p95/p99 with bounded, small state.
 */
public final class LatencyBuckets {

    private static final int EXACT = 64;
    private static final int SUB_BUCKETS = 32;
    private static final int SUB_BITS = 5;

    private LatencyBuckets() {
    }

    /** The bucket of a latency; negative latencies count as 0. */
    public static int bucketOf(final long latencyMs) {
        if (latencyMs < EXACT) {
            return (int) Math.max(0, latencyMs);
        }
        final int exponent = 63 - Long.numberOfLeadingZeros(latencyMs); // >= 6
        final int sub = (int) ((latencyMs >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1));
        return EXACT + (exponent - 6) * SUB_BUCKETS + sub;
    }

    /** The smallest latency in a bucket. */
    public static long lowerBound(final int bucket) {
        if (bucket < EXACT) {
            return bucket;
        }
        final int exponent = 6 + (bucket - EXACT) / SUB_BUCKETS;
        final int sub = (bucket - EXACT) % SUB_BUCKETS;
        return (long) (SUB_BUCKETS + sub) << (exponent - SUB_BITS);
    }

    /** The largest latency in a bucket. */
    public static long upperBound(final int bucket) {
        if (bucket < EXACT) {
            return bucket;
        }
        final int exponent = 6 + (bucket - EXACT) / SUB_BUCKETS;
        return lowerBound(bucket) + (1L << (exponent - SUB_BITS)) - 1;
    }

    /**
     * The {@code quantile} (0 &lt; q ≤ 1) of a distribution given as counts per bucket, in bucket order: the
     * midpoint of the bucket holding the rank {@code ceil(q × n)}; null when the distribution is empty.
     */
    public static Long quantile(final SortedMap<Integer, Long> countsByBucket, final double quantile) {
        long total = 0;
        for (final long count : countsByBucket.values()) {
            total += count;
        }
        if (total == 0) {
            return null;
        }
        final long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (final Map.Entry<Integer, Long> entry : countsByBucket.entrySet()) {
            seen += entry.getValue();
            if (seen >= rank) {
                final int bucket = entry.getKey();
                return lowerBound(bucket) + (upperBound(bucket) - lowerBound(bucket)) / 2;
            }
        }
        throw new IllegalStateException("unreachable: rank " + rank + " beyond " + total);
    }
}
