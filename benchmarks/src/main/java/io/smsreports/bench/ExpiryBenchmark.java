package io.smsreports.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.service.SmsReportsService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does the expiry scan keep up? {@code --sms} SMS are dispatched (no receipt will come) and processed: that is the
 * ingest rate of the pipeline (the baseline, same run). Then one late dispatch per partition moves every task's
 * clock past the receipt timeout of all of them at once: {@code --sms} deadlines fall due together, and the clock
 * runs until the API shows every SMS Unconfirmed. Drain rate = SMS ÷ that time. The scan keeps up with the ingest it
 * serves when the drain rate is at least the ingest rate (each dispatched SMS brings at most one due deadline).
 */
public final class ExpiryBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiryBenchmark.class);

    private ExpiryBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final Args options = Args.parse("expiry", args);
        final long sms = options.number("sms", 1_000_000);
        final int partitions = (int) options.number("partitions", 3);
        try (BenchCluster cluster = new BenchCluster(partitions); Workload workload = new Workload(cluster.registry.url(), 7)) {
            // Ten days back, spread over an hour: nothing is due while they are ingested (the timeout is 4 days).
            final long start = Instant.now().minus(Duration.ofDays(10)).toEpochMilli();
            final List<Workload.Event> dispatches = new ArrayList<>((int) sms + 16);
            for (int c = 0; c < 10; c++) {
                dispatches.add(workload.campaign("expiry-" + c, Instant.ofEpochMilli(start)));
            }
            for (long i = 0; i < sms; i++) {
                workload.dispatchOnly("x" + i, "expiry-" + (i % 10), start + Duration.ofHours(1).toMillis() * i / sms, dispatches::add);
            }
            try (KafkaProducer<String, byte[]> producer = cluster.producer(20)) {
                BenchCluster.sendAll(producer, dispatches);
            }
            // The idle clock must not move time here: only the data does.
            try (SmsReportsService service = cluster.startService("bench-expiry",
                    Map.of(ProcessorConfig.SMS_IDLE_CLOCK_LAG, "365d"))) {
                final Api api = new Api(service.httpPort());
                final long ingestStart = System.nanoTime();
                await(api, "sent", sms);
                final double ingestSeconds = (System.nanoTime() - ingestStart) / 1e9;

                final List<Workload.Event> clock = new ArrayList<>();
                final long late = start + Duration.ofDays(4).plusHours(2).toMillis();
                for (int p = 0; p < partitions; p++) {
                    workload.dispatchOnly(keyFor(p, partitions), "expiry-clock", late, clock::add);
                }
                final long drainStart = System.nanoTime();
                try (KafkaProducer<String, byte[]> producer = cluster.producer(0)) {
                    BenchCluster.sendAll(producer, clock);
                }
                await(api, "unconfirmed", sms);
                final double drainSeconds = (System.nanoTime() - drainStart) / 1e9;

                final double ingestRate = sms / ingestSeconds;
                final double drainRate = sms / drainSeconds;
                final String body = String.format(Locale.ROOT, "%,d SMS dispatched with no receipt, %d partitions, defaults "
                        + "(`SMS_EXPIRY_SCAN_INTERVAL` 10 s).%n%n| measure | time | SMS/s | ratio to ingest |%n| --- | ---: | ---: | ---: |%n"
                        + "| ingest (baseline): every dispatch processed and counted Sent | %.1f s | %,.0f | 1.00 |%n"
                        + "| expiry: %,d deadlines due at once, until every SMS is Unconfirmed | %.1f s | %,.0f | %.2f |%n%n"
                        + "Goal: the drain rate at least the ingest rate (ratio ≥ 1), so that timeouts never fall behind the traffic "
                        + "that creates them.%n", sms, partitions, ingestSeconds, ingestRate, sms, drainSeconds, drainRate, drainRate / ingestRate);
                Report.write(options.report(), "expiry", options.command(), body);
                LOG.info("Ingest {} SMS/s, expiry drain {} SMS/s", Math.round(ingestRate), Math.round(drainRate));
            }
        }
    }

    private static void await(final Api api, final String metric, final long sms) throws Exception {
        final long deadline = System.nanoTime() + Duration.ofMinutes(60).toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            try {
                long total = 0;
                for (final JsonNode campaign : api.json("/api/v1/campaigns?limit=100").get("items")) {
                    if (campaign.get("messageId").asText().startsWith("expiry-") && !"expiry-clock".equals(campaign.get("messageId").asText())) {
                        total += campaign.at("/metrics/" + metric).asLong();
                    }
                }
                last = total;
                if (total >= sms) {
                    return;
                }
            } catch (java.io.IOException e) {
                // 503 during a rebalance
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(metric + " reached only " + last + " of " + sms);
    }

    private static String keyFor(final int partition, final int partitions) {
        for (int i = 0; ; i++) {
            final String key = "expiry-clock-" + i;
            if (BuiltInPartitioner.partitionForKey(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), partitions) == partition) {
                return key;
            }
        }
    }
}
