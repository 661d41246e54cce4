package io.smsreports.bench;

import io.smsreports.service.SmsReportsService;
import java.net.URI;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Query latency under ingest load, open loop: requests are started on a fixed schedule ({@code --qps}, default
 * 2,000 a second) whatever the answers do, and each latency runs from the request's scheduled start to its
 * last byte, so a stall is charged to every request it delays (no coordinated omission). The endpoints take
 * turns: campaign summary, campaign list, platforms, heatmap, one person's messages. Meanwhile live traffic is ingested at
 * half the exactly-once maximum. The baseline, in the same run and under the same ingest, is {@code /health}
 * at the same rate: the HTTP stack and the machine without any state-store read.
 */
public final class QueryLatencyBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(QueryLatencyBenchmark.class);
    private static final int CONNECTIONS = 16;

    private QueryLatencyBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final Args options = Args.parse("query", args);
        final double rate = options.number("rate", (long) LatencyBenchmark.halfOfMaximum(5_000));
        final int qps = (int) options.number("qps", 2_000);
        final long seconds = options.number("seconds", 30);
        final long history = options.number("sms", 50_000);
        try (BenchCluster cluster = new BenchCluster(3); Workload workload = new Workload(cluster.registry.url(), 3);
                SmsReportsService service = cluster.startService("bench-query", options.settings())) {
            // A day of history for the heatmap and the people, then live traffic on top.
            final List<Workload.Event> events = new ArrayList<>();
            final Instant start = Instant.now().minus(Duration.ofHours(24));
            for (int c = 0; c < 10; c++) {
                events.add(workload.campaign("bench-" + c, start));
            }
            for (long i = 0; i < history; i++) {
                workload.sms("h" + i, "bench-" + (i % 10), start.toEpochMilli() + Duration.ofHours(23).toMillis() * i / history, 0.1,
                        events::add);
            }
            try (KafkaProducer<String, byte[]> producer = cluster.producer(20)) {
                BenchCluster.sendAll(producer, events);
            }
            final Api api = new Api(service.httpPort());
            api.awaitFinal(history, Duration.ofMinutes(20), 500);
            final String personId = api.json("/api/v1/people?msisdn=" + java.net.URLEncoder.encode(Workload.msisdn(7),
                    java.nio.charset.StandardCharsets.UTF_8)).get("personId").asText();
            final Instant to = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
            final Map<String, String> endpoints = new LinkedHashMap<>();
            endpoints.put("campaign summary", "/api/v1/campaigns/bench-3");
            endpoints.put("campaign list (first page)", "/api/v1/campaigns?limit=20");
            endpoints.put("platforms", "/api/v1/campaigns/bench-3/platforms");
            endpoints.put("heatmap (Europe/Istanbul)", "/api/v1/campaigns/bench-3/heatmap?tz=Europe/Istanbul");
            endpoints.put("one person's messages (29 days)", "/api/v1/people/" + personId + "/messages?from="
                    + to.minus(Duration.ofDays(29)) + "&to=" + to);

            try (Workload live = new Workload(cluster.registry.url(), 5);
                    PacedLoad load = new PacedLoad(cluster, live, rate, "q", "bench-live", index -> { })) {
                final Map<String, String> health = Map.of("/health (baseline)", "/health");
                final Api client = new Api(service.httpPort(), Duration.ofSeconds(60));
                for (int step = 1; step <= 5; step++) {
                    openLoop(client, health, qps * step / 5, 1, false);
                }
                final Map<String, Histogram> baseline = openLoop(client, health, qps, seconds, true);
                openLoop(client, endpoints, qps, 5, false);
                final Map<String, Histogram> measured = openLoop(client, endpoints, qps, seconds, true);
                LOG.info("Ingested {} live SMS meanwhile", load.smsSent());

                final Histogram base = baseline.get("/health (baseline)");
                final Histogram all = new Histogram(3);
                measured.values().forEach(all::add);
                final StringBuilder body = new StringBuilder();
                body.append(String.format(Locale.ROOT, "%,d requests/s for %d s (after a 5 s ramp-up that opens the client's connections, and 5 s of warm-up), open loop, latency from each "
                        + "request's scheduled start (HdrHistogram; no coordinated omission), 16 keep-alive connections (as wrk2); endpoints in turn; %,d SMS of history "
                        + "and live ingest at %,.0f events/s meanwhile; client, service and broker in one JVM.%n%n",
                        qps, seconds, history, rate));
                body.append("| endpoint | requests | p50 ms | p99 ms | p99.9 ms | max ms | p99 ÷ baseline p99 |\n"
                        + "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
                body.append(row("`/health` (baseline, same rate, same ingest)", base, base));
                measured.forEach((name, h) -> body.append(row(name, h, base)));
                body.append(row("**all together**", all, base));
                body.append("\nGoal: p99 ≤ 10 ms.\n");
                Report.write(options.report(), options.text("section", "query"), options.command(), body.toString());
            }
        }
    }

    /**
     * Sends {@code qps} requests a second for {@code seconds}, cycling through {@code endpoints}, from
     * {@link #CONNECTIONS} threads that each hold one keep-alive connection (as wrk2 does). Request i is
     * scheduled at start + i / qps; a thread takes the next slot, waits for its time, and times the request
     * from that scheduled start, so a request that waited for a free connection has the wait in its latency.
     */
    static Map<String, Histogram> openLoop(final Api api, final Map<String, String> endpoints, final int qps, final long seconds,
            final boolean strict) throws InterruptedException {
        final List<String> names = new ArrayList<>(endpoints.keySet());
        final List<java.net.URL> urls = new ArrayList<>();
        for (final String name : names) {
            try {
                urls.add(URI.create(api.base + endpoints.get(name)).toURL());
            } catch (java.net.MalformedURLException e) {
                throw new IllegalArgumentException(e);
            }
        }
        final List<Recorder> recorders = names.stream().map(n -> new Recorder(3)).toList();
        final long total = qps * seconds;
        final long period = 1_000_000_000L / qps;
        final AtomicLong next = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>();
        final long start = System.nanoTime() + 10_000_000L;
        final List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < CONNECTIONS; w++) {
            final Thread worker = new Thread(() -> {
                final byte[] buffer = new byte[16_384];
                for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    final long scheduled = start + i * period;
                    long wait;
                    while ((wait = scheduled - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(Math.min(wait, 200_000));
                    }
                    final int which = (int) (i % urls.size());
                    try {
                        final java.net.HttpURLConnection connection = (java.net.HttpURLConnection) urls.get(which).openConnection();
                        connection.setRequestProperty("Authorization", Api.AUTHORIZATION);
                        connection.setConnectTimeout(60_000);
                        connection.setReadTimeout(60_000);
                        final int status = connection.getResponseCode();
                        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                            while (in != null && in.read(buffer) >= 0) {
                                // drain, so the connection is kept alive for the next request
                            }
                        }
                        if (status != 200) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, "HTTP " + status + " from " + urls.get(which));
                        }
                    } catch (java.io.IOException e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    }
                    recorders.get(which).recordValue((System.nanoTime() - scheduled) / 1_000);
                }
            }, "query-load-" + w);
            worker.start();
            workers.add(worker);
        }
        for (final Thread worker : workers) {
            worker.join();
        }
        if (errors.get() > 0 && strict) {
            throw new IllegalStateException(errors.get() + " of " + total + " requests failed, the first with: " + firstError.get());
        }
        final Map<String, Histogram> result = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            result.put(names.get(i), recorders.get(i).getIntervalHistogram());
        }
        return result;
    }

    private static String row(final String label, final Histogram h, final Histogram base) {
        return String.format(Locale.ROOT, "| %s | %,d | %.2f | %.2f | %.2f | %.1f | %.2f |%n", label, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0,
                h.getMaxValue() / 1000.0, (double) h.getValueAtPercentile(99) / Math.max(1, base.getValueAtPercentile(99)));
    }
}
