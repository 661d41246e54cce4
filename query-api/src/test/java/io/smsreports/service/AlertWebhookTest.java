package io.smsreports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsreports.config.ConfigException;
import io.smsreports.config.Settings;
import io.smsreports.events.AlertState;
import io.smsreports.events.DeliveryAlert;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertWebhookTest {

    private static final String SECRET = "0123456789abcdef";

    @Test
    void shouldReadWebhooksWithTheirFilters(@TempDir final Path dir) throws Exception {
        final Path secretFile = Files.writeString(dir.resolve("secret"), SECRET + "\n");
        final List<AlertWebhook> webhooks = AlertWebhook.parse("""
                {"webhooks": [
                  {"name": "pager", "url": "https://pager.example.com/h/1", "secretFile": "%s", "rules": ["failure-spike"]},
                  {"name": "ops-slack", "url": "https://hooks.slack.com/services/T0/B0/secretpart", "format": "slack",
                   "scopes": ["campaign"], "start": "latest"}]}
                """.formatted(secretFile));
        assertThat(webhooks).hasSize(2);
        final AlertWebhook pager = webhooks.get(0);
        assertThat(pager.format()).isEqualTo(AlertWebhook.Format.GENERIC);
        assertThat(new String(pager.secret(), StandardCharsets.UTF_8)).as("the file's content, stripped").isEqualTo(SECRET);
        assertThat(pager.fromEarliest()).isTrue();
        assertThat(pager.accepts(alert("failure-spike", "provider"))).isTrue();
        assertThat(pager.accepts(alert("delivery-rate-drop", "provider"))).isFalse();
        final AlertWebhook slack = webhooks.get(1);
        assertThat(slack.accepts(alert("failure-spike", "campaign"))).isTrue();
        assertThat(slack.accepts(alert("failure-spike", "operator"))).isFalse();
        assertThat(slack.fromEarliest()).isFalse();
        assertThat(slack.toString()).as("a Slack URL's path is its secret: never in a log line").doesNotContain("secretpart")
                .contains("hooks.slack.com");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "bad URL | {\"name\": \"a\", \"url\": \"hooks example\", \"secret\": \"0123456789abcdef\"} | 'url' is not a URL",
        "relative URL | {\"name\": \"a\", \"url\": \"/hooks\", \"secret\": \"0123456789abcdef\"} | absolute http:// or https://",
        "other scheme | {\"name\": \"a\", \"url\": \"ftp://h/x\", \"secret\": \"0123456789abcdef\"} | absolute http:// or https://",
        "no secret | {\"name\": \"a\", \"url\": \"https://h/x\"} | needs 'secret' or 'secretFile'",
        "short secret | {\"name\": \"a\", \"url\": \"https://h/x\", \"secret\": \"short\"} | at least 16 characters",
        "unknown rule | {\"name\": \"a\", \"url\": \"https://h/x\", \"format\": \"slack\", \"rules\": [\"cpu\"]} | unknown rule 'cpu'",
        "unknown scope | {\"name\": \"a\", \"url\": \"https://h/x\", \"format\": \"slack\", \"scopes\": [\"city\"]} | unknown scope 'city'",
        "unknown format | {\"name\": \"a\", \"url\": \"https://h/x\", \"format\": \"teams\"} | 'format' must be generic or slack",
        "unknown field | {\"name\": \"a\", \"url\": \"https://h/x\", \"format\": \"slack\", \"retries\": 3} | unknown field 'retries'",
        "bad name | {\"name\": \"Ops Pager\", \"url\": \"https://h/x\", \"format\": \"slack\"} | 'name' must be lower-case",
        "bad start | {\"name\": \"a\", \"url\": \"https://h/x\", \"format\": \"slack\", \"start\": \"now\"} | 'start' must be earliest or latest",
    })
    void shouldRefuseAMalformedWebhookNamingItAndTheField(final String what, final String entry, final String message) {
        assertThatThrownBy(() -> AlertWebhook.parse("{\"webhooks\": [" + entry + "]}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void shouldRefuseTwoWebhooksOfOneNameAndADocumentThatIsNotJson() {
        assertThatThrownBy(() -> AlertWebhook.parse("{\"webhooks\": [{\"name\": \"a\", \"url\": \"https://h/x\", \"format\": \"slack\"},"
                + "{\"name\": \"a\", \"url\": \"https://h/y\", \"format\": \"slack\"}]}")).hasMessageContaining("'a' is used twice");
        assertThatThrownBy(() -> AlertWebhook.parse("{\"webhooks\": [")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> AlertWebhook.parse("[]")).hasMessageContaining("expected {\"webhooks\"");
    }

    /** The service does not start on a malformed webhooks file, and says which setting and what is wrong. */
    @Test
    void shouldFailToStartOnAMalformedWebhooksFile(@TempDir final Path dir) throws Exception {
        final Path file = Files.writeString(dir.resolve("webhooks.json"), "{\"webhooks\": [{\"name\": \"a\", \"url\": \"htp:/x\"}]}");
        assertThatThrownBy(() -> ServiceConfig.from(Settings.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
                "SCHEMA_REGISTRY_URL", "http://localhost:8081", ServiceConfig.SMS_ALERT_WEBHOOKS_FILE, file.toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SMS_ALERT_WEBHOOKS_FILE")
                .hasMessageContaining("webhook 'a': 'url' must be an absolute http:// or https:// URL");
        assertThatThrownBy(() -> ServiceConfig.from(Settings.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
                "SCHEMA_REGISTRY_URL", "http://localhost:8081", ServiceConfig.SMS_ALERT_WEBHOOKS_FILE, dir.resolve("none").toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SMS_ALERT_WEBHOOKS_FILE: cannot read");
    }

    @Test
    void shouldSignTheBodyWithHmacSha256AndKeyRepeatsByAlertAndState() {
        // The well-known HMAC-SHA256 example (key "key").
        assertThat(AlertWebhooks.signature("key".getBytes(StandardCharsets.UTF_8),
                "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
        final DeliveryAlert alert = alert("failure-spike", "provider");
        assertThat(AlertWebhooks.idempotencyKey(alert)).isEqualTo("a-1:OPENED");
        assertThat(new String(AlertWebhooks.body(AlertWebhook.Format.GENERIC, alert), StandardCharsets.UTF_8))
                .contains("\"idempotencyKey\":\"a-1:OPENED\"").contains("\"rule\":\"failure-spike\"").contains("\"openedAt\":\"2026-12-01T10:00:00Z\"");
        assertThat(new String(AlertWebhooks.body(AlertWebhook.Format.SLACK, alert), StandardCharsets.UTF_8))
                .startsWith("{\"text\":").contains("failure-spike on provider p1");
    }

    private static DeliveryAlert alert(final String rule, final String scope) {
        return DeliveryAlert.newBuilder().setAlertId("a-1").setState(AlertState.OPENED).setRule(rule).setScope(scope).setKey("p1")
                .setErrorCode(null).setObserved(0.4).setBaseline(0.9).setWindowMs(900_000)
                .setOpenedAt(Instant.parse("2026-12-01T10:00:00Z")).setResolvedAt(null).setMessage("rate dropped").build();
    }
}
