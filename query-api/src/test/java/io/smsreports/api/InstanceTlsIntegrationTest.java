package io.smsreports.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.smsreports.api.auth.TestTokens;
import io.smsreports.app.TopicSetup;
import io.smsreports.config.ConfigException;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import io.smsreports.embedded.EmbeddedKafkaBroker;
import io.smsreports.events.Topics;
import io.smsreports.registry.DevSchemaRegistryServer;
import io.smsreports.service.ServiceConfig;
import io.smsreports.service.SmsReportsService;
import io.smsreports.testing.FreePorts;
import io.smsreports.testing.Poll;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances with TLS (issue 21, item 5): each serves the API over https only, and a list one instance answers by
 * fanning out to the other goes over https too, the peer's certificate checked against the trust store. A peer whose
 * certificate is not trusted is unreachable (503), never read over plain text.
 */
@Tag("integration")
class InstanceTlsIntegrationTest {

    private static final String PASSWORD = "changeit-tls-test";

    @Test
    void shouldServeAndFanOutOverTlsOnly(@TempDir final Path dir) throws Exception {
        final Path keyStore = dir.resolve("instance.p12");
        final Path trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "instance", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", "instance", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-file",
                dir.resolve("instance.crt").toString());
        keytool("-importcert", "-noprompt", "-alias", "instance", "-file", dir.resolve("instance.crt").toString(), "-storetype",
                "PKCS12", "-keystore", trustStore.toString(), "-storepass", PASSWORD);

        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
                DevSchemaRegistryServer registry = DevSchemaRegistryServer.startEphemeral()) {
            kafka.createTopics(TopicSetup.newTopics(Topics.defaults(), TestData.PARTITIONS, (short) 1));
            TestData.produce(kafka.bootstrapServers(), registry.url());
            final Map<String, String> tls = Map.of(ServiceConfig.SMS_TLS_KEYSTORE, keyStore.toString(),
                    ServiceConfig.SMS_TLS_KEYSTORE_PASSWORD, PASSWORD, ServiceConfig.SMS_TLS_TRUSTSTORE, trustStore.toString(),
                    ServiceConfig.SMS_TLS_TRUSTSTORE_PASSWORD, PASSWORD);
            final List<SmsReportsService> instances = new ArrayList<>();
            try {
                for (final String name : List.of("one", "two")) {
                    instances.add(SmsReportsService.start(config(dir.resolve(name), kafka, registry, FreePorts.next(), tls)));
                }
                final ServiceConfig one = instances.get(0).config();
                final HttpClient https = HttpClient.newBuilder().sslContext(one.tls().clientContext()).build();
                final List<String> bases = instances.stream().map(i -> "https://localhost:" + i.httpPort()).toList();
                final List<String> campaigns = List.of(TestData.A, TestData.B, TestData.C);
                Poll.untilPasses("each instance lists every campaign, its partner's over TLS", Duration.ofMinutes(4), Duration.ofSeconds(1),
                        () -> {
                            for (final String base : bases) {
                                final HttpResponse<String> answer = get(https, base + "/api/v1/campaigns");
                                assertThat(answer.statusCode()).as("%s: %s", base, answer.body()).isEqualTo(200);
                                final List<String> listed = new ArrayList<>();
                                Json.MAPPER.readTree(answer.body()).path("items").forEach(item -> listed.add(item.path("messageId").asText()));
                                assertThat(listed).as(base).containsAll(campaigns);
                            }
                        }, IOException.class);
                // Each instance owns part of the reporting partitions: the list above needed the other's part.
                assertThat(instances).allSatisfy(i -> assertThat(i.streams().metadataForLocalThreads()).isNotEmpty());
                for (final String campaign : campaigns) {
                    final JsonNode first = Json.MAPPER.readTree(get(https, bases.get(0) + "/api/v1/campaigns/" + campaign).body());
                    final JsonNode second = Json.MAPPER.readTree(get(https, bases.get(1) + "/api/v1/campaigns/" + campaign).body());
                    assertThat(second).as("%s from either instance (one forwards to the owner)", campaign).isEqualTo(first);
                }

                // Plain HTTP is not served on the TLS port.
                final HttpClient plain = HttpClient.newBuilder().build();
                boolean plainServed;
                try {
                    plainServed = get(plain, "http://localhost:" + instances.get(0).httpPort() + "/api/v1/campaigns").statusCode() == 200;
                } catch (IOException e) {
                    plainServed = false;
                }
                assertThat(plainServed).as("a plain-text request on the TLS port").isFalse();

                // A caller that does not trust the instance's certificate (the JDK's authorities only) cannot reach it: 503.
                final InstanceClient untrusting = new InstanceClient(Duration.ofSeconds(5), TestTokens.CLUSTER_SECRET, SSLContext.getDefault());
                assertThatThrownBy(() -> untrusting.getJson(new HostInfo("localhost", instances.get(0).httpPort()), "/health",
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }).get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(ApiException.class).cause().hasMessageContaining("cannot be reached");
            } finally {
                for (final SmsReportsService instance : instances) {
                    instance.close();
                }
            }
        }
    }

    @Test
    void shouldRefuseToStartWithAKeyStoreItCannotOpen(@TempDir final Path dir) throws Exception {
        final Path notAKeyStore = java.nio.file.Files.writeString(dir.resolve("broken.p12"), "not a key store");
        assertThatThrownBy(() -> ServiceConfig.from(Settings.of(Map.of(ProcessorConfig.KAFKA_BOOTSTRAP_SERVERS, "localhost:9092",
                ProcessorConfig.SCHEMA_REGISTRY_URL, "http://localhost:8081", ServiceConfig.SMS_TLS_KEYSTORE, notAKeyStore.toString(),
                ServiceConfig.SMS_TLS_KEYSTORE_PASSWORD, PASSWORD)))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("SMS_TLS_KEYSTORE " + notAKeyStore + " cannot be opened");
    }

    private static ServiceConfig config(final Path stateDir, final EmbeddedKafkaBroker kafka, final DevSchemaRegistryServer registry,
            final int port, final Map<String, String> tls) {
        final Map<String, String> settings = new HashMap<>(tls);
        settings.putAll(Map.of(
                ProcessorConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                ProcessorConfig.SCHEMA_REGISTRY_URL, registry.url(),
                ProcessorConfig.SMS_APPLICATION_ID, "sms-reports-tls-test",
                ProcessorConfig.SMS_STATE_DIR, stateDir.toString(),
                ProcessorConfig.SMS_APPLICATION_SERVER, "localhost:" + port,
                ProcessorConfig.SMS_IDLE_CLOCK_LAG, "30d",
                ServiceConfig.SMS_HTTP_PORT, String.valueOf(port)));
        return ServiceConfig.from(Settings.of(TestTokens.settings(stateDir.getParent())).with(settings));
    }

    private static HttpResponse<String> get(final HttpClient client, final String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", TestTokens.bearer(TestTokens.VIEWER)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void keytool(final String... arguments) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0).as("keytool %s: %s", arguments[0], output).isTrue();
    }
}
