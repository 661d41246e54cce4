package io.smsreports.bench;

import io.smsreports.config.ProcessorConfig;
import io.smsreports.service.SmsReportsService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end latency at a fixed rate (default: half the exactly-once maximum of the last throughput run):
 * from the moment a DELIVERED receipt is handed to the producer to (a) its {@code SmsDelivered} record seen
 * by a {@code read_committed} consumer and (b) the delivered counter visible through the API. The baseline,
 * in the same run, is Kafka alone: the same receipt seen by a consumer of {@code sms.receipts}.
 */
public final class LatencyBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(LatencyBenchmark.class);

    private LatencyBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final Args options = Args.parse("latency", args);
        final double rate = options.number("rate", (long) halfOfMaximum(5_000));
        final long seconds = options.number("seconds", 60);
        final long warmup = options.number("warmup", 30);
        try (BenchCluster cluster = new BenchCluster(3); Workload workload = new Workload(cluster.registry.url(), 7);
                SmsReportsService service = cluster.startService("bench-latency", options.settings())) {
            final long commitMs = service.config().processor().commitInterval().toMillis();
            final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
            final Recorder delivered = new Recorder(3);
            final Recorder kafkaOnly = new Recorder(3);
            final Recorder window = new Recorder(3);
            final AtomicBoolean measuring = new AtomicBoolean(false);
            final AtomicBoolean running = new AtomicBoolean(true);
            final Thread deliveredReader = reader(cluster, workload.topics().delivered(), "l", sentAt, measuring, running, true,
                    delivered, window);
            final Thread receiptReader = reader(cluster, workload.topics().receipts(), "l", sentAt, measuring, running, false,
                    kafkaOnly);
            final ApiProbe probe = new ApiProbe(cluster, service.httpPort(), measuring);
            // Every 5 s, the last 5 s: shows whether latency is steady, drifting (falling behind) or spiking.
            final Thread progress = new Thread(() -> {
                while (running.get()) {
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    final Histogram interval = window.getIntervalHistogram();
                    LOG.info("last 5 s: {} SMS delivered, p50 {} ms, p99 {} ms, max {} ms", interval.getTotalCount(),
                            interval.getValueAtPercentile(50) / 1000, interval.getValueAtPercentile(99) / 1000, interval.getMaxValue() / 1000);
                }
            }, "latency-progress");
            progress.setDaemon(true);
            progress.start();
            try (PacedLoad load = new PacedLoad(cluster, workload, rate, "l", "bench-live", index -> sentAt.put(index, System.nanoTime()))) {
                Thread.sleep(warmup * 1000);
                delivered.reset();
                kafkaOnly.reset();
                measuring.set(true);
                Thread.sleep(seconds * 1000);
                measuring.set(false);
                LOG.info("Sent {} SMS at {} events/s", load.smsSent(), rate);
            } finally {
                probe.close();
                running.set(false);
                deliveredReader.join(10_000);
                receiptReader.join(10_000);
            }
            final Histogram a = delivered.getIntervalHistogram();
            final Histogram b = probe.histogram();
            final Histogram base = kafkaOnly.getIntervalHistogram();
            final StringBuilder body = new StringBuilder();
            body.append(String.format(Locale.ROOT, "Rate %,.0f input events/s (%,.0f SMS/s, each a dispatch then its DELIVERED receipt) for %d s "
                    + "after %d s of warm-up; `SMS_COMMIT_INTERVAL` = %d ms, exactly_once_v2; broker, service and load in one JVM.%n%n",
                    rate, rate / 2, seconds, warmup, commitMs));
            body.append("| from the receipt handed to the producer to… | samples | p50 ms | p99 ms | max ms | p99 ÷ commit interval |\n"
                    + "| --- | ---: | ---: | ---: | ---: | ---: |\n");
            body.append(row("its record in `sms.receipts` seen by a consumer (baseline: Kafka alone)", base, commitMs));
            body.append(row("(a) its `SmsDelivered` seen by a `read_committed` consumer", a, commitMs));
            body.append(row("(b) the delivered counter visible through the API (probe SMS every 250 ms, API polled every 5 ms)", b, commitMs));
            body.append(String.format(Locale.ROOT, "%nGoal: p99 ≤ 2 × commit interval = %d ms.%n", 2 * commitMs));
            Report.write(options.report(), options.text("section", "latency"), options.command(), body.toString());
        }
    }

    /** Half the exactly-once maximum measured by the last throughput run, or {@code fallback}. */
    static double halfOfMaximum(final double fallback) {
        final Path last = Path.of("bench", "results", "throughput.properties");
        try {
            final Properties properties = new Properties();
            try (var in = Files.newInputStream(last)) {
                properties.load(in);
            }
            return Double.parseDouble(properties.getProperty("exactly_once_v2.events.per.second")) / 2;
        } catch (Exception e) {
            LOG.info("No usable {} ({}): using {} events/s", last, e.toString(), fallback);
            return fallback;
        }
    }

    private static Thread reader(final BenchCluster cluster, final String topic, final String prefix, final Map<Long, Long> sentAt,
            final AtomicBoolean measuring, final AtomicBoolean running, final boolean readCommitted, final Recorder... recorders) {
        final Thread thread = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                    ConsumerConfig.GROUP_ID_CONFIG, "bench-latency-" + topic,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted",
                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
                while (running.get()) {
                    for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        final long now = System.nanoTime();
                        if (!record.key().startsWith(prefix)) {
                            continue;
                        }
                        final Long sent = sentAt.get(Long.parseLong(record.key().substring(prefix.length())));
                        if (sent != null && measuring.get()) {
                            for (final Recorder recorder : recorders) {
                                recorder.recordValue(Math.max(0, (now - sent) / 1_000));
                            }
                        }
                    }
                }
            }
        }, "reader-" + topic);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String row(final String label, final Histogram h, final long commitMs) {
        return String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.1f | %.2f |%n", label, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0,
                h.getValueAtPercentile(99) / 1000.0 / commitMs);
    }
}
