package io.smsreports.launcher;

import io.smsreports.demo.DemoTraffic;
import java.nio.file.Path;

/**
 * What the launcher starts besides the service itself.
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

    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 9093;
    public static final int DEFAULT_REGISTRY_PORT = 8081;
    public static final int DEFAULT_PARTITIONS = 3;

    public LaunchOptions {
        if (partitions < 1 || partitions > 1_000) {
            throw new IllegalArgumentException("--partitions must be between 1 and 1000, was " + partitions);
        }
        for (final int port : new int[] {kafkaPort, controllerPort, registryPort}) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("a port must be between 0 and 65535, was " + port);
            }
        }
    }

    /** The defaults: ./data, localhost:9092/9093/8081, three partitions, no demo. */
    public static LaunchOptions defaults() {
        return new LaunchOptions(Path.of("data"), "127.0.0.1", DEFAULT_KAFKA_PORT, DEFAULT_CONTROLLER_PORT, DEFAULT_REGISTRY_PORT,
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
