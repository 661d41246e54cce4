package io.smsreports.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.smsreports.config.Settings;
import io.smsreports.demo.DemoTraffic;
import io.smsreports.service.ServiceConfig;
import io.smsreports.testing.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded mode end to end, in-process: a real broker, the dev registry, the service and the demo traffic
 * on free ports; the reports fill in through the API; after a clean stop, a start on the same data directory
 * shows exactly the same numbers.
 */
@Tag("integration")
class LauncherIntegrationTest {

    /** SMS the demo back-fills at first start: 4,000 + 1,500 + 200 (see {@link DemoTraffic}). */
    private static final long BACKFILL = io.smsreports.demo.DemoTraffic.BACKFILL_SMS;
    private static final long LIVE = 600;

    @Test
    void shouldFillTheReportsWithDemoTrafficAndKeepEveryNumberAcrossARestart(@TempDir final Path dir) throws Exception {
        final LaunchOptions options = LaunchOptions.defaults().withDataDir(dir.resolve("data")).withFreePorts()
                .withDemo(new DemoTraffic.Settings(300, LIVE, 7));
        final ServiceConfig config = Launcher.serviceConfig(Settings.of(Map.of(ServiceConfig.SMS_HTTP_PORT, "0")), options);

        final Map<String, JsonNode> before;
        try (RunningSmsReports running = Launcher.start(options, config)) {
            assertThat(running.embedded()).isTrue();
            assertThat(running.awaitReady(Duration.ofMinutes(3))).as("ready").isTrue();
            final ApiClient api = ApiClient.embedded(running.baseUrl(), dir.resolve("data"));
            assertThat(running.service().config().httpHost()).as("the embedded mode serves this machine only").isEqualTo("127.0.0.1");
            assertThat(new ApiClient(running.baseUrl(), null).get("/api/v1/campaigns").statusCode()).as("no token, no data").isEqualTo(401);
            assertThat(java.nio.file.Files.getPosixFilePermissions(dir.resolve("data").resolve(DataDirectory.ADMIN_TOKEN)))
                    .as("the admin token is the owner's alone").containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            assertThat(running.adminToken()).isPresent();

            // Every recipient the demo decided on is counted once, Sent or not sent (rule 14): the back-fill and the live traffic.
            Poll.until("all demo recipients counted", Duration.ofMinutes(5), Duration.ofMillis(500),
                    () -> running.demo().orElseThrow().smsSent() == LIVE && api.decidedOverall() == BACKFILL + LIVE, ApiClient.Unavailable.class);

            final JsonNode live = api.json("/api/v1/campaigns/bf-flash-sale");
            assertThat(live.at("/metrics/sent").asLong()).isPositive();
            Poll.until("live receipts counted", Duration.ofMinutes(2), Duration.ofMillis(500),
                    () -> api.json("/api/v1/campaigns/bf-flash-sale").at("/metrics/delivered").asLong() > 0, ApiClient.Unavailable.class);
            final JsonNode newsletter = api.json("/api/v1/campaigns/weekend-newsletter");
            assertThat(newsletter.at("/metrics/sent").asLong() + newsletter.get("notSent").asLong()).isEqualTo(4_000);
            assertThat(newsletter.get("notSent").asLong()).as("the sender's checks kept some recipients out (rule 14)").isPositive();
            final JsonNode funnel = api.json("/api/v1/campaigns/weekend-newsletter/funnel");
            long byReason = 0;
            for (final JsonNode n : funnel.get("notSentByReason")) {
                byReason += n.asLong();
            }
            assertThat(byReason).as("the funnel's reasons add up").isEqualTo(newsletter.get("notSent").asLong());
            assertThat(funnel.get("notSentByReason").has("IYS_NO_CONSENT")).as("İYS: most of the audience is Turkish").isTrue();
            assertThat(funnel.get("unaccounted").asLong()).isEqualTo(newsletter.at("/metrics/targetAudience").asLong() - 4_000);
            assertThat(newsletter.at("/metrics/delivered").asLong()).isGreaterThan(3_000);
            assertThat(newsletter.at("/metrics/failed").asLong()).isPositive();
            assertThat(newsletter.at("/reconciliation/duplicateReceipts").asLong()).isPositive();
            // Dispatched five days ago, and some never confirmed: past the 4-day receipt timeout.
            final JsonNode winBack = api.json("/api/v1/campaigns/win-back");
            Poll.until("old unanswered SMS unconfirmed", Duration.ofMinutes(2), Duration.ofMillis(500),
                    () -> api.json("/api/v1/campaigns/win-back").at("/metrics/unconfirmed").asLong() > 0, ApiClient.Unavailable.class);
            assertThat(winBack.at("/metrics/sent").asLong() + winBack.get("notSent").asLong()).isEqualTo(1_500);
            assertThat(api.json("/api/v1/campaigns/weekend-newsletter/platforms").get("platforms")).hasSizeGreaterThanOrEqualTo(3);
            assertThat(api.json("/api/v1/campaigns/weekend-newsletter/heatmap?tz=Europe/Istanbul").get("cells")).isNotEmpty();
            final JsonNode failed = api.json("/api/v1/campaigns/weekend-newsletter/failed?limit=5").get("items");
            assertThat(failed).isNotEmpty();
            assertThat(failed.get(0).get("failReason").asText()).isNotBlank();
            assertThat(api.get("/api/v1/campaigns/spring-teaser").statusCode()).isEqualTo(200);
            assertThat(api.get("/api/v1/openapi.json").statusCode()).isEqualTo(200);
            assertThat(api.get("/metrics").body()).contains("sms_dead_letter_records_total");

            // Stop producing, let the pipeline settle, and remember the numbers.
            running.stopDemo();
            before = settled(api);
        }

        try (RunningSmsReports again = Launcher.start(options.withDemo(null), config)) {
            assertThat(again.awaitReady(Duration.ofMinutes(3))).as("ready again").isTrue();
            final ApiClient api = ApiClient.embedded(again.baseUrl(), dir.resolve("data"));
            assertThat(again.adminToken()).as("the same admin token after a restart").isEqualTo(java.util.Optional.of(
                    java.nio.file.Files.readString(dir.resolve("data").resolve(DataDirectory.ADMIN_TOKEN)).strip()));
            final Map<String, JsonNode> after = Poll.until("the same numbers after a restart", Duration.ofMinutes(3), Duration.ofMillis(500),
                    api::numbers, before::equals, ApiClient.Unavailable.class);
            assertThat(after).isEqualTo(before);
            assertThat(Files.exists(dir.resolve("data").resolve("demo").resolve("backfill.done"))).isTrue();
        }
    }

    /** The numbers once every input record is processed and two reads two seconds apart agree. */
    private static Map<String, JsonNode> settled(final ApiClient api) {
        Poll.until("every input record processed", Duration.ofMinutes(3), Duration.ofSeconds(1), () -> api.inputLag() == 0,
                ApiClient.Unavailable.class);
        final AtomicReference<Map<String, JsonNode>> last = new AtomicReference<>(Map.of());
        return Poll.until("numbers settled", Duration.ofMinutes(3), Duration.ofSeconds(2), api::numbers,
                now -> now.equals(last.getAndSet(now)), ApiClient.Unavailable.class);
    }
}
