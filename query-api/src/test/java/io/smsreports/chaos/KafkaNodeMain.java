package io.smsreports.chaos;

import io.smsreports.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One node (combined broker and controller) of a three-node KRaft cluster, in its own JVM so that a test can
 * SIGKILL it. Arguments: node id, cluster id, voters ({@code id@host:port,…}), client port, controller port, data
 * directory. Logs that it is ready once it serves, then runs until killed.
 */
public final class KafkaNodeMain {

    private KafkaNodeMain() {
    }

    public static void main(final String[] args) throws InterruptedException {
        final EmbeddedKafkaBroker node = EmbeddedKafkaBroker.builder()
                .clusterNode(Integer.parseInt(args[0]), args[1], args[2], 3)
                .port(Integer.parseInt(args[3]))
                .controllerPort(Integer.parseInt(args[4]))
                .dataDirectory(Path.of(args[5]))
                .startupTimeout(Duration.ofMinutes(3))
                .brokerConfig("num.io.threads", 2)
                .brokerConfig("num.network.threads", 1)
                .brokerConfig("log.cleaner.dedupe.buffer.size", 4 * 1024 * 1024)
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "node-shutdown"));
        Thread.currentThread().join();
    }
}
