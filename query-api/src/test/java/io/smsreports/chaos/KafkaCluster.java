package io.smsreports.chaos;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * Three real Kafka nodes (KRaft, each broker and controller, a three-voter quorum) in their own JVMs on 127.0.0.1,
 * so that one can be SIGKILLed and restarted while the others carry on.
 */
final class KafkaCluster implements AutoCloseable {

    static final int NODES = 3;

    private final List<ChildProcess> nodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    KafkaCluster(final Path dir) throws IOException {
        final List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            ports.add(freePort());
            controllerPorts.add(freePort());
        }
        final StringBuilder voters = new StringBuilder();
        for (int i = 0; i < NODES; i++) {
            voters.append(i == 0 ? "" : ",").append(i + 1).append("@127.0.0.1:").append(controllerPorts.get(i));
        }
        final String clusterId = Uuid.randomUuid().toString();
        for (int i = 0; i < NODES; i++) {
            final Path data = dir.resolve("kafka-" + (i + 1));
            nodes.add(new ChildProcess("kafka-" + (i + 1), "-Xmx320m", KafkaNodeMain.class.getName(), List.of(String.valueOf(i + 1),
                    clusterId, voters.toString(), String.valueOf(ports.get(i)), String.valueOf(controllerPorts.get(i)), data.toString()),
                    Map.of(), data, dir));
        }
    }

    KafkaCluster start() throws IOException {
        for (final ChildProcess node : nodes) {
            node.start();
        }
        for (int i = 0; i < NODES; i++) {
            awaitReady(i);
        }
        return this;
    }

    String bootstrapServers() {
        final StringBuilder servers = new StringBuilder();
        for (int i = 0; i < NODES; i++) {
            servers.append(i == 0 ? "" : ",").append("127.0.0.1:").append(ports.get(i));
        }
        return servers.toString();
    }

    /** SIGKILL of node {@code index} (0-based). */
    void kill(final int index) throws InterruptedException {
        nodes.get(index).kill();
    }

    void restart(final int index) throws IOException {
        nodes.get(index).start();
        awaitReady(index);
    }

    private void awaitReady(final int index) {
        final ChildProcess node = nodes.get(index);
        await(node.name() + " ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> node.logContains("Embedded Kafka broker ready on") || !node.isAlive());
        if (!node.isAlive()) {
            throw new IllegalStateException(node.name() + " exited during start; see its log in target/chaos");
        }
    }

    @Override
    public void close() {
        nodes.forEach(ChildProcess::killQuietly);
    }

    static int freePort() throws IOException {
        return io.smsreports.testing.FreePorts.next();
    }
}
