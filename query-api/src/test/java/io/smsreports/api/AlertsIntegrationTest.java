package io.smsreports.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.smsreports.api.auth.TestTokens;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import io.smsreports.events.AlertState;
import io.smsreports.events.DeliveryAlert;
import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDispatched;
import io.smsreports.events.Topics;
import io.smsreports.launcher.LaunchOptions;
import io.smsreports.launcher.Launcher;
import io.smsreports.launcher.RunningSmsReports;
import io.smsreports.serde.AvroSerdeConfig;
import io.smsreports.serde.SpecificAvroDeserializer;
import io.smsreports.service.ServiceConfig;
import io.smsreports.testing.Poll;
import io.smsreports.topology.SmsWorkload;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts end to end on a real broker: a provider's delivery rate drops for ten minutes (by event time, a day ago) and
 * recovers; {@code sms.alerts}, read as a pager relay would (read_committed), carries each alert's OPENED and RESOLVED
 * exactly once, with the times the rule's arithmetic gives, and {@code GET /alerts} lists them as they stand. Webhooks get
 * them too: a signed generic one whose receiver is down when they come gets every one afterwards, in order; a Slack one
 * filtered to provider alerts gets those two.
 */
@Tag("integration")
class AlertsIntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldPublishEachOpenAndResolveExactlyOnceListThemAndDeliverThemToWebhooks(@TempDir final Path dir) throws Exception {
        final WebhookReceiver slack = WebhookReceiver.start(0, 0);
        final LaunchOptions options = LaunchOptions.defaults().withDataDir(dir.resolve("data")).withFreePorts();
        // Two webhooks (issue 21, item 1): a signed generic one whose receiver is down when the alerts come (nothing listens
        // on its port, then it answers 503 twice), and a Slack one for provider alerts only, up all along.
        final int pagerPort = io.smsreports.testing.FreePorts.next();
        final String pagerSecret = "pager-secret-0123456789";
        final Path webhooks = java.nio.file.Files.writeString(dir.resolve("webhooks.json"), """
                {"webhooks": [
                  {"name": "pager", "url": "http://127.0.0.1:%d/hooks/sms", "format": "generic", "secret": "%s"},
                  {"name": "ops-slack", "url": "http://127.0.0.1:%d/services/T0/B0/x", "format": "slack",
                   "rules": ["delivery-rate-drop"], "scopes": ["provider"]}]}
                """.formatted(pagerPort, pagerSecret, slack.port()));
        final ServiceConfig config = Launcher.serviceConfig(Settings.of(TestTokens.settings(dir)).with(Map.of(
                ServiceConfig.SMS_HTTP_PORT, "0", ProcessorConfig.SMS_IDLE_CLOCK_LAG, "30d",
                ServiceConfig.SMS_ALERT_WEBHOOKS_FILE, webhooks.toString(), ServiceConfig.SMS_ALERT_WEBHOOK_MAX_BACKOFF, "2s")), options);
        try (RunningSmsReports running = Launcher.start(options, config)) {
            assertThat(running.awaitReady(Duration.ofMinutes(3))).isTrue();
            final Topics topics = Topics.defaults();
            final Instant t0 = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
            // 10 SMS a minute through provider p1, operator 286-01: 90 % delivered, 50 % in minutes 60-69, then 90 % again.
            final List<SmsWorkload.Input> inputs = new ArrayList<>();
            for (int m = 0; m < 110; m++) {
                final int delivered = m >= 60 && m < 70 ? 5 : 9;
                for (int i = 0; i < 10; i++) {
                    final String smsId = "a-" + m + "-" + i;
                    final Instant at = t0.plus(Duration.ofMinutes(m)).plusSeconds(i * 5L);
                    inputs.add(new SmsWorkload.Input(topics.dispatches(), smsId, SmsDispatched.newBuilder().setSmsId(smsId)
                            .setMessageId("m-alert").setMsisdn("+90555" + (1000 + i)).setExternalId(null).setEmail(null)
                            .setPlatform("ios").setProvider("p1").setCountry("TR").setOperator("286-01").setSegments(1)
                            .setDispatchedAt(at).build(), at.toEpochMilli()));
                    final Instant done = at.plusMillis(1_500);
                    final boolean ok = i < delivered;
                    inputs.add(new SmsWorkload.Input(topics.receipts(), smsId, DeliveryReceipt.newBuilder().setSmsId(smsId)
                            .setProvider("p1").setStatus(ok ? ReceiptStatus.DELIVERED : ReceiptStatus.UNDELIVERABLE)
                            .setProviderStatus(ok ? "DELIVRD" : "UNDELIV").setErrorCode(ok ? null : "027")
                            .setFailReason(ok ? null : "Absent subscriber").setDoneAt(done).setReceivedAt(done.plusMillis(100)).build(),
                            done.plusMillis(100).toEpochMilli()));
                }
            }
            SmsWorkload.produce(running.bootstrapServers(), running.schemaRegistryUrl(), inputs);

            final List<DeliveryAlert> published = new ArrayList<>();
            final SpecificAvroDeserializer<DeliveryAlert> deserializer = new SpecificAvroDeserializer<>(DeliveryAlert.class);
            deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, running.schemaRegistryUrl()), false);
            try (KafkaConsumer<String, DeliveryAlert> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, running.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), deserializer)) {
                final List<TopicPartition> partitions = consumer.partitionsFor(topics.alerts()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                await("three alerts opened and resolved on " + topics.alerts()).atMost(Duration.ofMinutes(3)).until(() -> {
                    for (final ConsumerRecord<String, DeliveryAlert> record : consumer.poll(Duration.ofMillis(200))) {
                        assertThat(record.key()).isEqualTo(record.value().getAlertId());
                        published.add(record.value());
                    }
                    return published.size() >= 6;
                });
                final long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (System.nanoTime() < until) { // and nothing more: each change exactly once
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> published.add(r.value()));
                }
            }
            assertThat(published).hasSize(6);
            assertThat(published).extracting(DeliveryAlert::getRule).containsOnly("delivery-rate-drop");
            assertThat(published.stream().map(a -> a.getScope() + " " + a.getKey() + " " + a.getState()).toList()).containsExactlyInAnyOrder(
                    "campaign m-alert OPENED", "provider p1 OPENED", "operator 286-01 OPENED",
                    "campaign m-alert RESOLVED", "provider p1 RESOLVED", "operator 286-01 RESOLVED");
            for (final DeliveryAlert alert : published) {
                // Window (51, 66]: 8 minutes at 90 %, 7 at 50 % = 71.3 % < 0.8 × 90 % (a minute earlier 74 %).
                assertThat(alert.getOpenedAt()).isEqualTo(t0.plus(Duration.ofMinutes(67)));
                if (alert.getState() == AlertState.RESOLVED) {
                    // Window (66, 81]: 3 minutes at 50 %, 12 at 90 % = 82 % ≥ 0.9 × 90 % (the baseline it opened with); at 80: 79.3 %.
                    assertThat(alert.getResolvedAt()).isEqualTo(t0.plus(Duration.ofMinutes(82)));
                }
            }

            final String base = running.baseUrl();
            final JsonNode all = get(base + "/api/v1/alerts?state=all", 200);
            assertThat(all.get("items")).hasSize(3);
            all.get("items").forEach(item -> {
                assertThat(item.get("state").asText()).isEqualTo("RESOLVED");
                assertThat(item.get("window").asText()).isEqualTo("PT15M");
                assertThat(item.get("baseline").asDouble()).isEqualTo(0.9);
            });
            assertThat(get(base + "/api/v1/alerts", 200).get("items")).as("open only, by default").isEmpty();
            assertThat(get(base + "/api/v1/alerts?state=all&messageId=m-alert", 200).get("items")).hasSize(1);
            assertThat(get(base + "/api/v1/alerts?state=closed", 400).toString()).contains("state").contains("must be one of [open, all]");

            // The pager's receiver has been down all along: its alerts wait, retried with backoff, while the Slack webhook got its own.
            final io.micrometer.core.instrument.MeterRegistry metrics = running.service().metrics();
            Poll.until("the pager webhook failing while its receiver is down", Duration.ofMinutes(2), Duration.ofMillis(200),
                    () -> attempts(metrics, "pager", "failed") >= 8);
            assertThat(attempts(metrics, "pager", "delivered")).isZero();
            try (WebhookReceiver pager = WebhookReceiver.start(pagerPort, 2)) {
                Poll.until("every alert at the pager once it is back", Duration.ofMinutes(2), Duration.ofMillis(200),
                        () -> pager.accepted().size() >= published.size());
                final List<String> keys = new ArrayList<>();
                for (final WebhookReceiver.Received request : pager.accepted()) {
                    final JsonNode body = Json.MAPPER.readTree(request.body());
                    assertThat(request.header("X-SMS-Reports-Signature")).as("HMAC-SHA256 of the body with the pager's secret")
                            .isEqualTo("sha256=" + hmacSha256Hex(pagerSecret, request.body()));
                    assertThat(request.header("X-SMS-Reports-Idempotency-Key")).isEqualTo(body.path("idempotencyKey").asText())
                            .isEqualTo(body.path("alertId").asText() + ":" + body.path("state").asText());
                    keys.add(body.path("idempotencyKey").asText());
                }
                assertThat(keys).as("every alert, once each, in the order of sms.alerts")
                        .containsExactlyElementsOf(published.stream().map(a -> a.getAlertId() + ":" + a.getState()).toList());
                assertThat(pager.received()).as("two 503s, then each alert accepted").hasSize(published.size() + 2);
                assertThat(pager.received().get(0).answered()).isEqualTo(503);
                assertThat(attempts(metrics, "pager", "delivered")).isEqualTo(published.size());
            }
            final List<String> texts = new ArrayList<>();
            for (final WebhookReceiver.Received request : slack.accepted()) {
                texts.add(Json.MAPPER.readTree(request.body()).path("text").asText());
            }
            assertThat(texts).as("Slack: the provider alerts only, opened then resolved").hasSize(2);
            assertThat(texts.get(0)).contains("opened").contains("delivery-rate-drop on provider p1");
            assertThat(texts.get(1)).contains("resolved").contains("delivery-rate-drop on provider p1");
        } finally {
            slack.close();
        }
    }

    private static double attempts(final io.micrometer.core.instrument.MeterRegistry metrics, final String webhook, final String outcome) {
        final io.micrometer.core.instrument.Counter counter = metrics.find("sms.alert.webhook.attempts").tag("webhook", webhook)
                .tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String hmacSha256Hex(final String secret, final byte[] body) throws Exception {
        final javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }

    private JsonNode get(final String url, final int status) throws Exception {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TestTokens.VIEWER).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(status);
        return Json.MAPPER.readTree(response.body());
    }
}
