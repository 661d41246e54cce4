package io.smsreports.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What the command says when it cannot start: exit status 2 and one clear line, never a stack trace. */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void clearProperties() {
        System.clearProperty("sms.receipt.timeout");
        System.clearProperty("kafka.bootstrap.servers");
    }

    private int run(final String... args) {
        final Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        final CommandLine commandLine = new CommandLine(main);
        commandLine.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        commandLine.setOut(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8));
        return commandLine.execute(args);
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRefuseANonNumericPortNamingTheOption() {
        assertThat(run("--http-port", "eighty")).isEqualTo(2);
        assertThat(errors()).contains("--http-port").contains("'eighty' is not an int");
    }

    @Test
    void shouldRefuseAnOutOfRangePortNamingTheOption(@TempDir final Path dir) {
        assertThat(run("--data-dir", dir.toString(), "--registry-port", "70000")).isEqualTo(2);
        assertThat(errors()).contains("--registry-port must be a whole number (must be between 0 and 65535), was '70000'")
                .doesNotContain("Exception");
    }

    @Test
    void shouldRefuseABadDemoRateNamingTheOption(@TempDir final Path dir) {
        assertThat(run("--data-dir", dir.toString(), "--demo", "--demo-rate", "-5")).isEqualTo(2);
        assertThat(errors()).contains("--demo-rate must be more than 0").doesNotContain("Exception");
    }

    @Test
    void shouldRefuseABadServiceSettingNamingTheSetting(@TempDir final Path dir) {
        System.setProperty("sms.receipt.timeout", "soon");
        assertThat(run("--data-dir", dir.toString())).isEqualTo(2);
        assertThat(errors()).contains("SMS_RECEIPT_TIMEOUT must be a duration like 4d").contains("was 'soon'");
    }

    @Test
    void shouldRefuseAHalfExternalConfiguration(@TempDir final Path dir) {
        System.setProperty("kafka.bootstrap.servers", "kafka:9092");
        assertThat(run("--data-dir", dir.toString())).isEqualTo(2);
        assertThat(errors()).contains("set both KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL");
    }

    @Test
    void shouldReportAPortInUseByNameBeforeAnythingStarts(@TempDir final Path dir) throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            final int port = taken.getLocalPort();
            assertThat(run("--data-dir", dir.resolve("data").toString(), "--kafka-port", String.valueOf(port), "--controller-port", "0",
                    "--registry-port", "0", "--http-port", "0")).isEqualTo(2);
            assertThat(errors()).contains("Port " + port + " is already in use, so the Kafka broker cannot listen there")
                    .contains("--kafka-port").doesNotContain("\tat ");
        }
        assertThat(dir.resolve("data")).as("nothing written when it cannot start").doesNotExist();
    }

    @Test
    void shouldRefuseAForeignDataDirectoryAndLeaveItUntouched(@TempDir final Path dir) throws IOException {
        Files.writeString(dir.resolve("thesis.tex"), "\\documentclass{article}");
        assertThat(run("--data-dir", dir.toString(), "--kafka-port", "0", "--controller-port", "0", "--registry-port", "0",
                "--http-port", "0")).isEqualTo(2);
        assertThat(errors()).contains("is not empty and is not an SMS Reports data directory");
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("thesis.tex");
        }
    }

    @Test
    void shouldRefuseADataDirectoryOfAnotherFormat(@TempDir final Path dir) throws IOException {
        Files.writeString(dir.resolve(DataDirectory.MARKER), "format=99\n");
        assertThat(run("--data-dir", dir.toString(), "--kafka-port", "0", "--controller-port", "0", "--registry-port", "0",
                "--http-port", "0")).isEqualTo(2);
        assertThat(errors()).contains("has format '99'");
    }

    @Test
    void shouldRefuseADamagedKafkaDirectory(@TempDir final Path dir) throws IOException {
        Files.writeString(dir.resolve(DataDirectory.MARKER), "format=1\n");
        Files.createDirectories(dir.resolve("kafka"));
        Files.writeString(dir.resolve("kafka").resolve("meta.properties"), "version=1\n");
        assertThat(run("--data-dir", dir.toString(), "--kafka-port", "0", "--controller-port", "0", "--registry-port", "0",
                "--http-port", "0")).isEqualTo(2);
        assertThat(errors()).contains("meta.properties is not a KRaft broker's").contains("damaged");
    }

    @Test
    void shouldListEveryOptionWithItsEnvironmentVariableInTheHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--demo", "--demo-rate", "--data-dir", "--http-port", "--kafka-port",
                "--registry-port", "SMS_DATA_DIR", "SMS_HTTP_PORT");
    }
}
