package io.smsreports.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smsreports.app.TopicSetup;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.embedded.EmbeddedKafkaBroker;
import io.smsreports.events.Topics;
import io.smsreports.registry.DevSchemaRegistryServer;
import io.smsreports.service.ServiceConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN, Faults, "stopping is bounded": SIGTERM stops the service within {@code SMS_SHUTDOWN_TIMEOUT} even when the
 * Kafka cluster has gone away (stream processing cannot commit, cannot leave the group).
 */
@Tag("integration")
class BoundedStopIntegrationTest {

    @Test
    void shouldStopWithinTheShutdownTimeoutWhenTheClusterIsUnreachable(@TempDir final Path dir) throws Exception {
        final EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
        try (DevSchemaRegistryServer registry = DevSchemaRegistryServer.startEphemeral()) {
            kafka.createTopics(TopicSetup.newTopics(Topics.defaults(), 2, (short) 1));
            final ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-cp", System.getProperty("java.class.path"), Main.class.getName()).directory(dir.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("SMS_"));
            builder.environment().put(ProcessorConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            builder.environment().put(ProcessorConfig.SCHEMA_REGISTRY_URL, registry.url());
            builder.environment().put(ProcessorConfig.SMS_APPLICATION_ID, "sms-reports-bounded-stop");
            builder.environment().put(ProcessorConfig.SMS_STATE_DIR, dir.resolve("state").toString());
            builder.environment().put(ProcessorConfig.SMS_SHUTDOWN_TIMEOUT, "8s");
            builder.environment().put(ServiceConfig.SMS_HTTP_PORT, "0");
            builder.environment().putAll(io.smsreports.api.auth.TestTokens.settings(dir));
            final Path log = dir.resolve("service.log");
            final Process child = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                await("ready").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                        .until(() -> Files.readString(log, StandardCharsets.ISO_8859_1).contains("SMS Reports is ready") || !child.isAlive());
                assertThat(child.isAlive()).as("running; log:%n%s", Files.readString(log, StandardCharsets.ISO_8859_1)).isTrue();

                kafka.close(); // the cluster goes away: nothing can be committed, nobody answers the leave-group request
                final long started = System.nanoTime();
                child.destroy(); // SIGTERM
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("stopped at all").isTrue();
                final long tookMs = (System.nanoTime() - started) / 1_000_000;
                assertThat(tookMs).as("stopped within the 8 s bound (plus 2 s for the rest of the stop and 3 s for the JVM)")
                        .isLessThan(13_000);
                assertThat(child.exitValue()).isEqualTo(128 + 15);
            } finally {
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            kafka.close();
        }
    }
}
