package io.smsreports.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessorConfigTest {

    @Test
    void shouldPassKafkaSecuritySettingsToEveryClientOfTheService() {
        final ProcessorConfig config = ProcessorConfig.from(Settings.of(Map.of(
                ProcessorConfig.KAFKA_BOOTSTRAP_SERVERS, "kafka-1:9093",
                ProcessorConfig.SCHEMA_REGISTRY_URL, "https://registry:8081",
                ProcessorConfig.SMS_STREAMS_PROPERTIES, "security.protocol=SASL_SSL;sasl.mechanism=SCRAM-SHA-512;"
                        + "ssl.truststore.location=/etc/kafka/trust.jks;consumer.max.poll.records=500")), true);
        assertThat(config.kafkaClientConfig()).containsOnly(
                Map.entry("bootstrap.servers", "kafka-1:9093"),
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("ssl.truststore.location", "/etc/kafka/trust.jks"));
    }

    @Test
    void shouldDefaultToTheDesignValues() {
        final ProcessorConfig config = ProcessorConfig.from(Settings.of(Map.of()), false);
        assertThat(config.external()).isFalse();
        assertThat(config.guarantee()).isEqualTo(ProcessorConfig.Guarantee.EXACTLY_ONCE_V2);
        assertThat(config.receiptTimeout()).isEqualTo(Duration.ofDays(4));
        assertThat(config.earlyReceiptHold()).isEqualTo(Duration.ofDays(4));
        assertThat(config.smsRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(config.historyRetention()).isEqualTo(Duration.ofDays(183));
        assertThat(config.topics().dispatches()).isEqualTo("sms.dispatches");
        assertThat(config.topologySettings(6).reportingPartitions()).isEqualTo(6);
    }

    @Test
    void shouldReadEveryFormOfDurationAndOverrides() {
        final ProcessorConfig config = ProcessorConfig.from(Settings.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "k:9092", "SCHEMA_REGISTRY_URL", "http://r:8081",
                "SMS_RECEIPT_TIMEOUT", "36h", "SMS_RETENTION", "P5D", "SMS_COMMIT_INTERVAL", "250ms",
                "SMS_PROCESSING_GUARANTEE", "at-least-once", "SMS_TOPIC_RECEIPTS", "dlr.v1", "SMS_REPORTING_PARTITIONS", "12")), true);
        assertThat(config.receiptTimeout()).isEqualTo(Duration.ofHours(36));
        assertThat(config.earlyReceiptHold()).as("defaults to the timeout").isEqualTo(Duration.ofHours(36));
        assertThat(config.smsRetention()).isEqualTo(Duration.ofDays(5));
        assertThat(config.commitInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.guarantee()).isEqualTo(ProcessorConfig.Guarantee.AT_LEAST_ONCE);
        assertThat(config.topics().receipts()).isEqualTo("dlr.v1");
        assertThat(config.topologySettings(3).reportingPartitions()).isEqualTo(12);
        assertThat(config.registryClientConfig()).containsEntry("schema.registry.url", "http://r:8081");
    }

    @Test
    void shouldReportEveryProblemAtOnceNamingTheSetting() {
        assertThatThrownBy(() -> ProcessorConfig.from(Settings.of(Map.of(
                "SMS_RECEIPT_TIMEOUT", "four days", "SMS_STREAM_THREADS", "0", "SMS_PROCESSING_GUARANTEE", "maybe",
                "SMS_APPLICATION_SERVER", "no-port", "SMS_RETENTION", "1d", "SMS_TOPIC_DLQ", "bad topic!",
                "SMS_ALERT_RULES", "window=soon")), true))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSizeGreaterThanOrEqualTo(7))
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS is required")
                .hasMessageContaining("SCHEMA_REGISTRY_URL is required")
                .hasMessageContaining("SMS_RECEIPT_TIMEOUT must be a duration like 4d")
                .hasMessageContaining("was 'four days'")
                .hasMessageContaining("SMS_STREAM_THREADS must be a whole number (must be between 1 and 64), was '0'")
                .hasMessageContaining("SMS_PROCESSING_GUARANTEE must be one of [exactly_once_v2, at_least_once], was 'maybe'")
                .hasMessageContaining("SMS_APPLICATION_SERVER must be host:port")
                .hasMessageContaining("SMS_RETENTION (PT24H) must be at least SMS_RECEIPT_TIMEOUT")
                .hasMessageContaining("invalid topic name for deadLetters")
                .hasMessageContaining("SMS_ALERT_RULES: window must be a duration such as 90s, 15m, 24h; was 'soon'");
    }

    @Test
    void shouldApplyStreamsPropertiesLastAndRefuseAMalformedOne() {
        final ProcessorConfig config = ProcessorConfig.from(Settings.of(Map.of(
                "SMS_STREAMS_PROPERTIES", "producer.retry.backoff.max.ms=200; consumer.fetch.max.wait.ms=100;commit.interval.ms=1000")), false);
        final java.util.Properties properties = io.smsreports.app.StreamsProperties.of(config.withConnections("k:9092", "mock://x"));
        assertThat(properties).containsEntry("producer.retry.backoff.max.ms", "200")
                .containsEntry("consumer.fetch.max.wait.ms", "100")
                .as("the operator's value wins over the typed setting").containsEntry("commit.interval.ms", "1000");
        assertThat(io.smsreports.app.StreamsProperties.of(ProcessorConfig.from(Settings.of(Map.of()), false)
                .withConnections("k:9092", "mock://x"))).as("fast transactional retries by default")
                .containsEntry("producer.retry.backoff.max.ms", 50);

        assertThatThrownBy(() -> ProcessorConfig.from(Settings.of(Map.of("SMS_STREAMS_PROPERTIES", "linger.ms")), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SMS_STREAMS_PROPERTIES must be key=value pairs separated by ';', got 'linger.ms'");
    }

    @Test
    void shouldRefuseAHoldShorterThanTheFinalizationWindow() {
        assertThatThrownBy(() -> ProcessorConfig.from(Settings.of(Map.of("SMS_EARLY_RECEIPT_HOLD", "1d")), false))
                .hasMessageContaining("SMS_EARLY_RECEIPT_HOLD (PT24H) must be at least SMS_RECEIPT_TIMEOUT (PT96H)");
    }

    @Test
    void shouldRequireKafkaAndRegistryTogether() {
        assertThatThrownBy(() -> ProcessorConfig.from(Settings.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092")), false))
                .hasMessageContaining("set both KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL (external mode) or neither (embedded mode)");
        assertThatThrownBy(() -> ProcessorConfig.from(Settings.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "SCHEMA_REGISTRY_URL", "ftp://x")), false))
                .hasMessageContaining("SCHEMA_REGISTRY_URL: schema.registry.url must hold http(s)://host:port URLs");
    }

    @Test
    void shouldLetSystemPropertiesOverrideTheEnvironment() {
        assertThat(Settings.propertyName("SMS_RECEIPT_TIMEOUT")).isEqualTo("sms.receipt.timeout");
        System.setProperty("sms.receipt.timeout", "2d");
        try {
            assertThat(ProcessorConfig.from(Settings.fromEnvironment(), false).receiptTimeout()).isEqualTo(Duration.ofDays(2));
        } finally {
            System.clearProperty("sms.receipt.timeout");
        }
    }
}
