package io.smsreports.launcher;

import io.smsreports.config.Settings;
import io.smsreports.demo.DemoTraffic;
import java.nio.file.Path;

/**
 * What the launcher starts besides the service itself. Read and checked once, by {@link #from}.
 *
 * @param dataDir        the embedded mode's data directory (broker log, registry journal, state stores, demo state)
 * @param host           the address the embedded broker and registry listen on and advertise
 * @param kafkaPort      the embedded broker's client port (9092)
 * @param controllerPort the embedded broker's KRaft controller port (9093)
 * @param registryPort   the dev schema registry's port (8081)
 * @param partitions     partitions of the topics the embedded mode creates
 * @param demo           demo traffic settings, or null for none
 */
public record LaunchOptions(Path dataDir, String host, int kafkaPort, int controllerPort, int registryPort, int partitions,
        DemoTraffic.Settings demo) {

    public static final String SMS_DATA_DIR = "SMS_DATA_DIR";
    public static final String SMS_KAFKA_PORT = "SMS_KAFKA_PORT";
    public static final String SMS_CONTROLLER_PORT = "SMS_CONTROLLER_PORT";
    public static final String SMS_REGISTRY_PORT = "SMS_REGISTRY_PORT";
    public static final String SMS_PARTITIONS = "SMS_PARTITIONS";
    public static final String SMS_DEMO = "SMS_DEMO";
    public static final String SMS_DEMO_RATE = "SMS_DEMO_RATE";
    public static final String SMS_DEMO_MAX_SMS = "SMS_DEMO_MAX_SMS";
    public static final String SMS_DEMO_SEED = "SMS_DEMO_SEED";

    public static final String DEFAULT_DATA_DIR = "data";
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 9093;
    public static final int DEFAULT_REGISTRY_PORT = 8081;
    public static final int DEFAULT_PARTITIONS = 3;
    public static final double DEFAULT_DEMO_RATE = 25;
    public static final long DEFAULT_DEMO_SEED = 20261127L;

    /**
     * Reads and checks the launcher's settings (environment, overlaid with the command line's options), the one place
     * their defaults and ranges are written; problems are recorded in {@code s} (it names the option a value came from).
     */
    public static LaunchOptions from(final Settings s) {
        final Path dataDir = Path.of(s.string(SMS_DATA_DIR, DEFAULT_DATA_DIR));
        final int kafkaPort = s.integer(SMS_KAFKA_PORT, DEFAULT_KAFKA_PORT, 0, 65_535);
        final int controllerPort = s.integer(SMS_CONTROLLER_PORT, DEFAULT_CONTROLLER_PORT, 0, 65_535);
        final int registryPort = s.integer(SMS_REGISTRY_PORT, DEFAULT_REGISTRY_PORT, 0, 65_535);
        final int partitions = s.integer(SMS_PARTITIONS, DEFAULT_PARTITIONS, 1, 1_000);
        DemoTraffic.Settings demo = null;
        if (s.bool(SMS_DEMO, false)) {
            try {
                demo = new DemoTraffic.Settings(s.decimal(SMS_DEMO_RATE, DEFAULT_DEMO_RATE), s.longValue(SMS_DEMO_MAX_SMS, 0, Long.MIN_VALUE),
                        s.longValue(SMS_DEMO_SEED, DEFAULT_DEMO_SEED, Long.MIN_VALUE));
            } catch (IllegalArgumentException e) {
                s.problem(e.getMessage());
            }
        }
        return new LaunchOptions(dataDir, "127.0.0.1", kafkaPort, controllerPort, registryPort, partitions, demo);
    }

    /** The defaults: ./data, localhost:9092/9093/8081, three partitions, no demo. */
    public static LaunchOptions defaults() {
        return new LaunchOptions(Path.of(DEFAULT_DATA_DIR), "127.0.0.1", DEFAULT_KAFKA_PORT, DEFAULT_CONTROLLER_PORT, DEFAULT_REGISTRY_PORT,
                DEFAULT_PARTITIONS, null);
    }

    public LaunchOptions withDemo(final DemoTraffic.Settings settings) {
        return new LaunchOptions(dataDir, host, kafkaPort, controllerPort, registryPort, partitions, settings);
    }

    public LaunchOptions withDataDir(final Path directory) {
        return new LaunchOptions(directory, host, kafkaPort, controllerPort, registryPort, partitions, demo);
    }

    /** These options with every embedded port set to 0 (any free port): for tests. */
    public LaunchOptions withFreePorts() {
        return new LaunchOptions(dataDir, host, 0, 0, 0, partitions, demo);
    }
}
