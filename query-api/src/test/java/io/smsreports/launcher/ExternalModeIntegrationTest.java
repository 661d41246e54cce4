package io.smsreports.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsreports.app.TopicSetup;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import io.smsreports.demo.DemoTraffic;
import io.smsreports.embedded.EmbeddedKafkaBroker;
import io.smsreports.events.Topics;
import io.smsreports.registry.DevSchemaRegistryServer;
import io.smsreports.service.ServiceConfig;
import io.smsreports.testing.Poll;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The external mode against a separately started broker and registry: the launcher starts no broker and no
 * registry of its own (their ports are even taken here), reads and writes the given cluster, and refuses
 * to start with a clear message while the topics are missing.
 */
@Tag("integration")
class ExternalModeIntegrationTest {

    @Test
    void shouldConnectToTheGivenClusterAndStartNothingEmbedded(@TempDir final Path dir) throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
                DevSchemaRegistryServer registry = DevSchemaRegistryServer.startEphemeral();
                ServerSocket takenKafkaPort = bound();
                ServerSocket takenRegistryPort = bound()) {
            final Path dataDir = dir.resolve("data");
            final LaunchOptions options = new LaunchOptions(dataDir, "127.0.0.1", takenKafkaPort.getLocalPort(), 0,
                    takenRegistryPort.getLocalPort(), 3, new DemoTraffic.Settings(200, 300, 11));
            final ServiceConfig config = Launcher.serviceConfig(Settings.of(io.smsreports.api.auth.TestTokens.settings(dir)).with(Map.of(
                    ProcessorConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    ProcessorConfig.SCHEMA_REGISTRY_URL, registry.url(),
                    ProcessorConfig.SMS_APPLICATION_ID, "sms-reports-external-test",
                    ProcessorConfig.SMS_STATE_DIR, dir.resolve("state").toString(),
                    ServiceConfig.SMS_HTTP_PORT, "0")), options);

            assertThatThrownBy(() -> Launcher.start(options, config))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Missing topic(s)")
                    .hasMessageContaining(Topics.DEFAULT_DISPATCHES);

            kafka.createTopics(TopicSetup.newTopics(Topics.defaults(), 2, (short) 1));
            try (RunningSmsReports running = Launcher.start(options, config)) {
                assertThat(running.embedded()).isFalse();
                assertThat(running.bootstrapServers()).isEqualTo(kafka.bootstrapServers());
                assertThat(running.schemaRegistryUrl()).isEqualTo(registry.url());
                assertThat(running.dataDirectory()).isEmpty();
                assertThat(running.awaitReady(Duration.ofMinutes(3))).isTrue();
                final ApiClient api = new ApiClient(running.baseUrl(), io.smsreports.api.auth.TestTokens.ADMIN);
                Poll.until("demo traffic counted through the external cluster", Duration.ofMinutes(4), Duration.ofMillis(500),
                        api::decidedOverall, decided -> decided == io.smsreports.demo.DemoTraffic.BACKFILL_SMS + 300, ApiClient.Unavailable.class);
                assertThat(registry.requestCount()).as("the demo and the service used the given registry").isPositive();
            }
            assertThat(Files.exists(dataDir.resolve("kafka"))).as("no embedded broker data").isFalse();
            assertThat(Files.exists(dataDir.resolve(DataDirectory.MARKER))).isFalse();
            assertThat(Files.list(dir.resolve("state")).findAny()).as("state stores where SMS_STATE_DIR says").isPresent();
        }
    }

    private static ServerSocket bound() throws java.io.IOException {
        final ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress("127.0.0.1", 0));
        return socket;
    }
}
