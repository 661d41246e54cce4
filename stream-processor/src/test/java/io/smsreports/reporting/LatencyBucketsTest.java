package io.smsreports.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

    @Test
    void shouldPutEveryLatencyInABucketWhoseBoundsHoldItWithinThreePercent() {
        final Random random = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            final long latency = i < 1000 ? i : (long) Math.exp(random.nextDouble() * Math.log(Long.MAX_VALUE / 2.0));
            final int bucket = LatencyBuckets.bucketOf(latency);
            assertThat(LatencyBuckets.lowerBound(bucket)).isLessThanOrEqualTo(latency);
            assertThat(LatencyBuckets.upperBound(bucket)).isGreaterThanOrEqualTo(latency);
            final long width = LatencyBuckets.upperBound(bucket) - LatencyBuckets.lowerBound(bucket);
            assertThat((double) width).isLessThanOrEqualTo(Math.max(0, latency / 32.0));
            assertThat(bucket).isLessThan(65_536); // fits the two-byte key
        }
        assertThat(LatencyBuckets.bucketOf(-5)).isZero();
        assertThat(LatencyBuckets.bucketOf(Long.MAX_VALUE)).isLessThan(65_536);
    }

    @Test
    void shouldAnswerQuantilesFromCounts() {
        final SortedMap<Integer, Long> counts = new TreeMap<>();
        for (long ms = 1; ms <= 1000; ms++) { // 1..1000 ms, one each
            counts.merge(LatencyBuckets.bucketOf(ms * 100), 1L, Long::sum);
        }
        assertThat(LatencyBuckets.quantile(counts, 0.5)).isBetween(48_500L, 51_500L);
        assertThat(LatencyBuckets.quantile(counts, 0.99)).isBetween(97_000L, 100_500L);
        assertThat(LatencyBuckets.quantile(new TreeMap<>(), 0.5)).isNull();
    }
}
