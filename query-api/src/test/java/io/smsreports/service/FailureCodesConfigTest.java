package io.smsreports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsreports.config.ConfigException;
import io.smsreports.config.Settings;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.reporting.FailureCategory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SMS_FAILURE_CODES_FILE: the operator's rules come before the defaults; a bad line stops the start, naming it. */
class FailureCodesConfigTest {

    private static final Map<String, String> EXTERNAL = Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092", "SCHEMA_REGISTRY_URL",
            "http://localhost:8081", ServiceConfig.SMS_HTTP_PORT, "0");

    @Test
    void shouldPutTheOperatorsRulesBeforeTheDefaults(@TempDir final Path dir) throws IOException {
        final Path file = Files.writeString(dir.resolve("codes"), "# ours\nglobex * 001 PROVIDER false Globex: 001 is throttling\n");
        final ServiceConfig config = ServiceConfig.from(Settings.of(EXTERNAL).with(Map.of(ServiceConfig.SMS_FAILURE_CODES_FILE,
                file.toString())));
        assertThat(config.failureTaxonomy().classify(ReceiptStatus.UNDELIVERABLE, "001", "globex").category())
                .isEqualTo(FailureCategory.PROVIDER);
        assertThat(config.failureTaxonomy().classify(ReceiptStatus.UNDELIVERABLE, "001", "acme").category())
                .isEqualTo(FailureCategory.DATA);
    }

    @Test
    void shouldRefuseABadLineNamingIt(@TempDir final Path dir) throws IOException {
        final Path file = Files.writeString(dir.resolve("codes"), "globex * 001 PROVIDER false\nglobex * 002 SOMETHING true\n");
        assertThatThrownBy(() -> ServiceConfig.from(Settings.of(EXTERNAL).with(Map.of(ServiceConfig.SMS_FAILURE_CODES_FILE,
                file.toString())))).isInstanceOf(ConfigException.class).hasMessageContaining("SMS_FAILURE_CODES_FILE")
                .hasMessageContaining("line 2");
    }
}
