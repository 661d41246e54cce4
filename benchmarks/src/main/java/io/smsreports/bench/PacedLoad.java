package io.smsreports.bench;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Live traffic at a fixed rate: every SMS is a dispatch followed at once by its DELIVERED receipt (two input
 * events), sent from a background thread; {@code onReceiptSent} sees each SMS's index when its receipt is
 * handed to the producer.
 */
final class PacedLoad implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final Thread thread;

    PacedLoad(final BenchCluster cluster, final Workload workload, final double eventsPerSecond, final String prefix,
            final String campaign, final LongConsumer onReceiptSent) {
        final double smsPerSecond = eventsPerSecond / 2;
        this.thread = new Thread(() -> {
            try (KafkaProducer<String, byte[]> producer = cluster.producer(5)) {
                final long start = System.nanoTime();
                long next = 0;
                while (running.get()) {
                    final long due = (long) ((System.nanoTime() - start) / 1e9 * smsPerSecond);
                    while (next < due && running.get()) {
                        final long index = next++;
                        final long now = Instant.now().toEpochMilli();
                        workload.delivered(prefix + index, campaign, now, event -> producer.send(
                                new ProducerRecord<>(event.topic(), null, event.timestamp(), event.key(), event.value())));
                        onReceiptSent.accept(index);
                        sent.incrementAndGet();
                    }
                    LockSupport.parkNanos(500_000);
                }
            }
        }, "load-" + prefix);
        thread.setDaemon(true);
        thread.start();
    }

    long smsSent() {
        return sent.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }
}
