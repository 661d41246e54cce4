package io.smsreports.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.smsreports.api.Json;
import io.smsreports.config.Settings;
import io.smsreports.demo.DemoTraffic;
import io.smsreports.launcher.LaunchOptions;
import io.smsreports.launcher.Launcher;
import io.smsreports.launcher.RunningSmsReports;
import io.smsreports.service.ServiceConfig;
import io.smsreports.testing.Poll;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import io.smsreports.api.auth.TestTokens;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser (headless Chromium) against the embedded mode with demo traffic: after its
 * scripts have run, the page shows the campaign's numbers, platforms, heatmap and failures exactly as the API
 * gives them. Skipped, with the reason, where no Chromium is installed ({@code .ci/run} installs it).
 */
@Tag("integration")
class DashboardBrowserIntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private String admin;

    @Test
    void shouldShowTheCampaignAsTheApiReportsIt(@TempDir final Path dir) throws Exception {
        final Optional<Path> chromium = chromium();
        Assumptions.assumeTrue(chromium.isPresent(), "No Chromium found (PATH or CHROME_BIN): the browser test needs one; "
                + ".ci/run installs Debian's chromium");
        final LaunchOptions options = LaunchOptions.defaults().withDataDir(dir.resolve("data")).withFreePorts()
                .withDemo(new DemoTraffic.Settings(200, 200, 3));
        // The embedded admin token, and the test tokens of every role from a tokens file.
        final ServiceConfig config = Launcher.serviceConfig(Settings.of(TestTokens.settings(dir))
                .with(Map.of(ServiceConfig.SMS_HTTP_PORT, "0")), options);
        try (RunningSmsReports running = Launcher.start(options, config)) {
            assertThat(running.awaitReady(Duration.ofMinutes(3))).isTrue();
            final String base = running.baseUrl();
            admin = running.adminToken().orElseThrow();
            Poll.until("the back-fill counted", Duration.ofMinutes(4), Duration.ofMillis(500),
                    () -> {
                        final JsonNode c = json(base, "/api/v1/campaigns/weekend-newsletter");
                        return c.at("/metrics/sent").asLong() + c.get("notSent").asLong() == 4_000; // rule 14: Sent or not sent
                    }, NotServed.class);
            // The back-fill's burst three hours ago, during which provider sinch degraded for ten minutes: the alert opened and
            // resolved in event time, as soon as every task's clock had passed it.
            Poll.until("the back-filled alert resolved", Duration.ofMinutes(3), Duration.ofMillis(500), () -> {
                for (final JsonNode a : json(base, "/api/v1/alerts?state=all").get("items")) {
                    if (a.get("rule").asText().equals("delivery-rate-drop") && a.get("key").asText().equals("sinch")
                            && a.get("state").asText().equals("RESOLVED")) {
                        return true;
                    }
                }
                return false;
            }, NotServed.class);
            running.stopDemo();
            final java.util.concurrent.atomic.AtomicReference<JsonNode> last = new java.util.concurrent.atomic.AtomicReference<>();
            Poll.until("numbers settled", Duration.ofMinutes(2), Duration.ofSeconds(3), () -> json(base, "/api/v1/campaigns/weekend-newsletter"),
                    now -> now.equals(last.getAndSet(now)), NotServed.class);

            final Document signedOut = render(chromium.get(), base + "/#campaign=weekend-newsletter", dir);
            assertThat(signedOut.select("#login").hasAttr("hidden")).as("without a token: the sign-in form").isFalse();
            assertThat(signedOut.select("#main").hasAttr("hidden")).as("and no data").isTrue();
            assertThat(signedOut.select("#cards")).isEmpty();

            // The banner's link: the token in the fragment signs the browser in.
            final Document page = render(chromium.get(), base + "/#campaign=weekend-newsletter&token=" + admin, dir);
            assertThat(page.select("#who").text()).isEqualTo("embedded-admin (admin)");
            final JsonNode campaign = json(base, "/api/v1/campaigns/weekend-newsletter");
            assertThat(page.select("#campaign h2").text()).startsWith("Weekend newsletter").contains("FINISHED");
            assertThat(page.select("#live").hasClass("ok")).as("the page says it is live").isTrue();
            for (final String metric : List.of("sent", "delivered", "failed", "unconfirmed", "pending", "targetAudience")) {
                assertThat(cardValue(page, metric)).as(metric).isEqualTo(String.format(Locale.US, "%,d",
                        campaign.at("/metrics/" + metric).asLong()));
            }
            assertThat(cardValue(page, "deliveryRate")).isEqualTo(String.format(Locale.US, "%.1f %%",
                    100 * campaign.at("/metrics/deliveryRate").asDouble()));

            assertThat(page.select("#freshness").text()).as("the freshness line").startsWith("Figures as of")
                    .contains(campaign.at("/freshness/inputLag").asLong() > 0 ? "not processed yet" : "input fully processed");

            // The timeline chart: one SVG line per series, each with the API's hourly values.
            final JsonNode buckets = json(base, "/api/v1/campaigns/weekend-newsletter/timeline").get("buckets");
            for (final String series : List.of("sent", "delivered", "failed")) {
                final List<String> values = new ArrayList<>();
                buckets.forEach(b -> values.add(b.get(series).asText()));
                assertThat(page.select("#timeline polyline[data-series=" + series + "]").attr("data-values")).as(series)
                        .isEqualTo(String.join(",", values));
            }
            // The latency histogram: its bars hold every Delivered SMS, and each service level has its mark.
            long binned = 0;
            for (final Element bar : page.select("#latency rect[data-bin]")) {
                binned += Long.parseLong(bar.attr("data-delivered"));
            }
            assertThat(binned).isEqualTo(campaign.at("/metrics/delivered").asLong());
            assertThat(page.select("#latency line[data-level]").eachAttr("data-level")).containsExactly("5s", "30s", "300s");
            // The breakdown (platform tab first) and the failure categories, as the API has them.
            final JsonNode byPlatform = json(base, "/api/v1/campaigns/weekend-newsletter/breakdown?by=platform").get("rows");
            assertThat(page.select("#breakdown tbody tr")).hasSize(byPlatform.size());
            assertThat(page.select("#breakdown tbody tr").get(0).child(0).text()).isEqualTo(byPlatform.get(0).get("key").asText());
            assertThat(page.select("#breakdown-tabs button").eachAttr("data-by")).containsExactly("platform", "country", "operator", "provider", "route");
            final JsonNode categories = json(base, "/api/v1/campaigns/weekend-newsletter/failures?by=category").get("rows");
            assertThat(page.select("#failure-categories tbody tr").eachText()).hasSize(Math.max(1, categories.size()));
            if (categories.size() > 0) {
                assertThat(page.select("#failure-categories tbody tr").get(0).child(0).text()).isEqualTo(categories.get(0).get("key").asText());
            }
            assertThat(page.select("#export-retarget")).as("the retarget export, for an analyst or admin").hasSize(1);
            assertThat(page.select("[data-metric=within-30s] .value").text()).isEqualTo(String.format(Locale.US, "%.1f %%",
                    100 * campaign.at("/deliveredWithin/30s").asDouble()));

            final JsonNode platforms = json(base, "/api/v1/campaigns/weekend-newsletter/platforms").get("platforms");
            assertThat(page.select("#platforms tbody tr")).hasSize(platforms.size());
            for (int i = 0; i < platforms.size(); i++) {
                final Element row = page.select("#platforms tbody tr").get(i);
                assertThat(row.child(0).text()).isEqualTo(platforms.get(i).get("platform").asText());
                assertThat(row.child(1).text()).isEqualTo(String.format(Locale.US, "%,d", platforms.get(i).get("sent").asLong()));
            }

            final String tz = page.select("#campaign h3").eachText().stream().filter(t -> t.startsWith("Deliveries per hour"))
                    .findFirst().orElseThrow().replaceAll(".*\\((.*)\\)", "$1");
            long heatmapTotal = 0;
            for (final JsonNode cell : json(base, "/api/v1/campaigns/weekend-newsletter/heatmap?tz=" + tz).get("cells")) {
                heatmapTotal += cell.get("delivered").asLong();
            }
            assertThat(page.select("#heatmap [data-delivered]").stream().mapToLong(e -> Long.parseLong(e.attr("data-delivered"))).sum())
                    .isEqualTo(heatmapTotal).isEqualTo(campaign.at("/metrics/delivered").asLong());

            assertThat(page.select("#failed tbody tr")).hasSize(Math.min(10, (int) campaign.at("/metrics/failed").asLong()));
            assertThat(page.select("#export-csv")).hasSize(1);
            assertThat(page.select("#export-xlsx")).hasSize(1);
            assertThat(page.select("#campaigns li")).hasSizeGreaterThanOrEqualTo(7);

            // Rule 14: the not-sent card and the funnel chart, as the API's funnel has them: a bar per stage, the not-sent bar
            // in one part per reason.
            final JsonNode funnel = json(base, "/api/v1/campaigns/weekend-newsletter/funnel");
            assertThat(cardValue(page, "notSent")).isEqualTo(String.format(Locale.US, "%,d", funnel.get("notSent").asLong()))
                    .isEqualTo(String.format(Locale.US, "%,d", campaign.get("notSent").asLong()));
            assertThat(funnel.get("notSent").asLong()).as("the demo's sender keeps some recipients out").isPositive();
            final java.util.Map<String, Long> reasonsShown = new java.util.TreeMap<>();
            page.select("#funnel rect[data-reason]").forEach(bar -> reasonsShown.put(bar.attr("data-reason"), Long.parseLong(bar.attr("data-count"))));
            final java.util.Map<String, Long> reasons = new java.util.TreeMap<>();
            funnel.get("notSentByReason").fields().forEachRemaining(e -> reasons.put(e.getKey(), e.getValue().asLong()));
            assertThat(reasonsShown).isEqualTo(reasons);
            for (final String stage : List.of("Sent", "Delivered", "Failed", "Unconfirmed", "Pending")) {
                assertThat(page.select("#funnel rect[data-stage=" + stage + "]").attr("data-count")).as("funnel %s", stage)
                        .isEqualTo(funnel.get(stage.toLowerCase(Locale.ROOT)).asText());
            }
            assertThat(page.select("#funnel rect[data-stage=Audience]").attr("data-count")).isEqualTo(funnel.get("audience").asText());

            // Rule 16: the click cards and the links table, as the API has them; the demo's recipients click the newsletter's link.
            final JsonNode engagement = campaign.get("engagement");
            assertThat(engagement.get("uniqueClicks").asLong()).as("the demo's recipients click").isPositive();
            for (final String metric : List.of("totalClicks", "uniqueClicks", "botClicks")) {
                assertThat(page.select("#engagement-cards [data-metric=" + metric + "] .value").text()).as(metric)
                        .isEqualTo(String.format(Locale.US, "%,d", engagement.get(metric).asLong()));
            }
            assertThat(page.select("#engagement-cards [data-metric=ctr] .value").text())
                    .isEqualTo(String.format(Locale.US, "%.1f %%", 100 * engagement.get("ctr").asDouble()));
            final JsonNode links = json(base, "/api/v1/campaigns/weekend-newsletter/links").get("links");
            assertThat(page.select("#links tbody tr").eachAttr("data-link"))
                    .containsExactlyElementsOf(java.util.stream.StreamSupport.stream(links.spliterator(), false).map(l -> l.get("linkId").asText()).toList());
            assertThat(page.select("#links tbody tr").get(0).child(2).text())
                    .isEqualTo(String.format(Locale.US, "%,d", links.get(0).get("uniqueClicks").asLong()));

            // Rule 17: the reply cards as the API has them; the demo's recipients write back, some with a stop word.
            assertThat(engagement.get("replies").asLong()).as("the demo's recipients reply").isPositive();
            for (final String metric : List.of("replies", "optOuts")) {
                assertThat(page.select("#reply-cards [data-metric=" + metric + "] .value").text()).as(metric)
                        .isEqualTo(String.format(Locale.US, "%,d", engagement.get(metric).asLong()));
            }
            assertThat(page.select("#reply-cards [data-metric=optOutRate] .value").text())
                    .isEqualTo(String.format(Locale.US, "%.1f %%", 100 * engagement.get("optOutRate").asDouble()));

            // Rule 15: a spend, wasted and cost-per-delivered card per currency, as the API gives them (digits compared:
            // the browser formats the currency), the unpriced count; the demo prices most SMS in TRY and EUR.
            final JsonNode cost = campaign.get("cost");
            assertThat(cost.get("spend")).as("the demo's SMS are priced").isNotEmpty();
            for (final JsonNode spend : cost.get("spend")) {
                final String currency = spend.get("currency").asText();
                assertThat(digits(page.select("#spend-cards [data-metric=spend-" + currency + "] .value").text())).as("spend in %s", currency)
                        .isEqualTo(digits(money(spend.get("spendMicros").asLong())));
                assertThat(digits(page.select("#spend-cards [data-metric=wasted-" + currency + "] .value").text()))
                        .as("wasted in %s", currency).isEqualTo(digits(money(spend.get("wastedMicros").asLong())));
            }
            assertThat(page.select("#spend-cards [data-metric=unpriced] .value").text())
                    .isEqualTo(String.format(Locale.US, "%,d", cost.get("unpriced").asLong()));
            // The route scorecard: every route the API scores over the last day, one row each.
            final List<String> routes = new ArrayList<>();
            json(base, "/api/v1/routes").get("routes").forEach(r -> routes.add(r.get("route").asText()));
            assertThat(routes).as("the demo's live traffic went over routes").isNotEmpty();
            assertThat(page.select("#routes-table tbody tr").eachAttr("data-route")).containsExactlyInAnyOrderElementsOf(routes);
            assertThat(page.select("#route-rates polyline")).as("a rate line per busiest route").isNotEmpty();

            // The alerts panel: the open alerts, then the latest resolved ones, as the API lists them.
            final List<String> open = new ArrayList<>();
            final List<String> resolved = new ArrayList<>();
            for (final JsonNode a : json(base, "/api/v1/alerts?state=all").get("items")) {
                (a.get("state").asText().equals("OPENED") ? open : resolved).add(a.get("alertId").asText());
            }
            final List<String> shown = new ArrayList<>(open);
            shown.addAll(resolved.subList(0, Math.min(8, resolved.size())));
            assertThat(page.select("#alerts li[data-alert-id]").eachAttr("data-alert-id")).isEqualTo(shown);
            final Element sinch = page.select("#alerts li[data-rule=delivery-rate-drop][data-state=RESOLVED]").stream()
                    .filter(li -> li.text().contains("provider sinch")).findFirst().orElseThrow();
            assertThat(sinch.select(".badge").text()).isEqualTo("resolved");
            assertThat(sinch.select(".msg").text()).contains("Delivery rate of provider sinch fell to").contains("Resolved:");

            // A viewer sees the figures and no personal data: no failed users, no exports, no people.
            final Document viewer = render(chromium.get(), base + "/#campaign=weekend-newsletter&token=" + TestTokens.VIEWER, dir);
            assertThat(viewer.select("#who").text()).isEqualTo("dashboard (viewer)");
            assertThat(cardValue(viewer, "sent")).isEqualTo(cardValue(page, "sent"));
            assertThat(viewer.select("#failed")).as("failed users hidden from a viewer").isEmpty();
            assertThat(viewer.select("#export-csv")).isEmpty();
            assertThat(viewer.select("#people").hasAttr("hidden")).isTrue();
            assertThat(viewer.text()).doesNotContain("+90555");
        }
    }

    /** The JSON of a 200; a 503 or 404 (figures not there yet) throws {@link NotServed}, any other status fails. */
    private JsonNode json(final String base, final String path) throws Exception {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 503 || response.statusCode() == 404) {
            throw new NotServed(path + ": " + response.statusCode());
        }
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    /** Not answered yet: 503 (starting, restoring) or 404 (a campaign whose figures are on their way). */
    private static final class NotServed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotServed(final String message) {
            super(message);
        }
    }

    /** A sum of micro-units as the dashboard shows it: to the cent (the browser rounds half away from zero). */
    private static String money(final long micros) {
        return java.math.BigDecimal.valueOf(micros, 6).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    private static String digits(final String text) {
        return text.replaceAll("[^0-9]", "");
    }

    private static String cardValue(final Document page, final String metric) {
        return page.select("#cards [data-metric=" + metric + "] .value").text();
    }

    /** The DOM after the page's scripts ran (Chromium's virtual time lets every fetch finish). */
    private static Document render(final Path chromium, final String url, final Path dir) throws Exception {
        final Path out = dir.resolve("dom.html");
        final Process process = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--user-data-dir=" + dir.resolve("chromium"), "--virtual-time-budget=10000",
                "--dump-dom", url)
                .redirectOutput(out.toFile()).redirectError(dir.resolve("chromium.log").toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not finish; its log: " + Files.readString(dir.resolve("chromium.log")));
        }
        return Jsoup.parse(Files.readString(out, StandardCharsets.UTF_8), url);
    }

    private static Optional<Path> chromium() {
        final String explicit = System.getenv("CHROME_BIN");
        if (explicit != null && Files.isExecutable(Path.of(explicit))) {
            return Optional.of(Path.of(explicit));
        }
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .flatMap(dir -> List.of("chromium", "chromium-browser", "google-chrome").stream().map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
    }
}
