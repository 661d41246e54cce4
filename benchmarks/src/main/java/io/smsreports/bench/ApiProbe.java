package io.smsreports.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Measures when a delivery becomes visible through the API: one probe SMS (dispatch + DELIVERED) to its own
 * campaign every 250 ms, and a poller reading that campaign's delivered count every 5 ms; the k-th probe is
 * visible when the count reaches k.
 */
final class ApiProbe implements AutoCloseable {

    private final Histogram histogram = new Histogram(3);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Long> sentAt = new ArrayList<>();
    private final Thread sender;
    private final Thread poller;

    ApiProbe(final BenchCluster cluster, final int port, final AtomicBoolean measuring) {
        final Api api = new Api(port);
        sender = new Thread(() -> {
            try (KafkaProducer<String, byte[]> producer = cluster.producer(0); Workload workload = new Workload(cluster.registry.url(), 99)) {
                for (long k = 0; running.get(); k++) {
                    final long at = System.currentTimeMillis();
                    workload.delivered("probe-" + k, "bench-probe", at, event -> producer.send(
                            new ProducerRecord<>(event.topic(), null, event.timestamp(), event.key(), event.value())));
                    synchronized (sentAt) {
                        sentAt.add(System.nanoTime());
                    }
                    LockSupport.parkNanos(250_000_000L);
                }
            }
        }, "probe-sender");
        poller = new Thread(() -> {
            long seen = 0;
            while (running.get()) {
                try {
                    final long delivered = api.json("/api/v1/campaigns/bench-probe").at("/metrics/delivered").asLong();
                    final long now = System.nanoTime();
                    while (seen < delivered) {
                        final long sent;
                        synchronized (sentAt) {
                            sent = sentAt.get((int) seen);
                        }
                        if (measuring.get()) {
                            histogram.recordValue(Math.max(0, (now - sent) / 1_000));
                        }
                        seen++;
                    }
                } catch (Exception e) {
                    // 404 until the first probe is counted
                }
                LockSupport.parkNanos(5_000_000L);
            }
        }, "probe-poller");
        sender.setDaemon(true);
        poller.setDaemon(true);
        sender.start();
        poller.start();
    }

    Histogram histogram() {
        return histogram;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        sender.join(5_000);
        poller.join(5_000);
    }
}
