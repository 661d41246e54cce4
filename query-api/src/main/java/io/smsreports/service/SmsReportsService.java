package io.smsreports.service;

import io.javalin.Javalin;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.StoreSafeKafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.smsreports.api.ApiException;
import io.smsreports.api.InstanceClient;
import io.smsreports.api.LocalReports;
import io.smsreports.api.QueryApi;
import io.smsreports.api.audit.AuditLog;
import io.smsreports.api.auth.ApiTokens;
import io.smsreports.api.auth.Authenticator;
import io.smsreports.api.auth.Principal;
import io.smsreports.api.auth.Role;
import io.smsreports.app.InstanceIdentity;
import io.smsreports.app.SmsReportsPipeline;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.query.Cluster;
import io.smsreports.query.ReportReader;
import io.smsreports.query.StateUnavailableException;
import io.smsreports.topology.DecodeStalls;
import java.net.BindException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMS Reports instance: the Kafka Streams topology and the HTTP API over its state, in one JVM
 * (interactive queries are local). Several instances with the same application id share the partitions;
 * each advertises its API address so that any of them answers any query.
 *
 * <p>{@link #start} opens the API first (it answers 503 until the state is queryable), then starts stream
 * processing. {@link #close} stops them in the reverse order.
 */
public final class SmsReportsService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmsReportsService.class);

    private final ServiceConfig config;
    private final SmsReportsPipeline pipeline;
    private final KafkaStreams streams;
    private final PrometheusMeterRegistry metrics;
    private final StoreSafeKafkaStreamsMetrics streamsMetrics;
    private final Javalin http;
    private final QueryApi api;
    private final AuditLog audit;
    private final ReportMetrics reportMetrics;
    private final AlertWebhooks webhooks;

    private SmsReportsService(final ServiceConfig config, final SmsReportsPipeline pipeline, final PrometheusMeterRegistry metrics,
            final StoreSafeKafkaStreamsMetrics streamsMetrics, final Javalin http, final QueryApi api, final AuditLog audit,
            final ReportMetrics reportMetrics, final AlertWebhooks webhooks) {
        this.audit = audit;
        this.reportMetrics = reportMetrics;
        this.webhooks = webhooks;
        this.config = config;
        this.pipeline = pipeline;
        this.streams = pipeline.streams();
        this.metrics = metrics;
        this.streamsMetrics = streamsMetrics;
        this.http = http;
        this.api = api;
    }

    /**
     * Starts an instance against the Kafka cluster and registry of {@code config} (both must be set).
     *
     * @throws IllegalStateException with a clear message when the port is taken or the topics are wrong
     */
    public static SmsReportsService start(final ServiceConfig requested) {
        final ServiceConfig config = requested.withResolvedPort();
        final Authenticator auth = authenticator(config);
        final String advertised = config.advertisedServer();
        final ProcessorConfig processor = config.processor().withApplicationServer(advertised);
        final SmsReportsPipeline pipeline = SmsReportsPipeline.create(processor);
        final KafkaStreams streams = pipeline.streams();
        final DecodeStalls stalls = pipeline.monitor().decodeStalls();

        final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final StoreSafeKafkaStreamsMetrics streamsMetrics = new StoreSafeKafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics);
        PipelineCounters.bind(streams, metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);

        Gauge.builder("sms.input.decode.paused", () -> stalls.stalledInputs() > 0 ? 1 : 0)
                .description("1 while input decoding is paused because the schema registry cannot answer (records are held, "
                        + "not dead-lettered), else 0").register(metrics);
        Gauge.builder("sms.input.decode.held.records", stalls::parkedRecords)
                .description("Input records held in order by this instance's tasks until the schema registry answers").register(metrics);
        Gauge.builder("sms.input.decode.paused.inputs", stalls::stalledInputs)
                .description("Task inputs (task, topic) whose decoding is paused now").register(metrics);
        Gauge.builder("sms.input.decode.pause.transitions", stalls::transitions)
                .description("How often decoding went from whole to paused or back (each logged once at WARN)").register(metrics);

        final Cluster cluster = new Cluster(streams, HostInfo.buildFromEndpoint(advertised), processor.applicationId(),
                pipeline.monitor().reportingPartitions());
        final ReportReader reader = new ReportReader(streams, pipeline.monitor().queryableStores(), cluster, processor.topics().dispatches(),
                processor.topics().receipts(), processor.applicationId());
        final LocalReports local = new LocalReports(reader, processor.deliveredWithin().stream().map(java.time.Duration::toMillis).distinct()
                .sorted().toList(), config.failureTaxonomy());
        Gauge.builder("sms.reconciliation.orphan.receipts", () -> {
            try {
                return local.orphanReceipts();
            } catch (ApiException | StateUnavailableException e) {
                return Double.NaN;
            }
        }).description("Orphan receipts (rule 7) stored by this instance's tasks, all time").register(metrics);
        final AuditLog audit = new AuditLog(processor.kafkaClientConfig(), processor.registryClientConfig(), processor.topics().audit(),
                Clock.systemUTC());
        final QueryApi api = new QueryApi(streams, local, cluster, new InstanceClient(config.forwardTimeout(), config.clusterSecret(),
                        config.tls() == null ? null : config.tls().clientContext()),
                processor.historyRetention(), Clock.systemUTC(), metrics, () -> {
                    final String stalled = stalls.problem();
                    return stalled != null ? stalled : pipeline.monitor().restoringProblem();
                }, auth, audit,
                new io.smsreports.api.ExportLimiter(config.exportsPerMinute(), Clock.systemUTC()));
        final Javalin http = Javalin.create(javalin -> {
            if (config.tls() != null) {
                javalin.jetty.addConnector((server, httpConfig) -> TlsConnector.of(server, httpConfig, config));
            }
            api.configure(javalin);
            javalin.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/dashboard";
                files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
            });
            javalin.startup.showJavalinBanner = false;
        });
        try {
            http.start(config.httpHost(), config.httpPort());
        } catch (RuntimeException e) {
            pipeline.close(Duration.ofSeconds(5));
            audit.close();
            if (causedBy(e, BindException.class)) {
                throw new IllegalStateException("Port " + config.httpPort() + " is already in use: cannot start the API there. "
                        + "Stop what uses it or choose another port (SMS_HTTP_PORT, or --http-port of the launcher).", e);
            }
            throw e;
        }
        streams.setStateListener((newState, oldState) -> LOG.info("Stream processing {} -> {}", oldState, newState));
        pipeline.start();
        final InputOffsets inputOffsets = new InputOffsets(processor.kafkaClientConfig(), processor.applicationId(),
                List.of(processor.topics().dispatches(), processor.topics().receipts()),
                () -> cluster.assignedPartitions(processor.topics().dispatches()));
        final ReportMetrics reportMetrics = ReportMetrics.start(reader, pipeline.monitor().restoreProgress(), inputOffsets, metrics,
                Clock.systemUTC());
        // Alert delivery runs on its own consumers and threads: a slow or unreachable receiver holds back nothing else.
        final AlertWebhooks webhooks = AlertWebhooks.start(config.alertDelivery().webhooks(), config.alertDelivery().maxBackoff(),
                processor.kafkaClientConfig(), processor.registryClientConfig(), processor.topics().alerts(), processor.applicationId(),
                metrics);
        LOG.info("SMS Reports API on http://{}:{} (advertised as {}, group member {})", config.httpHost(), http.port(), advertised,
                InstanceIdentity.of(processor));
        return new SmsReportsService(config, pipeline, metrics, streamsMetrics, http, api, audit, reportMetrics, webhooks);
    }

    /**
     * @throws IllegalStateException when no API token or no cluster secret is configured, saying which setting to set
     */
    private static Authenticator authenticator(final ServiceConfig config) {
        if (config.apiTokensFile() == null && config.adminToken() == null) {
            throw new IllegalStateException("No API token is configured: set " + ServiceConfig.SMS_API_TOKENS_FILE + " to a file of "
                    + "'<name> <role> <sha256 of the token>' lines (see the README, \"Security\"). The API serves personal data: "
                    + "it does not run open.");
        }
        if (config.clusterSecret() == null) {
            throw new IllegalStateException("Set " + ServiceConfig.SMS_CLUSTER_SECRET + " (a long random string, the same on every "
                    + "instance): it opens the internal routes between instances and keeps user tokens out of them.");
        }
        final ApiTokens tokens;
        try {
            tokens = ApiTokens.of(config.apiTokensFile(), new Principal("embedded-admin", Role.ADMIN), config.adminToken());
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new IllegalStateException(ServiceConfig.SMS_API_TOKENS_FILE + ": " + e.getMessage(), e);
        }
        return new Authenticator(QueryApi.POLICY, tokens, config.clusterSecret());
    }

    public int httpPort() {
        return http.port();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public ServiceConfig config() {
        return config;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** Whether this instance answers queries: stream processing RUNNING and its stores queryable (as {@code /ready}). */
    public boolean isReady() {
        return api.readinessProblem() == null;
    }

    /** The internal routes (between instances) this instance serves. */
    public java.util.List<String> internalRoutes() {
        return api.internalRoutes();
    }

    /** The public HTTP routes this instance serves. */
    public java.util.List<String> routes() {
        return api.publicRoutes();
    }

    /** Stops the API, then stream processing (committing and closing the stores cleanly), within the shutdown bound. */
    @Override
    public void close() {
        close(config.processor().shutdownTimeout());
    }

    /** As {@link #close()}, within {@code timeout}: gives up waiting for an unreachable cluster at the bound. */
    public void close(final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        http.stop();
        webhooks.close();
        reportMetrics.close();
        pipeline.close(Duration.ofNanos(Math.max(1_000_000_000L, deadline - System.nanoTime())));
        audit.close();
        streamsMetrics.close();
        metrics.close();
    }

    private static boolean causedBy(final Throwable e, final Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
