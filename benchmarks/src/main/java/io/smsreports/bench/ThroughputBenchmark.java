package io.smsreports.bench;

import io.smsreports.config.ProcessorConfig;
import io.smsreports.events.Topics;
import io.smsreports.service.SmsReportsService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pipeline throughput against two anchors measured on the same broker in the same run: a plain Kafka Streams DSL peer
 * doing the headline counts ({@link DslPeer}) and Kafka's own {@code ProducerPerformance}, with transactions of the
 * pipeline's commit interval and without; and what each run wrote to Kafka ({@link BrokerRecords}). Ends with one
 * {@code RESULT ...} line per campaign count.
 *
 * <p>The workload (dispatches and receipts of {@code --sms} SMS, see {@link Workload}) is loaded into the
 * topics first; then the service starts on a fresh application id and the clock runs from the moment it is
 * ready until the API shows every SMS sent and final. Events per second = input records ÷ that time. Done
 * with exactly_once_v2 and with at_least_once. The baseline is {@code ProducerPerformance} writing the same
 * number of records of the same average size (acks=all, lz4, as the load generator). With {@code --jfr
 * FILE} the exactly-once run is profiled and its hot spots written too.
 */
public final class ThroughputBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(ThroughputBenchmark.class);
    private static final Pattern PERF = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\)");

    private ThroughputBenchmark() {
    }

    /** One measured run of the pipeline or of the DSL peer, and what it wrote to Kafka (topic → records). */
    record Run(String guarantee, double seconds, double eventsPerSecond, Map<String, Long> written) {
    }

    /** The measured runs of one workload (one campaign count) on its own broker. */
    record Measured(int campaigns, long sms, long events, int recordSize, double loadSeconds, List<Double> perf, List<Double> perfTxn,
            List<Run> eos, List<Run> alo, List<Run> peer) {
        double ratio(final List<Run> runs) {
            return median(runs.stream().map(Run::eventsPerSecond).toList()) / median(perf);
        }

        static double rate(final List<Run> runs) {
            return median(runs.stream().map(Run::eventsPerSecond).toList());
        }

        /** Broker records per SMS of the exactly-once runs (median). */
        double brokerRecordsPerSms() {
            return median(eos.stream().map(r -> (double) BrokerRecords.total(r.written()) / sms).toList());
        }

        String result() {
            return String.format(Locale.ROOT, "RESULT pipeline_events_per_s=%.0f dsl_peer_events_per_s=%.0f producer_txn_records_per_s=%.0f "
                    + "broker_records_per_sms=%.2f", rate(eos), rate(peer), median(perfTxn), brokerRecordsPerSms());
        }
    }

    public static void main(final String[] args) throws Exception {
        final Args options = Args.parse("throughput", args);
        final long sms = options.number("sms", 200_000);
        final int partitions = (int) options.number("partitions", 3);
        final int runs = (int) options.number("runs", 3);
        final String jfr = options.text("jfr", null);
        final List<Integer> campaignCounts = java.util.Arrays.stream(options.text("campaigns", "1").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        final List<Measured> measured = new ArrayList<>();
        for (final int campaigns : campaignCounts) {
            // Each workload on a broker of its own, one after the other in this run: the ratios compare like with like.
            measured.add(measure(sms, partitions, runs, campaigns, campaigns == campaignCounts.get(campaignCounts.size() - 1) ? jfr : null,
                    options));
        }
        final StringBuilder body = new StringBuilder();
        if (!options.settings().isEmpty()) {
            body.append("Service settings: `").append(options.settings()).append("`.\n\n");
        }
        for (final Measured m : measured) {
            body.append(String.format(Locale.ROOT, "**%d campaign(s)**: %,d SMS = %,d input records (dispatches, receipts: 30 %% with an "
                    + "intermediate, 5 %% a duplicate final, 1 %% early), %d bytes on average, %d partitions; loaded by the harness in "
                    + "%.1f s before the pipeline starts. One warm-up run of the pipeline, not counted, then %d measured run(s) of each; "
                    + "with several, the median and [min, max].%n%n", m.campaigns(), sms, m.events(), m.recordSize(), partitions,
                    m.loadSeconds(), runs));
            body.append("| measure | events/s | ratio to the DSL peer | ratio to transactional ProducerPerformance |\n"
                    + "| --- | ---: | ---: | ---: |\n");
            final double peerMedian = Measured.rate(m.peer());
            final double txnMedian = median(m.perfTxn());
            body.append(row("ProducerPerformance, transactions of " + COMMIT_INTERVAL_MS + " ms (baseline): same record count and size, "
                    + "acks=all, lz4", m.perfTxn(), peerMedian, txnMedian));
            body.append(row("ProducerPerformance without transactions", m.perf(), peerMedian, txnMedian));
            body.append(row("**DSL peer**, exactly_once_v2 (KTable join, windowed count, `sms.delivered`-like output), until every input "
                    + "and repartition record is committed", m.peer().stream().map(Run::eventsPerSecond).toList(), peerMedian, txnMedian));
            body.append(row("**pipeline**, exactly_once_v2 (default), until every count is final",
                    m.eos().stream().map(Run::eventsPerSecond).toList(), peerMedian, txnMedian));
            body.append(row("pipeline, at_least_once", m.alo().stream().map(Run::eventsPerSecond).toList(), peerMedian, txnMedian));
            body.append(String.format(Locale.ROOT, "%nTime to final: pipeline exactly_once_v2 %.1f s, at_least_once %.1f s; DSL peer %.1f s "
                    + "(medians).%n%n", median(m.eos().stream().map(Run::seconds).toList()), median(m.alo().stream().map(Run::seconds).toList()),
                    median(m.peer().stream().map(Run::seconds).toList())));
            final Run lastEos = m.eos().get(m.eos().size() - 1);
            final Run lastPeer = m.peer().get(m.peer().size() - 1);
            body.append(String.format(Locale.ROOT, "What reached Kafka (end offsets before and after the run, inputs excluded, commit markers "
                    + "included): pipeline %.2f records per SMS (median of the exactly-once runs; goal ≤ 5), DSL peer %.2f. The last "
                    + "exactly-once run of the pipeline by topic:%n%n", m.brokerRecordsPerSms(),
                    (double) BrokerRecords.total(lastPeer.written()) / m.sms()));
            body.append(BrokerRecords.table(lastEos.written(), m.sms(), m.events())).append('\n');
            body.append("`").append(m.result()).append("`\n\n");
        }
        if (measured.size() > 1) {
            final double low = measured.stream().mapToDouble(m -> m.ratio(m.eos())).min().orElseThrow();
            final double high = measured.stream().mapToDouble(m -> m.ratio(m.eos())).max().orElseThrow();
            body.append(String.format(Locale.ROOT, "exactly_once_v2 ratio over the campaign counts: %.3f to %.3f, a spread of %.1f %% "
                    + "(goal: within 10 %%, no hot partition).%n%n", low, high, (high - low) / high * 100));
        }
        body.append("Goal: pipeline ≥ 0.8 × the DSL peer (exactly_once_v2 both), computing what the peer does not (first final wins, "
                + "early receipts, unconfirmed, reconciliation, history, rows, latency, breakdowns, alerts, spend, engagement).\n");
        Report.write(options.report(), "throughput", options.command(), body.toString());
        final Measured last = measured.get(measured.size() - 1);
        final java.util.Properties properties = new java.util.Properties();
        properties.setProperty("exactly_once_v2.events.per.second", Double.toString(median(last.eos().stream().map(Run::eventsPerSecond).toList())));
        properties.setProperty("at_least_once.events.per.second", Double.toString(median(last.alo().stream().map(Run::eventsPerSecond).toList())));
        Files.createDirectories(Path.of("bench", "results"));
        try (var out = Files.newOutputStream(Path.of("bench", "results", "throughput.properties"))) {
            properties.store(out, "Last throughput run: the latency and query benchmarks ingest at half of it");
        }
        if (jfr != null) {
            Report.write(options.report(), "hotspots", options.command(),
                    "Profile of the last exactly_once_v2 run (JFR, `profile` settings, every thread of the JVM: broker, "
                            + "stream thread, clients):\n\n" + HotSpots.summarize(Path.of(jfr), 15));
        }
        LOG.info("Results written to {}", options.report().toAbsolutePath());
        for (final Measured m : measured) {
            System.out.println(m.result()); // machine-readable, one line per campaign count, the last lines of the output
        }
    }

    private static Measured measure(final long sms, final int partitions, final int runs, final int campaigns, final String jfr,
            final Args options) throws Exception {
        try (BenchCluster cluster = new BenchCluster(partitions); Workload workload = new Workload(cluster.registry.url(), 42)) {
            final List<Workload.Event> events = generate(workload, sms, campaigns);
            final long bytes = events.stream().mapToLong(e -> e.value().length + e.key().length()).sum();
            final int recordSize = (int) Math.round((double) bytes / events.size());
            LOG.info("Loading {} events of {} SMS in {} campaign(s) ({} bytes on average)", events.size(), sms, campaigns, recordSize);
            final long loadStart = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = cluster.producer(20)) {
                BenchCluster.sendAll(producer, events);
            }
            final double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            final List<Run> eos = new ArrayList<>();
            final List<Run> alo = new ArrayList<>();
            final List<Run> peer = new ArrayList<>();
            final List<Double> perf = new ArrayList<>();
            final List<Double> perfTxn = new ArrayList<>();
            final BrokerRecords records = new BrokerRecords(cluster.bootstrap(), java.util.Set.copyOf(Topics.defaults().inputs()));
            // A first run, not counted, warms the JIT up (ProducerPerformance's own JVM warms up within its run).
            pipeline(cluster, records, "bench-warmup", "exactly_once_v2", sms, events.size(), null, options.settings());
            peer(cluster, records, "bench-peer-warmup", events.size(), options.settings());
            for (int run = 0; run < runs; run++) {
                eos.add(pipeline(cluster, records, "bench-eos-" + run, "exactly_once_v2", sms, events.size(), run == runs - 1 ? jfr : null,
                        options.settings()));
                peer.add(peer(cluster, records, "bench-peer-" + run, events.size(), options.settings()));
                alo.add(pipeline(cluster, records, "bench-alo-" + run, "at_least_once", sms, events.size(), null, options.settings()));
                perfTxn.add(producerPerformance(cluster, events.size(), recordSize, "txn-" + run, true));
                perf.add(producerPerformance(cluster, events.size(), recordSize, String.valueOf(run), false));
            }
            return new Measured(campaigns, sms, events.size(), recordSize, loadSeconds, perf, perfTxn, eos, alo, peer);
        }
    }

    static List<Workload.Event> generate(final Workload workload, final long sms) {
        return generate(workload, sms, 10);
    }

    static List<Workload.Event> generate(final Workload workload, final long sms, final int campaigns) {
        final List<Workload.Event> events = new ArrayList<>((int) (sms * 2.4) + 16);
        final Instant start = Instant.now().minus(Duration.ofHours(2));
        for (int c = 0; c < campaigns; c++) {
            events.add(workload.campaign("bench-" + c, start));
        }
        final long spread = Duration.ofHours(1).toMillis();
        for (long i = 0; i < sms; i++) {
            workload.sms("s" + i, "bench-" + (i % campaigns), start.toEpochMilli() + spread * i / sms, 0.1, events::add);
        }
        return events;
    }

    private static Run peer(final BenchCluster cluster, final BrokerRecords records, final String applicationId, final long events,
            final Map<String, String> settings) throws Exception {
        final Map<String, Long> before = records.snapshot();
        final double seconds = DslPeer.run(cluster, applicationId, settings);
        final Run run = new Run("exactly_once_v2", seconds, events / seconds, BrokerRecords.written(before, records.snapshot(), applicationId));
        LOG.info("DSL peer: {} events in {} s = {} events/s, {} broker records", events, String.format(Locale.ROOT, "%.1f", seconds),
                String.format(Locale.ROOT, "%.0f", run.eventsPerSecond()), BrokerRecords.total(run.written()));
        return run;
    }

    private static Run pipeline(final BenchCluster cluster, final BrokerRecords records, final String applicationId, final String guarantee,
            final long sms, final long events, final String jfr, final Map<String, String> settings) throws Exception {
        Recording recording = null;
        if (jfr != null) {
            recording = new Recording(Configuration.getConfiguration("profile"));
            recording.start();
        }
        final Map<String, String> overrides = new java.util.HashMap<>(settings);
        overrides.put(ProcessorConfig.SMS_PROCESSING_GUARANTEE, guarantee);
        final Map<String, Long> before = records.snapshot();
        try {
            final double seconds;
            try (SmsReportsService service = cluster.startService(applicationId, overrides)) {
                final long start = System.nanoTime();
                final long end = new Api(service.httpPort()).awaitFinal(sms, Duration.ofMinutes(30), 250); // polling costs the pipeline CPU
                seconds = (end - start) / 1e9;
            }
            // After the close: its last commit is in.
            final Run run = new Run(guarantee, seconds, events / seconds, BrokerRecords.written(before, records.snapshot(), applicationId));
            LOG.info("{}: {} events in {} s = {} events/s, {} broker records", guarantee, events, String.format(Locale.ROOT, "%.1f", seconds),
                    String.format(Locale.ROOT, "%.0f", run.eventsPerSecond()), BrokerRecords.total(run.written()));
            return run;
        } finally {
            if (recording != null) {
                recording.stop();
                recording.dump(Path.of(jfr));
                recording.close();
            }
        }
    }

    /** The pipeline's commit interval (ProcessorConfig's default): the transactional baseline commits as often. */
    static final long COMMIT_INTERVAL_MS = 200;

    /**
     * Runs Kafka's ProducerPerformance in its own JVM against the same broker, with transactions of the pipeline's commit
     * interval when {@code transactional}; returns its records/s.
     */
    static double producerPerformance(final BenchCluster cluster, final long records, final int recordSize, final String run,
            final boolean transactional) throws Exception {
        final String topic = "bench.producer-perf-" + run;
        cluster.broker.createTopics(List.of(new NewTopic(topic, cluster.partitions, (short) 1)));
        final Path output = Files.createTempFile("producer-perf", ".txt");
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ProducerPerformance",
                "--topic", topic, "--num-records", Long.toString(records), "--record-size", Integer.toString(recordSize),
                "--throughput", "-1"));
        if (transactional) {
            command.addAll(List.of("--transactional-id", "bench-perf-" + run, "--transaction-duration-ms", Long.toString(COMMIT_INTERVAL_MS)));
        }
        command.addAll(List.of("--command-property", "bootstrap.servers=" + cluster.bootstrap(), "acks=all", "linger.ms=20",
                "batch.size=262144", "compression.type=lz4", "buffer.memory=134217728"));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("ProducerPerformance did not finish");
        }
        final String text = Files.readString(output);
        Files.delete(output);
        Matcher last = null;
        final Matcher m = PERF.matcher(text);
        while (m.find()) {
            last = PERF.matcher(m.group());
            last.find();
        }
        if (last == null || Long.parseLong(last.group(1)) != records) {
            throw new IllegalStateException("Unexpected ProducerPerformance output:\n" + text);
        }
        final double perSecond = Double.parseDouble(last.group(2));
        LOG.info("ProducerPerformance{}: {} records of {} bytes: {} records/s", transactional ? " (transactions)" : "", records, recordSize,
                perSecond);
        return perSecond;
    }

    static double median(final List<Double> values) {
        final List<Double> sorted = values.stream().sorted().toList();
        final int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String row(final String label, final List<Double> values, final double peer, final double producerTxn) {
        final double median = median(values);
        final String spread = values.size() > 1 ? String.format(Locale.ROOT, " [%,.0f, %,.0f]", values.stream().mapToDouble(d -> d).min()
                .orElseThrow(), values.stream().mapToDouble(d -> d).max().orElseThrow()) : "";
        return String.format(Locale.ROOT, "| %s | %,.0f%s | %.3f | %.3f |%n", label, median, spread, median / peer, median / producerTxn);
    }
}
