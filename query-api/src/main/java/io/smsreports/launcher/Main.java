package io.smsreports.launcher;

import io.smsreports.config.ConfigException;
import io.smsreports.config.Settings;
import io.smsreports.service.ServiceConfig;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The {@code sms-reports} command: starts the service in the embedded mode (a Kafka broker, the dev schema
 * registry, the topology and the API, all in this process) or, with {@code KAFKA_BOOTSTRAP_SERVERS} and
 * {@code SCHEMA_REGISTRY_URL} set, in the external mode; prints where to look once it is ready; stops
 * cleanly on Ctrl-C or SIGTERM.
 *
 * <p>Exit status: 0 after a clean stop, 1 when stream processing failed, 2 when it could not start (bad
 * option or setting, port in use, foreign data directory...), with the reason on standard error.
 */
@Command(name = "sms-reports", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        usageHelpAutoWidth = true,
        description = {"Real-time SMS delivery reports over Kafka.", "",
            "Without KAFKA_BOOTSTRAP_SERVERS it runs everything in this process: a Kafka broker, the schema registry, "
                + "the stream processor and the API, keeping their data in --data-dir. With KAFKA_BOOTSTRAP_SERVERS and "
                + "SCHEMA_REGISTRY_URL it connects to that cluster instead (see the README for every setting).", ""},
        footer = {"", "Each option can also be set by the environment variable shown in brackets. Settings of the service itself "
            + "(SMS_APPLICATION_ID, SMS_RECEIPT_TIMEOUT, ...) are environment variables only: see the README."})
public final class Main implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);

    // No defaults here: an option only overrides its environment variable; LaunchOptions and ServiceConfig hold every
    // default and range, once (the help text quotes their constants).
    @Option(names = "--demo", description = "Also run a simulated sender and SMS gateway producing realistic traffic. [SMS_DEMO=true]")
    Boolean demo;

    @Option(names = "--demo-rate", paramLabel = "SMS/S",
            description = "New SMS a second of the demo traffic [SMS_DEMO_RATE, default " + (int) LaunchOptions.DEFAULT_DEMO_RATE + "]")
    Double demoRate;

    @Option(names = "--demo-max-sms", paramLabel = "N",
            description = "Stop the demo after this many live SMS; 0 for no limit [SMS_DEMO_MAX_SMS, default 0]")
    Long demoMaxSms;

    @Option(names = "--demo-seed", paramLabel = "N", hidden = true)
    Long demoSeed;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the embedded broker, registry and state stores keep their data [SMS_DATA_DIR, default "
                    + LaunchOptions.DEFAULT_DATA_DIR + "]")
    Path dataDir;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "The API and dashboard port [SMS_HTTP_PORT, default " + ServiceConfig.DEFAULT_HTTP_PORT + "]")
    Integer httpPort;

    @Option(names = "--kafka-port", paramLabel = "PORT",
            description = "The embedded Kafka broker's port [SMS_KAFKA_PORT, default " + LaunchOptions.DEFAULT_KAFKA_PORT + "]")
    Integer kafkaPort;

    @Option(names = "--controller-port", paramLabel = "PORT",
            description = "The embedded broker's KRaft controller port [SMS_CONTROLLER_PORT, default " + LaunchOptions.DEFAULT_CONTROLLER_PORT
                    + "]")
    Integer controllerPort;

    @Option(names = "--registry-port", paramLabel = "PORT",
            description = "The embedded schema registry's port [SMS_REGISTRY_PORT, default " + LaunchOptions.DEFAULT_REGISTRY_PORT + "]")
    Integer registryPort;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of the topics the embedded mode creates [SMS_PARTITIONS, default " + LaunchOptions.DEFAULT_PARTITIONS
                    + "]")
    Integer partitions;

    private final PrintStream out;
    private final PrintStream err;

    Main(final PrintStream out, final PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(final String[] args) {
        final CommandLine commandLine = new CommandLine(new Main(System.out, System.err));
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        final LaunchOptions options;
        final ServiceConfig config;
        try {
            final Settings settings = Settings.fromEnvironment()
                    .withOption(LaunchOptions.SMS_DEMO, "--demo", demo)
                    .withOption(LaunchOptions.SMS_DEMO_RATE, "--demo-rate", demoRate)
                    .withOption(LaunchOptions.SMS_DEMO_MAX_SMS, "--demo-max-sms", demoMaxSms)
                    .withOption(LaunchOptions.SMS_DEMO_SEED, "--demo-seed", demoSeed)
                    .withOption(LaunchOptions.SMS_DATA_DIR, "--data-dir", dataDir)
                    .withOption(ServiceConfig.SMS_HTTP_PORT, "--http-port", httpPort)
                    .withOption(LaunchOptions.SMS_KAFKA_PORT, "--kafka-port", kafkaPort)
                    .withOption(LaunchOptions.SMS_CONTROLLER_PORT, "--controller-port", controllerPort)
                    .withOption(LaunchOptions.SMS_REGISTRY_PORT, "--registry-port", registryPort)
                    .withOption(LaunchOptions.SMS_PARTITIONS, "--partitions", partitions);
            options = LaunchOptions.from(settings);
            settings.validate();
            config = Launcher.serviceConfig(settings, options);
        } catch (IllegalArgumentException | ConfigException e) {
            err.println("sms-reports: " + e.getMessage());
            return 2;
        }

        final RunningSmsReports running;
        try {
            running = Launcher.start(options, config);
        } catch (IllegalStateException | UncheckedIOException e) {
            err.println("sms-reports: cannot start: " + e.getMessage());
            LOG.debug("Start failed", e);
            return 2;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        final Duration stopBound = config.processor().shutdownTimeout();
        final Thread hook = new Thread(() -> {
            // SIGTERM stops within SMS_SHUTDOWN_TIMEOUT, even with the cluster unreachable: the ordered stop runs on its
            // own thread and the JVM exits when the bound (plus a moment for the broker) is reached, whatever is left.
            final Thread closer = new Thread(running::close, "sms-reports-stop");
            closer.setDaemon(true);
            closer.start();
            try {
                closer.join(stopBound.plusSeconds(2).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (closer.isAlive()) {
                LOG.warn("Not stopped within {} s: exiting anyway (the state is exactly-once: work since the last commit is redone)",
                        stopBound.toSeconds());
            }
            stopped.countDown();
        }, "sms-reports-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        if (running.awaitReady(READY_TIMEOUT)) {
            out.print(banner(running));
            out.flush();
        } else if (failed(running)) {
            err.println("sms-reports: stream processing failed to start; see the log above.");
        } else if (running.isClosed()) {
            LOG.debug("Stopped before it was ready");
        } else {
            err.println("sms-reports: not ready after " + READY_TIMEOUT.toMinutes() + " minutes (restoring state?); "
                    + running.baseUrl() + "/ready says when it is.");
        }
        while (!stopped.await(500, TimeUnit.MILLISECONDS)) {
            if (failed(running)) {
                err.println("sms-reports: stream processing failed (" + running.service().streams().state() + "); stopping.");
                Runtime.getRuntime().removeShutdownHook(hook);
                running.close();
                return 1;
            }
        }
        return 0;
    }

    private static boolean failed(final RunningSmsReports running) {
        final KafkaStreams.State state = running.service().streams().state();
        return state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR;
    }

    /** What the user sees once the service answers: where to look. */
    static String banner(final RunningSmsReports running) {
        final String base = running.baseUrl();
        final StringBuilder text = new StringBuilder();
        text.append(System.lineSeparator())
                .append("  SMS Reports is ready").append(running.embedded() ? " (embedded mode" : " (external mode")
                .append(running.demo().isPresent() ? ", with demo traffic)" : ")").append(System.lineSeparator())
                .append(System.lineSeparator());
        // The link logs the browser in (the token stays in the URL fragment: browsers never send it to a server).
        line(text, "Dashboard", base + "/" + running.adminToken().map(token -> "#token=" + token).orElse(""));
        line(text, "API", base + "/api/v1/campaigns");
        line(text, "OpenAPI", base + "/api/v1/openapi.json");
        line(text, "Metrics", base + "/metrics");
        line(text, "Health", base + "/health, " + base + "/ready");
        line(text, "Kafka", running.bootstrapServers());
        line(text, "Schema registry", running.schemaRegistryUrl());
        running.dataDirectory().ifPresent(dir -> line(text, "Data", dir.toString()));
        running.dataDirectory().filter(dir -> running.adminToken().isPresent())
                .ifPresent(dir -> line(text, "Admin API token", dir.resolve(DataDirectory.ADMIN_TOKEN) + " (Authorization: Bearer <token>)"));
        text.append(System.lineSeparator()).append("  Press Ctrl-C to stop.").append(System.lineSeparator())
                .append(System.lineSeparator());
        return text.toString();
    }

    private static void line(final StringBuilder text, final String label, final String value) {
        text.append(String.format("  %-16s %s%n", label, value));
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"sms-reports " + (version == null ? "(development build)" : version)};
        }
    }
}
