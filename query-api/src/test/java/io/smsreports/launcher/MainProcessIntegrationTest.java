package io.smsreports.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.testing.Poll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command as a user runs it, in its own JVM: it prints where to look once ready, serves the demo's
 * reports, and on SIGTERM (what Ctrl-C and {@code docker stop} send) stops everything in order: the demo, the
 * API and stream processing, the registry, the broker.
 */
@Tag("integration")
class MainProcessIntegrationTest {

    private static final Pattern API_LINE = Pattern.compile("^\\s+API\\s+(http://\\S+)/api/v1/campaigns$");

    @Test
    void shouldPrintWhereToLookAndStopInOrderOnSigterm(@TempDir final Path dir) throws Exception {
        final ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--demo", "--demo-rate", "100", "--data-dir", dir.resolve("data").toString(),
                "--http-port", "0", "--kafka-port", "0", "--controller-port", "0", "--registry-port", "0")
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("SMS_") || name.equals("KAFKA_BOOTSTRAP_SERVERS")
                || name.equals("SCHEMA_REGISTRY_URL"));
        // The child writes to a file (read as it grows): reading its pipe races with the JDK draining it at exit.
        final Path log = dir.resolve("sms-reports.log");
        builder.redirectOutput(log.toFile());
        final Process child = builder.start();
        final Supplier<List<String>> lines = () -> {
            try {
                return Files.readAllLines(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return List.of();
            }
        };
        try {
            Poll.until("the ready banner", Duration.ofMinutes(5), Duration.ofMillis(200),
                    () -> lines.get().stream().anyMatch(line -> line.contains("SMS Reports is ready (embedded mode, with demo traffic)"))
                            || !child.isAlive());
            assertThat(child.isAlive()).as("still running; output:%n%s", String.join("\n", lines.get())).isTrue();
            final List<String> banner = lines.get();
            assertThat(banner).anySatisfy(line -> assertThat(line).matches("\\s+OpenAPI\\s+http://localhost:\\d+/api/v1/openapi.json"));
            assertThat(banner).anySatisfy(line -> assertThat(line).matches("\\s+Metrics\\s+http://localhost:\\d+/metrics"));
            final String base = banner.stream().map(API_LINE::matcher).filter(Matcher::matches).map(m -> m.group(1)).findFirst().orElseThrow();
            assertThat(banner).as("a dashboard link that signs in with the admin token")
                    .anySatisfy(line -> assertThat(line).matches("\\s+Dashboard\\s+http://localhost:\\d+/#token=[A-Za-z0-9_-]{43}"));
            final ApiClient api = ApiClient.embedded(base, dir.resolve("data"));
            Poll.until("demo reports served", Duration.ofMinutes(3), Duration.ofMillis(500),
                    () -> api.json("/api/v1/campaigns/bf-flash-sale").at("/metrics/sent").asLong() > 0,
                    ApiClient.Unavailable.class, ApiClient.NotFound.class);

            child.destroy(); // SIGTERM
            assertThat(child.waitFor(2, TimeUnit.MINUTES)).as("stopped within 2 minutes").isTrue();
            final List<String> output = lines.get();
            assertThat(child.exitValue()).as("exit status after SIGTERM").isEqualTo(128 + 15);
            assertThat(String.join("\n", output)).doesNotContain("Exception").doesNotContain(" ERROR ");
            assertThat(indexOf(output, "Demo traffic stopped"))
                    .isLessThan(indexOf(output, "PENDING_SHUTDOWN -> NOT_RUNNING"));
            assertThat(indexOf(output, "PENDING_SHUTDOWN -> NOT_RUNNING"))
                    .isLessThan(indexOf(output, "Dev schema registry on"));
            assertThat(indexOf(output, "Dev schema registry on"))
                    .isLessThan(indexOf(output, "Stopping embedded Kafka broker"));
            assertThat(indexOf(output, "Stopping embedded Kafka broker"))
                    .isLessThan(indexOf(output, "SMS Reports stopped"));
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // never leave a child JVM behind
        }
    }

    private static int indexOf(final List<String> lines, final String text) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("'" + text + "' not in the output:\n" + String.join("\n", lines));
    }
}
