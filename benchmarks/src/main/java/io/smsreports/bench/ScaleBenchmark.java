package io.smsreports.bench;

import io.smsreports.config.ProcessorConfig;
import io.smsreports.launcher.Main;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scale: the service runs in its own JVM ({@code -Xmx512m}, external mode against the benchmark's broker) so
 * that its resident memory is its own.
 *
 * <ol>
 *   <li>{@code --sms} realistic SMS (default 1,000,000): state on disk and resident memory per million SMS;</li>
 *   <li>two failing campaigns, {@code --export-rows} failed SMS (default 1,000,000) and a tenth of that:
 *       failed-user exports in CSV and XLSX, time and peak heap of the service; the smaller export is the
 *       baseline (flat memory: the same peak; linear time: ten times the time);</li>
 *   <li>restore: the service is stopped, its state directory wiped, and it is started again: time until every
 *       count is back, per million SMS; the baseline is a plain consumer reading the same changelog topics.</li>
 * </ol>
 */
public final class ScaleBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(ScaleBenchmark.class);
    private static final String APPLICATION_ID = "bench-scale";

    private ScaleBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final Args options = Args.parse("scale", args);
        final long sms = options.number("sms", 1_000_000);
        final long bigRows = options.number("export-rows", 1_000_000);
        final long smallRows = bigRows / 10;
        final StringBuilder body = new StringBuilder();
        try (BenchCluster cluster = new BenchCluster(3); Workload workload = new Workload(cluster.registry.url(), 11)) {
            final Path stateDir = cluster.directory.resolve("service-state");
            Service service = Service.start(cluster, stateDir);
            try {
                final Instant start = Instant.now().minus(Duration.ofHours(6));
                final long loadStart = System.nanoTime();
                load(cluster, workload, "s", sms, 10, start, 0.1);
                service.api.awaitFinal(sms, Duration.ofHours(2), 1000);
                final double processSeconds = (System.nanoTime() - loadStart) / 1e9;
                final long disk = Machine.diskBytes(stateDir);
                final long rss = Machine.rssBytes(service.process.pid());
                LOG.info("{} SMS: {} s, state {} bytes, RSS {} bytes", sms, processSeconds, disk, rss);
                body.append(String.format(Locale.ROOT, "**State and memory.** %,d realistic SMS (10 campaigns, 10 %% failed, see the throughput "
                        + "workload) loaded and processed in %.0f s. The service runs alone in its JVM (`-Xmx512m`, RocksDB bounded to "
                        + "256 MiB by `SMS_ROCKSDB_MEMORY_BYTES`).%n%n| measure | value | per million SMS |%n| --- | ---: | ---: |%n",
                        sms, processSeconds));
                body.append(String.format(Locale.ROOT, "| state stores on disk (RocksDB, all stores) | %,.0f MiB | %,.0f MiB |%n",
                        disk / 1048576.0, disk / 1048576.0 / (sms / 1e6)));
                body.append(String.format(Locale.ROOT, "| service resident memory (RSS) | %,.0f MiB | (bounded: not proportional) |%n%n",
                        rss / 1048576.0));

                load(cluster, workload, "xs", smallRows, 1, start, 1.0, "export-small");
                load(cluster, workload, "xb", bigRows, 1, start, 1.0, "export-big");
                final long total = sms + smallRows + bigRows;
                service.api.awaitFinal(total, Duration.ofHours(2), 1000);

                body.append("**Failed-user export** through the API (`/failed/export`, all three id columns), streamed from RocksDB; "
                        + "the service's heap sampled every 100 ms from its own `/metrics`.\n\n"
                        + "| export | rows | size | time | rows/s | peak heap used | vs. the 10× smaller export |\n"
                        + "| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
                for (final String format : List.of("csv", "xlsx")) {
                    final Export small = service.export("export-small", format, smallRows);
                    final Export big = service.export("export-big", format, bigRows);
                    body.append(small.row(format, null));
                    body.append(big.row(format, small));
                }
                body.append('\n');

                // Restore: the baseline reads the changelogs raw, then the service rebuilds from them.
                service.stop();
                final long[] raw = readChangelogs(cluster);
                final double rawSeconds = raw[2] / 1e9;
                BenchCluster.deleteRecursively(stateDir);
                final long restoreStart = System.nanoTime();
                service = Service.start(cluster, stateDir);
                service.api.awaitFinal(total, Duration.ofHours(2), 200);
                final double restoreSeconds = (System.nanoTime() - restoreStart) / 1e9;
                body.append(String.format(Locale.ROOT, "**Restore** after wiping the state directory: %,d SMS in the stores, %,d changelog "
                        + "records (%,.0f MiB).%n%n| measure | time | per million SMS | ratio |%n| --- | ---: | ---: | ---: |%n",
                        total, raw[0], raw[1] / 1048576.0));
                body.append(String.format(Locale.ROOT, "| baseline: a plain consumer reads every changelog partition | %.1f s | %.1f s | 1.00 |%n",
                        rawSeconds, rawSeconds / (total / 1e6)));
                body.append(String.format(Locale.ROOT, "| service start to every count back (restore into RocksDB, then ready) | %.1f s | %.1f s "
                        + "| %.2f |%n", restoreSeconds, restoreSeconds / (total / 1e6), restoreSeconds / rawSeconds));
            } finally {
                service.stop();
            }
            Report.write(options.report(), "scale", options.command(), body.toString());
        }
    }

    private static void load(final BenchCluster cluster, final Workload workload, final String prefix, final long count,
            final int campaigns, final Instant start, final double failRate, final String... campaignIds) {
        final List<String> ids = new ArrayList<>();
        for (int c = 0; c < campaigns; c++) {
            ids.add(campaignIds.length > 0 ? campaignIds[c] : "bench-" + c);
        }
        try (KafkaProducer<String, byte[]> producer = cluster.producer(20)) {
            final List<Workload.Event> chunk = new ArrayList<>();
            ids.forEach(id -> chunk.add(workload.campaign(id, start)));
            final long spread = Duration.ofHours(5).toMillis();
            for (long i = 0; i < count; i++) {
                workload.sms(prefix + i, ids.get((int) (i % ids.size())), start.toEpochMilli() + spread * i / count, failRate, chunk::add);
                if (chunk.size() >= 200_000) {
                    BenchCluster.sendAll(producer, chunk);
                    chunk.clear();
                }
            }
            BenchCluster.sendAll(producer, chunk);
        }
        LOG.info("Loaded {} SMS ({})", count, prefix);
    }

    /** Reads every changelog partition of the service from the beginning: records, bytes, nanoseconds. */
    private static long[] readChangelogs(final BenchCluster cluster) throws Exception {
        final List<TopicPartition> partitions = new ArrayList<>();
        try (var admin = cluster.broker.admin()) {
            final var names = admin.listTopics().names().get().stream()
                    .filter(n -> n.startsWith(APPLICATION_ID + "-") && n.endsWith("-changelog")).toList();
            admin.describeTopics(names).allTopicNames().get().forEach((name, description) ->
                    description.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            final long startNanos = System.nanoTime();
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long records = 0;
            long bytes = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    records++;
                    bytes += (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
                }
            }
            return new long[] {records, bytes, System.nanoTime() - startNanos};
        }
    }

    /** One measured export. */
    record Export(String campaign, long rows, long bytes, double seconds, long peakHeap) {
        String row(final String format, final Export baseline) {
            final String versus = baseline == null ? "(baseline)" : String.format(Locale.ROOT, "heap × %.2f, time × %.1f",
                    (double) peakHeap / baseline.peakHeap(), seconds / baseline.seconds());
            return String.format(Locale.ROOT, "| %s | %,d | %,.1f MiB | %.1f s | %,.0f | %,.0f MiB | %s |%n", format.toUpperCase(Locale.ROOT),
                    rows, bytes / 1048576.0, seconds, rows / seconds, peakHeap / 1048576.0, versus);
        }
    }

    /** The service in its own JVM. */
    private static final class Service {
        final Process process;
        final Api api;

        private Service(final Process process, final Api api) {
            this.process = process;
            this.api = api;
        }

        static Service start(final BenchCluster cluster, final Path stateDir) throws Exception {
            final int port;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            final ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--http-port",
                    Integer.toString(port), "--data-dir", stateDir.getParent().resolve("service-data").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(cluster.directory.resolve("service.log").toFile()));
            final Map<String, String> env = builder.environment();
            env.putAll(cluster.serviceSettings(APPLICATION_ID, stateDir, new HashMap<>()));
            env.put(ProcessorConfig.SMS_APPLICATION_SERVER, "localhost:" + port);
            env.remove("SMS_HTTP_PORT");
            final Process process = builder.start();
            final Api api = new Api(port);
            final long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The service exited: see " + cluster.directory.resolve("service.log"));
                }
                try {
                    api.json("/health");
                    return new Service(process, api);
                } catch (IOException e) {
                    Thread.sleep(200);
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("The service did not answer within 30 minutes");
        }

        Export export(final String campaign, final String format, final long rows) throws Exception {
            final AtomicBoolean exporting = new AtomicBoolean(true);
            final AtomicLong peak = new AtomicLong();
            final Thread sampler = new Thread(() -> {
                while (exporting.get()) {
                    try {
                        peak.accumulateAndGet(heapUsed(), Math::max);
                        Thread.sleep(100);
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.start();
            final long start = System.nanoTime();
            final HttpResponse<InputStream> response = api.http.send(HttpRequest.newBuilder(URI.create(api.base + "/api/v1/campaigns/"
                    + campaign + "/failed/export?format=" + format + "&ids=externalId,msisdn,email")).header("Authorization", Api.AUTHORIZATION).timeout(Duration.ofMinutes(30)).GET()
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            long bytes = 0;
            long lines = 0;
            try (InputStream in = response.body()) {
                final byte[] buffer = new byte[65_536];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    bytes += n;
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                }
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            exporting.set(false);
            sampler.join();
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Export answered " + response.statusCode());
            }
            if (format.equals("csv") && lines != rows + 1) {
                throw new IllegalStateException("The CSV export has " + (lines - 1) + " rows, expected " + rows);
            }
            LOG.info("{} export of {}: {} bytes in {} s, peak heap {}", format, campaign, bytes, seconds, peak.get());
            return new Export(campaign, rows, bytes, seconds, peak.get());
        }

        /** Heap in use now, summed over the heap pools, from the service's Prometheus metrics. */
        long heapUsed() throws Exception {
            final String text = api.http.send(HttpRequest.newBuilder(URI.create(api.base + "/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double used = 0;
            for (final String line : text.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    used += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return (long) used;
        }

        void stop() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(3, TimeUnit.MINUTES)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }
}
