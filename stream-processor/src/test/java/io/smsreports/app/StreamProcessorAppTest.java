package io.smsreports.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The headless processor as an operator starts it: a JVM with environment variables. */
@Tag("integration")
class StreamProcessorAppTest {

    @Test
    void shouldExitWithStatusTwoAndNameEveryBadSetting() throws Exception {
        final ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StreamProcessorApp.class.getName());
        builder.environment().remove("KAFKA_BOOTSTRAP_SERVERS");
        builder.environment().remove("SCHEMA_REGISTRY_URL");
        builder.environment().put("SMS_RECEIPT_TIMEOUT", "soon");
        builder.redirectErrorStream(true);
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output)
                .contains("KAFKA_BOOTSTRAP_SERVERS is required")
                .contains("SCHEMA_REGISTRY_URL is required")
                .contains("SMS_RECEIPT_TIMEOUT must be a duration")
                .doesNotContain("Exception in thread");
    }
}
