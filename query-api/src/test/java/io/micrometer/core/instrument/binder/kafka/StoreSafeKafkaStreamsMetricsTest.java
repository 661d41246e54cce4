package io.micrometer.core.instrument.binder.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class StoreSafeKafkaStreamsMetricsTest {

    private static Metric gauge(final MetricName name, final Runnable onRead, final double value) {
        return new Metric() {
            @Override
            public MetricName metricName() {
                return name;
            }

            @Override
            public Object metricValue() {
                onRead.run();
                return value;
            }
        };
    }

    @Test
    void shouldNeverReadTheStoresUncommittedBytesGaugeAndExportEveryOtherMetric() {
        final MetricName unsafe = new MetricName(StoreSafeKafkaStreamsMetrics.UNCOMMITTED_BYTES, "stream-state-metrics", "",
                Map.of("thread-id", "t-1", "task-id", "0_0", "rocksdb-state-id", "sms-state"));
        final MetricName records = new MetricName("process-total", "stream-thread-metrics", "", Map.of("thread-id", "t-1"));
        final AtomicInteger unsafeReads = new AtomicInteger();
        final Map<MetricName, Metric> metrics = Map.of(
                unsafe, gauge(unsafe, unsafeReads::incrementAndGet, 12),
                records, gauge(records, () -> { }, 42));

        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (StoreSafeKafkaStreamsMetrics binder = new StoreSafeKafkaStreamsMetrics(() -> metrics)) {
            binder.bindTo(registry);
            registry.getMeters().forEach(meter -> meter.measure().forEach(m -> m.getValue()));
            assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).anyMatch(n -> n.contains("process.total"))
                    .noneMatch(n -> n.contains("uncommitted"));
        }
        assertThat(unsafeReads).as("the gauge that reads a native RocksDB write batch is never read off the stream thread").hasValue(0);
    }
}
