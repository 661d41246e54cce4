package io.smsreports.api;

import static io.smsreports.api.TestData.A;
import static io.smsreports.api.TestData.B;
import static io.smsreports.api.TestData.BASE;
import static io.smsreports.api.TestData.C;
import static io.smsreports.api.TestData.D;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.smsreports.api.auth.TestTokens;
import io.smsreports.app.TopicSetup;
import io.smsreports.config.ProcessorConfig;
import io.smsreports.config.Settings;
import io.smsreports.embedded.EmbeddedKafkaBroker;
import io.smsreports.events.Topics;
import io.smsreports.export.FailedUsersExport;
import io.smsreports.export.NotSentExport;
import io.smsreports.registry.DevSchemaRegistryServer;
import io.smsreports.reporting.LatencyBuckets;
import io.smsreports.service.ServiceConfig;
import io.smsreports.service.SmsReportsService;
import io.smsreports.testing.Poll;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint against a real broker, answered by two service instances that share the partitions (same
 * application id, different ports): each question is asked of both, and both answers must be the same and
 * right. {@link TestData} says what the right answers are.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class QueryApiIntegrationTest {

    /** Every log event of the run: both instances, the brokers' clients, every request the tests make. */
    private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
            new ch.qos.logback.core.read.ListAppender<>();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Every response a test reads through {@link #get} is checked against the served OpenAPI document. */
    private final OpenApiContract contract = new OpenApiContract();
    private EmbeddedKafkaBroker kafka;
    private DevSchemaRegistryServer registry;
    private SmsReportsService first;
    private SmsReportsService second;
    private List<String> bases;

    @BeforeAll
    void start(@TempDir final Path dir) throws Exception {
        log.start();
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
        kafka = EmbeddedKafkaBroker.builder().build().start();
        registry = DevSchemaRegistryServer.startEphemeral();
        kafka.createTopics(TopicSetup.newTopics(Topics.defaults(), TestData.PARTITIONS, (short) 1));
        TestData.produce(kafka.bootstrapServers(), registry.url());
        first = SmsReportsService.start(config(dir.resolve("one"), freePort()));
        second = SmsReportsService.start(config(dir.resolve("two"), freePort()));
        bases = List.of("http://localhost:" + first.httpPort(), "http://localhost:" + second.httpPort());
        // A 503 answer is an error body, read as "not yet" below; only a refused connection is an exception to wait out.
        Poll.until("both instances running with every campaign counted", Duration.ofMinutes(4), Duration.ofSeconds(1), () -> {
            for (final String base : bases) {
                if (get(base, "/ready").statusCode() != 200
                        || json(base, "/api/v1/campaigns/" + A).at("/metrics/unconfirmed").asLong() != 5
                        || json(base, "/api/v1/campaigns/" + B).at("/metrics/delivered").asLong() != 30
                        || json(base, "/api/v1/reconciliation").at("/orphanReceipts").asLong() != 2) {
                    return false;
                }
            }
            return true;
        }, IOException.class);
    }

    private ServiceConfig config(final Path stateDir, final int port) {
        return ServiceConfig.from(Settings.of(TestTokens.settings(stateDir.getParent())).with(Map.of(
                ProcessorConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                ProcessorConfig.SCHEMA_REGISTRY_URL, registry.url(),
                ProcessorConfig.SMS_APPLICATION_ID, "sms-reports-api-test",
                ProcessorConfig.SMS_STATE_DIR, stateDir.toString(),
                ProcessorConfig.SMS_APPLICATION_SERVER, "localhost:" + port,
                ProcessorConfig.SMS_EXPIRY_SCAN_INTERVAL, "1s",
                // The dataset's clock is its own stream time; an idle task must not jump to the wall clock.
                ProcessorConfig.SMS_IDLE_CLOCK_LAG, "30d",
                // Every export test shares the analyst token: the per-token allowance (30 a minute) is not what they test.
                ServiceConfig.SMS_EXPORTS_PER_MINUTE, "10000",
                ServiceConfig.SMS_HTTP_PORT, String.valueOf(port))));
    }

    @AfterAll
    void stop() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        for (final AutoCloseable closeable : new AutoCloseable[] {second, first, registry, kafka}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    /**
     * For each documented route, one request it must answer 200 (with the admin token), one 400 (a bad parameter) and one
     * 404 (nothing by that id); {@code null} where the route has no such request. 401 asks the first without a token, 403
     * with a role below the route's, 503 once stream processing has stopped.
     */
    /** A campaign nobody sent (unlike {@code D}, whose SMS came without their campaign). */
    private static final String NONE = "no-such-campaign";

    private static final Map<String, String[]> CONTRACT_REQUESTS = Map.ofEntries(
            Map.entry("/api/v1/campaigns", new String[] {"/api/v1/campaigns?limit=2", "/api/v1/campaigns?limit=0", null}),
            Map.entry("/api/v1/campaigns/{messageId}", new String[] {"/api/v1/campaigns/" + A, null, "/api/v1/campaigns/" + NONE}),
            Map.entry("/api/v1/campaigns/{messageId}/platforms",
                    new String[] {"/api/v1/campaigns/" + A + "/platforms", null, "/api/v1/campaigns/" + NONE + "/platforms"}),
            Map.entry("/api/v1/campaigns/{messageId}/timeline", new String[] {"/api/v1/campaigns/" + A + "/timeline",
                    "/api/v1/campaigns/" + A + "/timeline?from=yesterday", "/api/v1/campaigns/" + NONE + "/timeline"}),
            Map.entry("/api/v1/campaigns/{messageId}/heatmap", new String[] {"/api/v1/campaigns/" + A + "/heatmap?tz=Europe/Istanbul",
                    "/api/v1/campaigns/" + A + "/heatmap?tz=Mars/Olympus_Mons", "/api/v1/campaigns/" + NONE + "/heatmap"}),
            Map.entry("/api/v1/campaigns/{messageId}/breakdown", new String[] {"/api/v1/campaigns/" + A + "/breakdown?by=operator",
                    "/api/v1/campaigns/" + A + "/breakdown?by=colour", "/api/v1/campaigns/" + NONE + "/breakdown?by=platform"}),
            Map.entry("/api/v1/campaigns/{messageId}/funnel",
                    new String[] {"/api/v1/campaigns/" + A + "/funnel", null, "/api/v1/campaigns/" + NONE + "/funnel"}),
            Map.entry("/api/v1/campaigns/{messageId}/links",
                    new String[] {"/api/v1/campaigns/" + A + "/links", null, "/api/v1/campaigns/" + NONE + "/links"}),
            Map.entry("/api/v1/campaigns/{messageId}/failures", new String[] {"/api/v1/campaigns/" + A + "/failures?by=errorCode",
                    "/api/v1/campaigns/" + A + "/failures?by=colour", "/api/v1/campaigns/" + NONE + "/failures?by=category"}),
            Map.entry("/api/v1/campaigns/{messageId}/latency",
                    new String[] {"/api/v1/campaigns/" + A + "/latency", null, "/api/v1/campaigns/" + NONE + "/latency"}),
            Map.entry("/api/v1/campaigns/{messageId}/failed", new String[] {"/api/v1/campaigns/" + A + "/failed?limit=3",
                    "/api/v1/campaigns/" + A + "/failed?limit=0", "/api/v1/campaigns/" + NONE + "/failed"}),
            Map.entry("/api/v1/campaigns/{messageId}/failed/export", new String[] {"/api/v1/campaigns/" + A + "/failed/export?format=csv",
                    "/api/v1/campaigns/" + A + "/failed/export?format=pdf", "/api/v1/campaigns/" + NONE + "/failed/export"}),
            Map.entry("/api/v1/campaigns/{messageId}/not-sent/export", new String[] {
                    "/api/v1/campaigns/" + A + "/not-sent/export?format=xlsx", "/api/v1/campaigns/" + A + "/not-sent/export?reason=BORED",
                    "/api/v1/campaigns/" + NONE + "/not-sent/export"}),
            Map.entry("/api/v1/people", new String[] {"/api/v1/people?externalId=u2", "/api/v1/people", "/api/v1/people?externalId=nobody"}),
            Map.entry("/api/v1/people/{personId}", new String[] {"/api/v1/people/ext:u2", "/api/v1/people/u2", "/api/v1/people/ext:nobody"}),
            Map.entry("/api/v1/people/{personId}/messages", new String[] {"/api/v1/people/ext:u2/messages",
                    "/api/v1/people/ext:u2/messages?from=yesterday", "/api/v1/people/ext:nobody/messages"}),
            Map.entry("/api/v1/events/sms-delivered", new String[] {"/api/v1/events/sms-delivered?messageId=" + B,
                    "/api/v1/events/sms-delivered?groupBy=colour&messageId=" + B, "/api/v1/events/sms-delivered?messageId=" + NONE}),
            Map.entry("/api/v1/reconciliation", new String[] {"/api/v1/reconciliation", null, null}),
            Map.entry("/api/v1/alerts", new String[] {"/api/v1/alerts?state=all", "/api/v1/alerts?state=closed", null}),
            Map.entry("/api/v1/routes", new String[] {"/api/v1/routes", "/api/v1/routes?from=yesterday", null}),
            Map.entry("/api/v1/openapi.json", new String[] {"/api/v1/openapi.json", null, null}),
            Map.entry("/health", new String[] {"/health", null, null}),
            Map.entry("/ready", new String[] {"/ready", null, null}),
            Map.entry("/metrics", new String[] {"/metrics", null, null}),
            Map.entry("/api/v1/whoami", new String[] {"/api/v1/whoami", null, null}),
            Map.entry("/api/v1/audit", new String[] {"/api/v1/audit?limit=5", "/api/v1/audit?limit=0", null}));

    /**
     * The OpenAPI document against reality (issue 21): every status each route documents is asked for and the answer
     * validated against the document (status, headers, media type, body schema), as is every response the other tests
     * read. Last, because it stops the first instance's stream processing to see the 503s.
     */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void shouldAnswerEveryStatusAsTheOpenApiDocumentSays() throws Exception {
        final Map<String, java.util.Set<String>> documented = contract.documented();
        assertThat(CONTRACT_REQUESTS.keySet()).as("a request for every documented route").isEqualTo(documented.keySet());
        final String base = bases.get(0);
        final List<String> unavailable = new ArrayList<>();
        final List<String> wrong = new ArrayList<>();
        for (final Map.Entry<String, java.util.Set<String>> route : documented.entrySet()) {
            final String[] asks = CONTRACT_REQUESTS.get(route.getKey());
            final io.smsreports.api.auth.Access access = QueryApi.POLICY.get(route.getKey());
            for (final String status : route.getValue()) {
                switch (status) {
                    case "200" -> expect(wrong, base, asks[0], TestTokens.ADMIN, 200);
                    case "400" -> expect(wrong, base, asks[1], TestTokens.ADMIN, 400);
                    case "404" -> expect(wrong, base, asks[2], TestTokens.ADMIN, 404);
                    case "401" -> expect(wrong, base, asks[0], null, 401);
                    case "403" -> expect(wrong, base, asks[0], access == io.smsreports.api.auth.Access.ADMIN ? TestTokens.ANALYST : TestTokens.VIEWER, 403);
                    case "503" -> unavailable.add(asks[0]);
                    default -> throw new AssertionError(route.getKey() + " documents status " + status + ", which this test cannot ask for");
                }
            }
        }
        first.streams().close(Duration.ofMinutes(1));
        for (final String path : unavailable) {
            expect(wrong, base, path, TestTokens.ADMIN, 503);
        }
        assertThat(wrong).as("answers with another status than asked for").isEmpty();
        assertThat(contract.findings()).as("responses that do not conform to openapi.json").isEmpty();
        assertThat(contract.documentedButNotSeen()).as("documented statuses no response showed").isEmpty();
    }

    private void expect(final List<String> wrong, final String base, final String path, final String token, final int status)
            throws IOException, InterruptedException {
        assertThat(path).as("a request that should answer %d", status).isNotNull();
        final HttpResponse<byte[]> response = get(base, path, token);
        if (response.statusCode() != status) {
            wrong.add("GET " + path + (token == null ? " without a token" : "") + " answered " + response.statusCode() + ", not " + status
                    + ": " + abbreviated(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    private static String abbreviated(final String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }

    // ---- helpers ----

    private HttpResponse<byte[]> get(final String base, final String path) throws IOException, InterruptedException {
        return get(base, path, TestTokens.ADMIN);
    }

    private HttpResponse<byte[]> get(final String base, final String path, final String token) throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            request.header("Authorization", TestTokens.bearer(token));
        }
        final HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        contract.check(URI.create(base + path), response);
        return response;
    }

    private JsonNode json(final String base, final String path) throws IOException, InterruptedException {
        return Json.MAPPER.readTree(get(base, path).body());
    }

    /** Asks both instances; both must answer the same status and JSON. */
    private JsonNode both(final String path, final int status) throws IOException, InterruptedException {
        JsonNode answer = null;
        for (final String base : bases) {
            final HttpResponse<byte[]> response = get(base, path);
            assertThat(response.statusCode()).as("%s from %s: %s", path, base, new String(response.body())).isEqualTo(status);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as("content type of %s", path).contains("application/json");
            final JsonNode body = Json.MAPPER.readTree(response.body());
            if (answer != null) {
                assertThat(body).as("%s: same answer from every instance", path).isEqualTo(answer);
            }
            answer = body;
        }
        return answer;
    }

    private JsonNode both(final String path) throws IOException, InterruptedException {
        return both(path, 200);
    }

    private static int freePort() throws IOException {
        return io.smsreports.testing.FreePorts.next();
    }

    private static List<String> texts(final JsonNode array, final String field) {
        final List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.path(field).asText()));
        return values;
    }

    // ---- the cluster ----

    @Test
    void shouldSplitTheCampaignsBetweenTheTwoInstances() {
        final List<HostInfo> owners = new ArrayList<>();
        for (final String campaign : List.of(A, B, C)) {
            owners.add(first.streams().queryMetadataForKey("campaign-stats", campaign, Serdes.String().serializer()).activeHost());
        }
        assertThat(owners).as("each instance owns some campaigns, so answers are forwarded")
                .contains(new HostInfo("localhost", first.httpPort()), new HostInfo("localhost", second.httpPort()));
    }

    // ---- campaigns ----

    @Test
    void shouldReportTheFunnelWithTheRecipientsNotSentToByReason() throws Exception {
        // Rule 14: A's audience of 100: 12 not sent (8 İYS, 3 opted out, 1 invalid number), 60 Sent (a5, also decided not to
        // send, counts as Sent only), 28 unaccounted. Every instance answers the same.
        final String path = "/api/v1/campaigns/" + A + "/funnel";
        Poll.until("the decisions not to send counted", Duration.ofMinutes(2), Duration.ofMillis(500),
                () -> json(bases.get(0), path).path("notSent").asLong() == 12, IOException.class);
        final JsonNode funnel = both(path);
        assertThat(funnel.path("audience").asLong()).isEqualTo(100);
        assertThat(funnel.path("sent").asLong()).isEqualTo(60);
        assertThat(funnel.path("notSentByReason").toString()).isEqualTo("{\"INVALID_NUMBER\":1,\"IYS_NO_CONSENT\":8,\"OPTED_OUT\":3}");
        assertThat(funnel.path("unaccounted").asLong()).isEqualTo(28);
        assertThat(funnel.path("delivered").asLong() + funnel.path("failed").asLong() + funnel.path("unconfirmed").asLong()
                + funnel.path("pending").asLong()).isEqualTo(60);
        assertThat(both("/api/v1/campaigns/" + A).path("notSent").asLong()).isEqualTo(12);
        long byRows = 0;
        for (final JsonNode row : both("/api/v1/campaigns/" + A + "/breakdown?by=platform").path("rows")) {
            byRows += row.path("notSent").asLong();
        }
        assertThat(byRows).as("the platform rows add up to the campaign's not sent").isEqualTo(12);
        for (final JsonNode row : both("/api/v1/campaigns/" + A + "/breakdown?by=provider").path("rows")) {
            assertThat(row.path("notSent").asLong()).as("a recipient not sent to was handed to no provider").isZero();
        }
        assertThat(get(bases.get(0), "/api/v1/campaigns/no-such-campaign/funnel").statusCode()).isEqualTo(404);
        assertThat(get(bases.get(0), path, TestTokens.VIEWER).statusCode()).as("campaign figures: a viewer's").isEqualTo(200);
        assertThat(get(bases.get(0), path, null).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldReportRepliesAndOptOutsPerCampaignAndInThePersonsHistory() throws Exception {
        // Rule 17: A has replies from persons 7 (an opt-out, İPTAL sent twice) and 3; B from person 3 (a later reply); one
        // stranger's message answers no SMS. Opt-out rate over A's 40 delivered.
        Poll.until("the replies attributed", Duration.ofMinutes(2), Duration.ofMillis(500),
                () -> json(bases.get(0), "/api/v1/campaigns/" + A).at("/engagement/replies").asLong() == 2
                        && json(bases.get(0), "/api/v1/campaigns/" + B).at("/engagement/replies").asLong() == 1
                        && json(bases.get(0), "/api/v1/reconciliation").path("unattributedReplies").asLong() == 1, IOException.class);
        final JsonNode a = both("/api/v1/campaigns/" + A).path("engagement");
        assertThat(List.of(a.path("replies").asLong(), a.path("optOuts").asLong())).containsExactly(2L, 1L);
        assertThat(a.path("optOutRate").asDouble()).isEqualTo(1.0 / 40);
        final JsonNode b = both("/api/v1/campaigns/" + B).path("engagement");
        assertThat(List.of(b.path("replies").asLong(), b.path("optOuts").asLong())).containsExactly(1L, 0L);
        assertThat(both("/api/v1/reconciliation").path("unattributedReplies").asLong()).isEqualTo(1);

        final String person7 = "tel:" + TestData.msisdn(7);
        final String encoded = java.net.URLEncoder.encode(person7, StandardCharsets.UTF_8);
        final JsonNode person = both("/api/v1/people/" + encoded);
        assertThat(person.path("optedOutAt").asText()).isEqualTo(TestData.BASE.plus(Duration.ofHours(2)).toString());
        assertThat(both("/api/v1/people?msisdn=" + java.net.URLEncoder.encode(TestData.msisdn(7), StandardCharsets.UTF_8))
                .path("optedOutAt").asText()).as("the lookup says it too").isEqualTo(person.path("optedOutAt").asText());
        final JsonNode history = both("/api/v1/people/" + encoded + "/messages?from=" + TestData.BASE.minus(Duration.ofHours(1))
                + "&to=" + TestData.BASE.plus(Duration.ofDays(1)));
        assertThat(history.path("replies")).hasSize(1);
        final JsonNode reply = history.path("replies").get(0);
        assertThat(List.of(reply.path("body").asText(), reply.path("optOut").asText(), reply.path("smsId").asText(),
                reply.path("campaignName").asText())).containsExactly("İPTAL", "true", "a47", "Black Friday");
        assertThat(history.path("optedOutAt").asText()).isEqualTo(person.path("optedOutAt").asText());
        final JsonNode three = both("/api/v1/people/" + java.net.URLEncoder.encode("tel:" + TestData.msisdn(3), StandardCharsets.UTF_8)
                + "/messages?from=" + TestData.BASE.minus(Duration.ofHours(1)) + "&to=" + TestData.BASE.plus(Duration.ofDays(1)));
        assertThat(texts(three.path("replies"), "smsId")).as("newest first, each to the SMS before it").containsExactly("b23", "a43");
        assertThat(three.path("optedOutAt").isNull()).isTrue();

        assertThat(get(bases.get(0), "/api/v1/people/" + encoded, TestTokens.VIEWER).statusCode()).as("bodies are personal data")
                .isEqualTo(403);
        assertThat(get(bases.get(0), "/api/v1/people/nobody").statusCode()).isEqualTo(400);
        assertThat(get(bases.get(0), "/api/v1/people/tel:%2B905550009999").statusCode()).isEqualTo(404);
        assertThat(log.list.stream().map(e -> e.getFormattedMessage()).filter(m -> m.contains("İPTAL") || m.contains("Teşekkürler")))
                .as("no reply body in a log line").isEmpty();
    }

    @Test
    void shouldReportClicksPerCampaignLinkAndPlatformWithOrphans() throws Exception {
        // Rule 16: 4 human clicks (a0's repeated clickId once), 3 SMS clicked, 1 bot; per link shop 3/2/1, terms 1/1/0; CTR over
        // A's 40 delivered.
        final String path = "/api/v1/campaigns/" + A + "/links";
        Poll.until("the clicks counted", Duration.ofMinutes(2), Duration.ofMillis(500),
                () -> json(bases.get(0), "/api/v1/campaigns/" + A).at("/engagement/totalClicks").asLong() == 4
                        && json(bases.get(0), "/api/v1/reconciliation").path("orphanClicks").asLong() == 1, IOException.class);
        final JsonNode e = both("/api/v1/campaigns/" + A).path("engagement");
        assertThat(List.of(e.path("totalClicks").asLong(), e.path("uniqueClicks").asLong(), e.path("botClicks").asLong()))
                .containsExactly(4L, 3L, 1L);
        assertThat(e.path("ctr").asDouble()).isEqualTo(3 / 40.0);
        final JsonNode links = both(path).path("links");
        assertThat(texts(links, "linkId")).containsExactly("shop", "terms");
        assertThat(List.of(links.at("/0/totalClicks").asLong(), links.at("/0/uniqueClicks").asLong(), links.at("/0/botClicks").asLong()))
                .containsExactly(3L, 2L, 1L);
        assertThat(links.at("/0/url").asText()).isEqualTo("https://ex.co/shop");
        assertThat(List.of(links.at("/1/totalClicks").asLong(), links.at("/1/uniqueClicks").asLong(), links.at("/1/botClicks").asLong()))
                .containsExactly(1L, 1L, 0L);
        long uniqueByPlatform = 0;
        for (final JsonNode row : both("/api/v1/campaigns/" + A + "/breakdown?by=platform").path("rows")) {
            uniqueByPlatform += row.at("/clicks/uniqueClicks").asLong();
        }
        assertThat(uniqueByPlatform).as("the platform rows add up").isEqualTo(3);
        assertThat(both("/api/v1/reconciliation").path("orphanClicks").asLong()).isEqualTo(1);
        assertThat(both("/api/v1/campaigns/" + B + "/links").path("links")).as("no click, no link").isEmpty();
        assertThat(get(bases.get(0), "/api/v1/campaigns/no-such-campaign/links").statusCode()).isEqualTo(404);
        assertThat(get(bases.get(0), path, TestTokens.VIEWER).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldReportACampaignsSummaryMetricsLatencyAndReconciliation() throws Exception {
        final JsonNode a = both("/api/v1/campaigns/" + A);
        assertThat(a.path("messageId").asText()).isEqualTo(A);
        assertThat(a.path("name").asText()).isEqualTo("Black Friday");
        assertThat(a.path("messageType").asText()).isEqualTo("CAMPAIGN");
        assertThat(a.path("method").asText()).isEqualTo("BROADCAST");
        assertThat(a.path("status").asText()).isEqualTo("SENDING");
        assertThat(a.path("text").asText()).isEqualTo("Text of Black Friday");
        assertThat(a.path("creator").asText()).isEqualTo("ops@example.com");
        assertThat(Instant.parse(a.path("createdAt").asText())).isEqualTo(BASE.minus(Duration.ofHours(2)));
        assertThat(a.path("endedAt").isNull()).isTrue();
        final JsonNode m = a.path("metrics");
        assertThat(m.path("targetAudience").asLong()).isEqualTo(100);
        assertThat(m.path("sent").asLong()).isEqualTo(60);
        assertThat(m.path("delivered").asLong()).isEqualTo(40);
        assertThat(m.path("failed").asLong()).isEqualTo(10);
        assertThat(m.path("unconfirmed").asLong()).isEqualTo(5);
        assertThat(m.path("pending").asLong()).isEqualTo(5);
        assertThat(m.path("segments").asLong()).isEqualTo(60);
        assertThat(m.path("deliveryRate").asDouble()).isEqualTo(0.6667);
        assertThat(m.path("failureRate").asDouble()).isEqualTo(0.1667);
        assertThat(m.path("reach").asDouble()).isEqualTo(0.6);
        final SortedMap<Integer, Long> buckets = new TreeMap<>();
        for (int k = 0; k < 40; k++) {
            buckets.merge(LatencyBuckets.bucketOf((k + 1) * 1000L), 1L, Long::sum);
        }
        assertThat(a.at("/latency/p50Ms").asLong()).isEqualTo(LatencyBuckets.quantile(buckets, 0.5)).isBetween(19_500L, 20_500L);
        assertThat(a.at("/latency/p99Ms").asLong()).isEqualTo(LatencyBuckets.quantile(buckets, 0.99));
        assertThat(a.at("/reconciliation/duplicateReceipts").asLong()).isEqualTo(3);
        assertThat(a.at("/reconciliation/conflictingFinals").asLong()).isEqualTo(1);
        assertThat(a.at("/reconciliation/lateReceipts").asLong()).isZero();

        final JsonNode d = both("/api/v1/campaigns/" + D);
        assertThat(d.path("name").isNull()).as("no metadata yet").isTrue();
        assertThat(d.at("/metrics/sent").asLong()).isEqualTo(5);
        assertThat(d.at("/metrics/pending").asLong()).isEqualTo(5);
        assertThat(d.at("/metrics/reach").isNull()).isTrue();
        assertThat(d.at("/latency/p50Ms").isNull()).isTrue();

        final JsonNode c = both("/api/v1/campaigns/" + C);
        assertThat(c.at("/metrics/sent").asLong()).isZero();
        assertThat(c.at("/metrics/deliveryRate").isNull()).isTrue();
    }

    @Test
    void shouldListCampaignsNewestFirstInPages() throws Exception {
        final JsonNode page1 = both("/api/v1/campaigns?limit=2");
        assertThat(texts(page1.path("items"), "messageId")).containsExactly(C, B);
        assertThat(page1.at("/items/1/metrics/delivered").asLong()).isEqualTo(30);
        final String cursor = page1.path("nextCursor").asText();
        assertThat(cursor).isNotBlank();
        final JsonNode page2 = both("/api/v1/campaigns?limit=2&cursor=" + cursor);
        assertThat(texts(page2.path("items"), "messageId")).containsExactly(A, D);
        final JsonNode page3 = both("/api/v1/campaigns?limit=2&cursor=" + page2.path("nextCursor").asText());
        assertThat(texts(page3.path("items"), "messageId")).containsExactly("zz-clock");
        assertThat(page3.path("nextCursor").isNull()).isTrue();
        assertThat(texts(both("/api/v1/campaigns").path("items"), "messageId")).containsExactly(C, B, A, D, "zz-clock");
    }

    @Test
    void shouldBreakACampaignDownByPlatformBestFirst() throws Exception {
        final JsonNode platforms = both("/api/v1/campaigns/" + A + "/platforms").path("platforms");
        assertThat(texts(platforms, "platform")).containsExactly("ios", "android", "web");
        assertThat(platforms.get(0).path("sent").asLong()).isEqualTo(20);
        assertThat(platforms.get(0).path("deliveryRate").asDouble()).isEqualTo(1.0);
        assertThat(platforms.get(1).path("sent").asLong()).isEqualTo(30);
        assertThat(platforms.get(1).path("delivered").asLong()).isEqualTo(20);
        assertThat(platforms.get(1).path("failed").asLong()).isEqualTo(10);
        assertThat(platforms.get(2).path("unconfirmed").asLong()).isEqualTo(5);
        assertThat(platforms.get(2).path("pending").asLong()).isEqualTo(5);
        long sent = 0;
        for (final JsonNode p : platforms) {
            sent += p.path("sent").asLong();
        }
        assertThat(sent).as("platforms add up to the total").isEqualTo(60);
    }

    @Test
    void shouldBreakACampaignDownByEveryDimensionAddingUpToItsCounts() throws Exception {
        final JsonNode campaign = both("/api/v1/campaigns/" + A).path("metrics");
        for (final String by : List.of("platform", "country", "operator", "provider", "route")) {
            final JsonNode breakdown = both("/api/v1/campaigns/" + A + "/breakdown?by=" + by);
            assertThat(breakdown.path("by").asText()).isEqualTo(by);
            for (final String count : List.of("sent", "delivered", "failed", "unconfirmed", "pending")) {
                long sum = 0;
                for (final JsonNode row : breakdown.path("rows")) {
                    sum += row.path(count).asLong();
                }
                assertThat(sum).as("%s rows' %s", by, count).isEqualTo(campaign.path(count).asLong());
            }
        }
        final JsonNode country = both("/api/v1/campaigns/" + A + "/breakdown?by=country").path("rows");
        assertThat(country).hasSize(1);
        assertThat(country.at("/0/key").asText()).isEqualTo("TR");
        assertThat(country.at("/0/deliveredWithin").has("5s")).isTrue();
        assertThat(both("/api/v1/campaigns/" + A).path("deliveredWithin").fieldNames()).toIterable().containsExactly("5s", "30s", "300s");
        final JsonNode latency = both("/api/v1/campaigns/" + A + "/latency");
        long delivered = 0;
        for (final JsonNode bucket : latency.path("buckets")) {
            assertThat(bucket.path("fromMs").asLong()).isLessThanOrEqualTo(bucket.path("toMs").asLong());
            delivered += bucket.path("delivered").asLong();
        }
        assertThat(delivered).as("the histogram holds every Delivered SMS").isEqualTo(campaign.path("delivered").asLong());
        assertThat(latency.path("deliveredWithin")).isEqualTo(both("/api/v1/campaigns/" + A).path("deliveredWithin"));
        assertThat(both("/api/v1/campaigns/" + A + "/breakdown", 400).path("error").asText()).isEqualTo("bad parameter 'by'");
        assertThat(both("/api/v1/campaigns/" + A + "/breakdown?by=city", 400).path("detail").asText()).contains("[platform, country");
    }

    @Test
    void shouldScoreEveryRouteFromBothInstancesPartsAddingUpToTheCampaignsRouteRows() throws Exception {
        // Every SMS of the dataset was dispatched within the history retention: a range over all of it.
        final String range = "from=" + TestData.OLD.minus(Duration.ofDays(1)) + "&to=" + TestData.NOW.plus(Duration.ofHours(2));
        final JsonNode routes = both("/api/v1/routes?" + range).path("routes");
        assertThat(routes).as("routes").isNotEmpty();
        final java.util.Map<String, long[]> fromCampaigns = new java.util.TreeMap<>();
        // D: SMS of a campaign whose metadata never came; zz-clock: the clock records of the dataset
        for (final String campaign : List.of(A, B, C, TestData.D, "zz-clock")) {
            final HttpResponse<byte[]> known = get(bases.get(0), "/api/v1/campaigns/" + campaign);
            if (known.statusCode() == 404) {
                continue; // a campaign without SMS (a draft)
            }
            for (final JsonNode row : both("/api/v1/campaigns/" + campaign + "/breakdown?by=route").path("rows")) {
                final long[] sums = fromCampaigns.computeIfAbsent(row.path("key").asText(), k -> new long[4]);
                sums[0] += row.path("sent").asLong();
                sums[1] += row.path("delivered").asLong();
                sums[2] += row.path("failed").asLong();
                sums[3] += row.path("unconfirmed").asLong();
            }
        }
        final java.util.Map<String, long[]> scored = new java.util.TreeMap<>();
        for (final JsonNode route : routes) {
            assertThat(route.path("route").asText()).isEqualTo(route.path("provider").asText() + "/" + route.path("operator").asText());
            scored.put(route.path("route").asText(), new long[] {route.path("sent").asLong(), route.path("delivered").asLong(),
                    route.path("failed").asLong(), route.path("unconfirmed").asLong()});
            long hourly = 0;
            for (final JsonNode hour : route.path("hours")) {
                hourly += hour.path("sent").asLong();
            }
            assertThat(hourly).as("%s: its hours add up", route.path("route").asText()).isEqualTo(route.path("sent").asLong());
            assertThat(route.path("cost").has("unpriced")).isTrue();
        }
        assertThat(scored.keySet()).isEqualTo(fromCampaigns.keySet());
        scored.forEach((route, sums) -> assertThat(sums).as(route).containsExactly(fromCampaigns.get(route)));
        assertThat(both("/api/v1/routes?from=" + TestData.NOW.plus(Duration.ofHours(3)) + "&to=" + TestData.NOW.plus(Duration.ofHours(4)))
                .path("routes")).as("no SMS dispatched then").isEmpty();
        assertThat(both("/api/v1/routes?from=2001-01-01T00:00:00Z", 400).path("error").asText()).isEqualTo("bad parameter 'from'");
        assertThat(both("/api/v1/routes?from=" + TestData.NOW + "&to=" + TestData.NOW, 400).path("error").asText())
                .isEqualTo("bad parameter 'from'");
    }

    @Test
    void shouldSayHowFreshEveryReportIs() throws Exception {
        // Everything is processed: no input lag, and asOf is the latest event time every lifecycle task reached.
        final JsonNode summary = both("/api/v1/campaigns/" + A).path("freshness");
        assertThat(summary.path("inputLag").asLong()).isZero();
        final Instant asOf = Instant.parse(summary.path("asOf").asText());
        assertThat(asOf).isAfter(TestData.OLD);
        for (final String report : List.of("", "/platforms", "/timeline", "/heatmap", "/breakdown?by=operator", "/failures?by=category")) {
            final JsonNode freshness = both("/api/v1/campaigns/" + A + report).path("freshness");
            assertThat(freshness.path("asOf").asText()).as(report).isEqualTo(asOf.toString());
        }
        assertThat(both("/api/v1/campaigns").at("/items/0/freshness/asOf").asText()).isEqualTo(asOf.toString());
    }

    @Test
    void shouldGroupFailuresByTheMappingTable() throws Exception {
        final JsonNode byCategory = both("/api/v1/campaigns/" + A + "/failures?by=category").path("rows");
        assertThat(byCategory).hasSize(1);
        assertThat(byCategory.at("/0/key").asText()).isEqualTo("DATA"); // MAP 1 and 5: unknown and unidentified subscriber
        assertThat(byCategory.at("/0/failed").asLong()).isEqualTo(both("/api/v1/campaigns/" + A).at("/metrics/failed").asLong());
        assertThat(byCategory.at("/0/permanent").asLong()).isEqualTo(10);
        assertThat(byCategory.at("/0/share").asDouble()).isEqualTo(1.0);
        final JsonNode byCode = both("/api/v1/campaigns/" + A + "/failures?by=errorCode").path("rows");
        assertThat(byCode.findValuesAsText("key")).containsExactly("001", "005");
        assertThat(byCode.findValues("failed").stream().map(JsonNode::asLong).toList()).containsExactly(6L, 4L);
        assertThat(both("/api/v1/campaigns/" + A + "/failures?by=reason", 400).path("error").asText()).isEqualTo("bad parameter 'by'");
        final JsonNode failed = both("/api/v1/campaigns/" + A + "/failed?limit=1").path("items");
        assertThat(failed.at("/0/category").asText()).isEqualTo("DATA");
        assertThat(failed.at("/0/permanent").asBoolean()).isTrue();
    }

    @Test
    void shouldGiveHourlyBucketsByDispatchAndDoneTime() throws Exception {
        final JsonNode buckets = both("/api/v1/campaigns/" + A + "/timeline").path("buckets");
        assertThat(buckets).hasSize(2);
        assertThat(Instant.parse(buckets.get(0).path("hour").asText())).isEqualTo(TestData.OLD);
        assertThat(buckets.get(0).path("sent").asLong()).isEqualTo(5);
        assertThat(Instant.parse(buckets.get(1).path("hour").asText())).isEqualTo(BASE);
        assertThat(List.of(buckets.get(1).path("sent").asLong(), buckets.get(1).path("delivered").asLong(),
                buckets.get(1).path("failed").asLong())).containsExactly(55L, 40L, 10L);

        final JsonNode ios = both("/api/v1/campaigns/" + A + "/timeline?platform=IOS&from=" + BASE.minus(Duration.ofHours(1)));
        assertThat(ios.path("buckets")).hasSize(1);
        assertThat(ios.at("/buckets/0/delivered").asLong()).isEqualTo(20);
        assertThat(both("/api/v1/campaigns/" + A + "/timeline?from=" + BASE.plus(Duration.ofHours(1))).path("buckets")).isEmpty();
    }

    @Test
    void shouldDrawTheDeliveryHeatmapInTheAskedTimeZone() throws Exception {
        final JsonNode utc = both("/api/v1/campaigns/" + A + "/heatmap");
        assertThat(utc.path("timeZone").asText()).isEqualTo("Z");
        assertThat(utc.path("cells")).hasSize(1);
        assertThat(utc.at("/cells/0/hour").asInt()).isEqualTo(BASE.atZone(ZoneId.of("UTC")).getHour());
        assertThat(utc.at("/cells/0/delivered").asLong()).isEqualTo(40);

        final JsonNode istanbul = both("/api/v1/campaigns/" + A + "/heatmap?tz=Europe/Istanbul");
        final ZonedDateTime local = BASE.atZone(ZoneId.of("Europe/Istanbul"));
        assertThat(istanbul.path("timeZone").asText()).isEqualTo("Europe/Istanbul");
        assertThat(istanbul.at("/cells/0/day").asText()).isEqualTo(local.toLocalDate().toString());
        assertThat(istanbul.at("/cells/0/hour").asInt()).isEqualTo(local.getHour());
    }

    @Test
    void shouldPageThroughFailedUsersInTheOrderTheyFailed() throws Exception {
        final List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            final JsonNode page = both("/api/v1/campaigns/" + A + "/failed?limit=4" + (cursor == null ? "" : "&cursor=" + cursor));
            page.path("items").forEach(item -> seen.add(item.path("smsId").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("a40", "a41", "a42", "a43", "a44", "a45", "a46", "a47", "a48", "a49");

        final JsonNode first = both("/api/v1/campaigns/" + A + "/failed?limit=1").at("/items/0");
        assertThat(first.path("msisdn").asText()).isEqualTo(TestData.msisdn(0));
        assertThat(first.path("externalId").asText()).isEqualTo("u0");
        assertThat(first.path("email").asText()).isEqualTo("P0@Example.com");
        assertThat(first.path("status").asText()).isEqualTo("UNDELIVERABLE");
        assertThat(first.path("errorCode").asText()).isEqualTo("001");
        assertThat(first.path("failReason").asText()).isEqualTo("Absent subscriber");
        assertThat(Instant.parse(first.path("failedAt").asText())).isEqualTo(TestData.doneA(40));
        assertThat(both("/api/v1/campaigns/" + B + "/failed").path("items")).isEmpty();
    }

    @Test
    void shouldExportARetargetListOfOnlyPermanentOrOnlyTemporaryFailures() throws Exception {
        for (final String base : bases) {
            final String permanent = new String(get(base, "/api/v1/campaigns/" + A + "/failed/export?ids=msisdn&permanent=true").body(),
                    StandardCharsets.UTF_8);
            final String temporary = new String(get(base, "/api/v1/campaigns/" + A + "/failed/export?ids=msisdn&permanent=false").body(),
                    StandardCharsets.UTF_8);
            assertThat(permanent.strip().split("\r?\n")).hasSize(11); // the header and the 10 permanent failures (MAP 1 and 5)
            assertThat(temporary.strip().split("\r?\n")).hasSize(1); // the header only
        }
        assertThat(both("/api/v1/campaigns/" + A + "/failed/export?permanent=maybe", 400).path("error").asText())
                .isEqualTo("bad parameter 'permanent'");
    }

    @Test
    void shouldExportOnlyTheCampaignsFailedUsersAsCsvWithTheChosenColumns() throws Exception {
        for (final String base : bases) {
            final HttpResponse<byte[]> response = get(base, "/api/v1/campaigns/" + A + "/failed/export?format=csv&ids=msisdn,externalId");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
            assertThat(response.headers().firstValue("Content-Disposition").orElse(""))
                    .matches("attachment; filename=\"failed-users-" + A + "-\\d{8}T\\d{4}Z\\.csv\"");
            try (Reader reader = new InputStreamReader(new ByteArrayInputStream(response.body()), StandardCharsets.UTF_8);
                 CSVParser csv = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
                assertThat(csv.getHeaderNames()).containsExactly("MSISDN", "External ID", FailedUsersExport.FAIL_REASON,
                        FailedUsersExport.FAIL_CATEGORY, FailedUsersExport.PERMANENT, FailedUsersExport.ERROR_CODE, FailedUsersExport.FAILED_AT);
                final List<CSVRecord> rows = csv.getRecords();
                assertThat(rows).hasSize(10);
                for (int i = 0; i < 10; i++) {
                    final int k = 40 + i;
                    final CSVRecord row = rows.get(i);
                    assertThat(row.get("MSISDN")).isEqualTo(TestData.msisdn(k % 20));
                    assertThat(row.get("External ID")).isEqualTo(TestData.externalId(k % 20) == null ? "" : TestData.externalId(k % 20));
                    assertThat(row.get(FailedUsersExport.FAIL_REASON)).isEqualTo(k < 46 ? "Absent subscriber" : "Invalid number");
                    assertThat(row.get(FailedUsersExport.ERROR_CODE)).isEqualTo(k < 46 ? "001" : "005");
                    assertThat(row.get(FailedUsersExport.FAIL_CATEGORY)).isEqualTo("DATA");
                    assertThat(row.get(FailedUsersExport.PERMANENT)).isEqualTo("true");
                    assertThat(Instant.parse(row.get(FailedUsersExport.FAILED_AT))).isEqualTo(TestData.doneA(k));
                }
            }
        }
    }

    @Test
    void shouldExportTheRecipientsNotSentToByReasonAsCsvAndXlsx() throws Exception {
        // Rule 14: A's twelve recipients not sent to (a5, decided too but dispatched, is not among them), from either instance.
        Poll.until("the decisions not to send counted", Duration.ofMinutes(2), Duration.ofMillis(500),
                () -> json(bases.get(0), "/api/v1/campaigns/" + A + "/funnel").path("notSent").asLong() == 12, IOException.class);
        for (final String base : bases) {
            final HttpResponse<byte[]> response = get(base, "/api/v1/campaigns/" + A + "/not-sent/export?format=csv&ids=msisdn,externalId",
                    TestTokens.ANALYST);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Disposition").orElse(""))
                    .matches("attachment; filename=\"not-sent-" + A + "-\\d{8}T\\d{4}Z\\.csv\"");
            try (Reader reader = new InputStreamReader(new ByteArrayInputStream(response.body()), StandardCharsets.UTF_8);
                 CSVParser csv = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
                assertThat(csv.getHeaderNames()).containsExactly("MSISDN", "External ID", NotSentExport.REASON, "Platform", "Country",
                        "Operator", NotSentExport.DECIDED_AT);
                final Map<String, CSVRecord> rows = new TreeMap<>();
                for (final CSVRecord row : csv.getRecords()) {
                    rows.put(row.get("MSISDN") + "|" + row.get(NotSentExport.DECIDED_AT), row);
                }
                assertThat(rows).hasSize(12);
                for (int k = 0; k < 12; k++) {
                    final CSVRecord row = rows.get(TestData.msisdn(k % 20) + "|" + TestData.dispatchedA(k));
                    assertThat(row).as("an%d", k).isNotNull();
                    assertThat(row.get(NotSentExport.REASON)).isEqualTo(k < 8 ? "IYS_NO_CONSENT" : k < 11 ? "OPTED_OUT" : "INVALID_NUMBER");
                    assertThat(row.get("Platform")).isEqualTo(k % 2 == 0 ? "android" : "ios");
                    assertThat(row.get("Country")).isEqualTo("TR");
                }
            }
        }
        final String optedOut = new String(get(bases.get(1), "/api/v1/campaigns/" + A + "/not-sent/export?ids=msisdn&reason=OPTED_OUT",
                TestTokens.ANALYST).body(), StandardCharsets.UTF_8);
        assertThat(optedOut.lines().count()).as("a header and the three opted out").isEqualTo(4);
        final HttpResponse<byte[]> xlsx = get(bases.get(0), "/api/v1/campaigns/" + A + "/not-sent/export?format=xlsx&ids=email",
                TestTokens.ANALYST);
        assertThat(xlsx.statusCode()).as(new String(xlsx.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx.body()))) {
            final Sheet sheet = workbook.getSheetAt(0);
            assertThat(sheet.getRow(0).getCell(1).getStringCellValue()).isEqualTo(NotSentExport.REASON);
            assertThat(sheet.getLastRowNum()).isEqualTo(12);
        }
        assertThat(get(bases.get(0), "/api/v1/campaigns/" + A + "/not-sent/export?reason=NOPE", TestTokens.ANALYST).statusCode())
                .as("a bad reason is named").isEqualTo(400);
        assertThat(get(bases.get(0), "/api/v1/campaigns/" + A + "/not-sent/export", TestTokens.VIEWER).statusCode())
                .as("personal data: not a viewer's").isEqualTo(403);
        Poll.untilPasses("the not-sent export on the audit trail", Duration.ofMinutes(1), Duration.ofMillis(500), () ->
                assertThat(Json.MAPPER.readTree(get(bases.get(0), "/api/v1/audit?limit=1000", TestTokens.ADMIN).body()).get("items"))
                        .anySatisfy(e -> {
                            assertThat(e.path("action").asText()).isEqualTo("EXPORT_NOT_SENT");
                            assertThat(e.path("target").asText()).isEqualTo(A);
                            assertThat(e.path("rows").asLong()).isEqualTo(12);
                        }), IOException.class);
    }

    @Test
    void shouldExportXlsxThatPoiReadsBack() throws Exception {
        for (final String base : bases) {
            final HttpResponse<byte[]> response = get(base, "/api/v1/campaigns/" + A + "/failed/export?format=xlsx&ids=email");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Disposition").orElse("")).endsWith(".xlsx\"");
            try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(response.body()))) {
                final Sheet sheet = workbook.getSheetAt(0);
                final DataFormatter formatter = new DataFormatter();
                final Row header = sheet.getRow(0);
                final List<String> headers = new ArrayList<>();
                header.forEach(cell -> headers.add(formatter.formatCellValue(cell)));
                assertThat(headers).containsExactly("Email", FailedUsersExport.FAIL_REASON, FailedUsersExport.FAIL_CATEGORY,
                        FailedUsersExport.PERMANENT, FailedUsersExport.ERROR_CODE, FailedUsersExport.FAILED_AT);
                assertThat(sheet.getLastRowNum()).isEqualTo(10);
                for (int i = 1; i <= 10; i++) {
                    final int k = 39 + i;
                    final Row row = sheet.getRow(i);
                    assertThat(formatter.formatCellValue(row.getCell(0))).isEqualTo(Objects.requireNonNullElse(TestData.email(k % 20), ""));
                    assertThat(row.getCell(1).getStringCellValue()).isEqualTo(k < 46 ? "Absent subscriber" : "Invalid number");
                    assertThat(row.getCell(2).getStringCellValue()).isEqualTo("DATA");
                    assertThat(row.getCell(5).getLocalDateTimeCellValue().toInstant(java.time.ZoneOffset.UTC)).isEqualTo(TestData.doneA(k));
                }
            }
        }
    }

    // ---- people ----

    @Test
    void shouldFindAPersonByAnyIdentifier() throws Exception {
        final JsonNode byExternal = both("/api/v1/people?externalId=u0");
        assertThat(byExternal.path("personId").asText()).isEqualTo("ext:u0");
        assertThat(byExternal.path("msisdn").asText()).isEqualTo(TestData.msisdn(0));
        assertThat(byExternal.path("email").asText()).isEqualTo("P0@Example.com");
        assertThat(both("/api/v1/people?msisdn=%2B905550000000")).isEqualTo(byExternal);
        assertThat(both("/api/v1/people?msisdn=+905550000000")).as("a '+' sent unencoded arrives as a space").isEqualTo(byExternal);
        assertThat(both("/api/v1/people?msisdn=905550000000")).isEqualTo(byExternal);
        assertThat(both("/api/v1/people?email=p0@EXAMPLE.com")).isEqualTo(byExternal);
        assertThat(both("/api/v1/people?msisdn=%2B905550000001").path("personId").asText()).isEqualTo("tel:+905550000001");
        assertThat(both("/api/v1/people?externalId=nobody", 404).path("error").asText()).isEqualTo("unknown person");
        assertThat(both("/api/v1/people", 400).path("error").asText()).isEqualTo("bad parameter 'externalId'");
        assertThat(both("/api/v1/people?externalId=u0&email=a@b.c", 400).path("detail").asText()).contains("exactly one");
    }

    @Test
    void shouldListAPersonsMessagesNewestFirstWithCampaignNames() throws Exception {
        final Instant to = TestData.NOW.plusSeconds(60);
        final JsonNode messages = both("/api/v1/people/ext:u0/messages?from=" + to.minus(Duration.ofDays(30)) + "&to=" + to);
        assertThat(messages.path("personId").asText()).isEqualTo("ext:u0");
        assertThat(texts(messages.path("items"), "smsId")).containsExactly("b20", "b10", "b0", "a40", "a20", "a0");
        final JsonNode a40 = messages.at("/items/3");
        assertThat(a40.path("campaignName").asText()).isEqualTo("Black Friday");
        assertThat(a40.path("status").asText()).isEqualTo("FAILED");
        assertThat(a40.path("failReason").asText()).isEqualTo("Absent subscriber");
        assertThat(Instant.parse(a40.path("finalAt").asText())).isEqualTo(TestData.doneA(40));
        assertThat(messages.at("/items/0/campaignName").asText()).isEqualTo("OTP");
        assertThat(messages.at("/items/0/status").asText()).isEqualTo("DELIVERED");

        // Person 15 has no externalId: a35 and a15 delivered, a55 dispatched five days ago and never confirmed.
        final JsonNode unconfirmed = both("/api/v1/people/tel:%2B905550000015/messages?from=" + TestData.OLD.minus(Duration.ofDays(1))
                + "&to=" + TestData.NOW);
        assertThat(texts(unconfirmed.path("items"), "smsId")).containsExactly("a35", "a15", "a55");
        assertThat(texts(unconfirmed.path("items"), "status")).containsExactly("DELIVERED", "DELIVERED", "UNCONFIRMED");
        assertThat(unconfirmed.at("/items/2/finalAt").isNull()).isTrue();
    }

    @Test
    void shouldEnforceThePersonRangeRulesNamingTheLimit() throws Exception {
        final Instant now = Instant.now();
        assertThat(both("/api/v1/people/ext:u0/messages?from=" + now.minus(Duration.ofDays(40)) + "&to=" + now, 400)
                .path("detail").asText()).contains("at most 30 days");
        assertThat(both("/api/v1/people/ext:u0/messages?from=" + now.minus(Duration.ofDays(200)) + "&to="
                + now.minus(Duration.ofDays(190)), 400).path("detail").asText()).contains("6 months");
        assertThat(both("/api/v1/people/ext:u0/messages?from=" + now + "&to=" + now.minus(Duration.ofDays(1)), 400)
                .path("error").asText()).isEqualTo("bad parameter 'from'");
        assertThat(both("/api/v1/people/ext:u0/messages?from=yesterday", 400).path("detail").asText()).contains("ISO-8601");
        assertThat(both("/api/v1/people/u0/messages", 400).path("error").asText()).isEqualTo("bad parameter 'personId'");
        assertThat(both("/api/v1/people/ext:nobody/messages", 404).path("error").asText()).isEqualTo("unknown person");
    }

    // ---- SMS Delivered event insight ----

    @Test
    void shouldCountDeliveredEventsOfACampaignByTheChosenDimension() throws Exception {
        final JsonNode byMsisdn = both("/api/v1/events/sms-delivered?messageId=" + B + "&groupBy=msisdn&limit=5");
        assertThat(byMsisdn.path("groupBy").asText()).isEqualTo("msisdn");
        assertThat(byMsisdn.path("totalDelivered").asLong()).isEqualTo(30);
        assertThat(byMsisdn.path("totalGroups").asLong()).isEqualTo(10);
        assertThat(byMsisdn.path("groups")).hasSize(5);
        byMsisdn.path("groups").forEach(g -> assertThat(g.path("delivered").asLong()).isEqualTo(3));
        assertThat(texts(byMsisdn.path("items"), "smsId")).containsExactly("b29", "b28", "b27", "b26", "b25");
        assertThat(byMsisdn.at("/items/0/latencyMs").asLong()).isEqualTo(2000);

        final JsonNode byCampaign = both("/api/v1/events/sms-delivered?messageId=" + A);
        assertThat(byCampaign.path("groups")).hasSize(1);
        assertThat(byCampaign.at("/groups/0/key").asText()).isEqualTo(A);
        assertThat(byCampaign.at("/groups/0/delivered").asLong()).isEqualTo(40);
    }

    @Test
    void shouldCountAPersonsDeliveredEventsAcrossCampaigns() throws Exception {
        final JsonNode person = both("/api/v1/events/sms-delivered?externalId=u0&groupBy=messageId");
        assertThat(person.path("totalDelivered").asLong()).isEqualTo(5);
        final Map<String, Long> groups = new HashMap<>();
        person.path("groups").forEach(g -> groups.put(g.path("key").asText(), g.path("delivered").asLong()));
        assertThat(groups).containsExactlyInAnyOrderEntriesOf(Map.of(A, 2L, B, 3L));
        assertThat(texts(person.path("items"), "smsId")).containsExactly("b20", "b10", "b0", "a20", "a0");
        assertThat(person.at("/items/0/msisdn").asText()).isEqualTo(TestData.msisdn(0));

        final JsonNode filtered = both("/api/v1/events/sms-delivered?msisdn=%2B905550000000&messageId=" + B + "&groupBy=externalId");
        assertThat(filtered.path("totalDelivered").asLong()).isEqualTo(3);
        assertThat(filtered.at("/groups/0/key").asText()).isEqualTo("u0");
    }

    @Test
    void shouldRejectBadInsightQueriesNamingTheParameter() throws Exception {
        assertThat(both("/api/v1/events/sms-delivered", 400).path("error").asText()).isEqualTo("bad parameter 'messageId'");
        assertThat(both("/api/v1/events/sms-delivered?messageId=" + A + "&groupBy=country", 400).path("error").asText())
                .isEqualTo("bad parameter 'groupBy'");
        assertThat(both("/api/v1/events/sms-delivered?externalId=u0&msisdn=1", 400).path("error").asText())
                .isEqualTo("bad parameter 'msisdn'");
        assertThat(both("/api/v1/events/sms-delivered?messageId=nope", 404).path("error").asText()).isEqualTo("unknown campaign");
    }

    // ---- errors ----

    @Test
    void shouldAnswerBadParametersWith400NamingThemAndUnknownsWith404() throws Exception {
        assertThat(both("/api/v1/campaigns/nope", 404).path("detail").asText()).contains("nope");
        assertThat(both("/api/v1/campaigns/nope/platforms", 404).path("error").asText()).isEqualTo("unknown campaign");
        assertThat(both("/api/v1/campaigns/nope/failed/export", 404).path("error").asText()).isEqualTo("unknown campaign");
        assertThat(both("/api/v1/campaigns?limit=0", 400).path("error").asText()).isEqualTo("bad parameter 'limit'");
        assertThat(both("/api/v1/campaigns?limit=ten", 400).path("detail").asText()).contains("'ten'");
        assertThat(both("/api/v1/campaigns?cursor=garbage!", 400).path("error").asText()).isEqualTo("bad parameter 'cursor'");
        assertThat(both("/api/v1/campaigns/" + A + "/failed?limit=5000", 400).path("error").asText()).isEqualTo("bad parameter 'limit'");
        assertThat(both("/api/v1/campaigns/" + A + "/heatmap?tz=Mars/Olympus", 400).path("error").asText()).isEqualTo("bad parameter 'tz'");
        assertThat(both("/api/v1/campaigns/" + A + "/heatmap?tz=Asia/Kolkata", 400).path("detail").asText())
                .contains("UTC+05:30").contains("whole UTC hours");
        assertThat(both("/api/v1/campaigns/" + A + "/timeline?from=2026-13-01", 400).path("error").asText()).isEqualTo("bad parameter 'from'");
        assertThat(both("/api/v1/campaigns/" + A + "/failed/export?format=pdf", 400).path("detail").asText()).contains("[csv, xlsx]");
        assertThat(both("/api/v1/campaigns/" + A + "/failed/export?ids=msisdn,phone", 400).path("error").asText())
                .isEqualTo("bad parameter 'ids'");
        assertThat(both("/api/v1/nothing-here", 404).path("error").asText()).isEqualTo("not found");
    }

    @Test
    void shouldNeverForwardTwice() throws Exception {
        // Ask the instance that does not own A, as if another instance had forwarded the request: it must not
        // forward again (that could loop while ownership moves) but answer 503.
        final HostInfo owner = first.streams().queryMetadataForKey("campaign-stats", A, Serdes.String().serializer()).activeHost();
        final String notOwner = owner.port() == first.httpPort() ? bases.get(1) : bases.get(0);
        final HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(notOwner + "/api/v1/campaigns/" + A))
                .header(InstanceClient.FORWARDED_HEADER, "1").header("Authorization", TestTokens.bearer(TestTokens.VIEWER)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(Json.MAPPER.readTree(response.body()).path("detail").asText()).contains("moving between instances");
    }

    @Test
    void shouldGiveAClear503WhenAnOwnerCannotBeReached() throws Exception {
        final InstanceClient client = new InstanceClient(Duration.ofSeconds(1), TestTokens.CLUSTER_SECRET);
        final int closed = freePort();
        try {
            client.forward(new HostInfo("localhost", closed), "/api/v1/campaigns/x", null, null);
            throw new AssertionError("expected a 503");
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.retryAfterSeconds()).isEqualTo(2);
            assertThat(e.getMessage()).contains("localhost:" + closed).contains("cannot be reached");
        }
    }

    // ---- security ----

    /** A concrete path for a route template. */
    private static String pathOf(final String route) {
        return route.replace("{messageId}", A).replace("{personId}", "tel:+905550000001");
    }

    @Test
    void shouldGuardEveryRouteByRoleWithJsonErrorsAndKeepUserTokensOutOfInternalRoutes() throws Exception {
        final List<String> routes = new ArrayList<>(first.routes());
        routes.addAll(first.internalRoutes());
        assertThat(QueryApi.POLICY.keySet()).as("every route served has an access policy, and no policy names a route not served")
                .containsExactlyInAnyOrderElementsOf(routes);
        final Map<String, String> tokens = new java.util.LinkedHashMap<>();
        tokens.put("viewer", TestTokens.VIEWER);
        tokens.put("analyst", TestTokens.ANALYST);
        tokens.put("admin", TestTokens.ADMIN);
        final String base = bases.get(0);
        for (final String route : routes) {
            final io.smsreports.api.auth.Access access = QueryApi.POLICY.get(route);
            final String path = pathOf(route);
            final HttpResponse<byte[]> anonymous = get(base, path, null);
            final HttpResponse<byte[]> forged = get(base, path, "not-a-token");
            if (access == io.smsreports.api.auth.Access.PUBLIC) {
                assertThat(anonymous.statusCode()).as("%s is open", route).isNotIn(401, 403);
                continue;
            }
            for (final HttpResponse<byte[]> refused : List.of(anonymous, forged)) {
                assertThat(refused.statusCode()).as("%s without a valid token", route).isEqualTo(401);
                assertThat(Json.MAPPER.readTree(refused.body()).path("error").asText()).isEqualTo("unauthorized");
            }
            for (final Map.Entry<String, String> token : tokens.entrySet()) {
                final int status = get(base, path, token.getValue()).statusCode();
                final boolean allowed = access != io.smsreports.api.auth.Access.CLUSTER
                        && io.smsreports.api.auth.Role.parse(token.getKey()).includes(access.role());
                if (access == io.smsreports.api.auth.Access.CLUSTER) {
                    assertThat(status).as("%s with a user's %s token", route, token.getKey()).isEqualTo(401);
                } else if (allowed) {
                    assertThat(status).as("%s as %s", route, token.getKey()).isNotIn(401, 403, 500);
                } else {
                    assertThat(status).as("%s as %s", route, token.getKey()).isEqualTo(403);
                    assertThat(Json.MAPPER.readTree(get(base, path, token.getValue()).body()).path("detail").asText())
                            .contains("needs the " + access.role().label() + " role");
                }
            }
        }
    }

    @Test
    void shouldRecordEveryReadOfPersonalDataOnTheAuditTrailForAdmins() throws Exception {
        final HttpResponse<byte[]> export = get(bases.get(1), "/api/v1/campaigns/" + A + "/failed/export?format=csv&ids=msisdn",
                TestTokens.ANALYST);
        assertThat(export.statusCode()).isEqualTo(200);
        final long exportedRows = new String(export.body(), StandardCharsets.UTF_8).lines().count() - 1;
        assertThat(get(bases.get(0), "/api/v1/people?externalId=u4", TestTokens.ANALYST).statusCode()).isEqualTo(200);
        assertThat(get(bases.get(0), "/api/v1/audit", TestTokens.ANALYST).statusCode()).as("the trail is for admins").isEqualTo(403);

        final JsonNode[] trail = new JsonNode[1];
        Poll.untilPasses("the reads on the audit trail", Duration.ofMinutes(1), Duration.ofMillis(500), () -> {
            final HttpResponse<byte[]> audit = get(bases.get(0), "/api/v1/audit?limit=1000", TestTokens.ADMIN);
            assertThat(audit.statusCode()).as("GET /api/v1/audit").isEqualTo(200);
            trail[0] = Json.MAPPER.readTree(audit.body()).get("items");
            assertThat(trail[0]).anySatisfy(e -> {
                assertThat(e.path("principal").asText()).isEqualTo("analyst-ann");
                assertThat(e.path("role").asText()).isEqualTo("analyst");
                assertThat(e.path("action").asText()).isEqualTo("EXPORT_FAILED");
                assertThat(e.path("target").asText()).isEqualTo(A);
                assertThat(e.path("rows").asLong()).isEqualTo(exportedRows);
                assertThat(e.path("clientAddress").asText()).isNotBlank();
                assertThat(e.path("detail").asText()).contains("format=csv");
            });
            assertThat(trail[0]).anySatisfy(e -> {
                assertThat(e.path("action").asText()).isEqualTo("EXPORT_FAILED");
                assertThat(e.path("rows").asLong()).as("the start of an export is recorded before its first row").isZero();
                assertThat(e.path("detail").asText()).startsWith("started ");
            });
            assertThat(trail[0]).anySatisfy(e -> {
                assertThat(e.path("action").asText()).isEqualTo("PERSON_LOOKUP");
                assertThat(e.path("target").asText()).as("the person, masked").isEqualTo("ext:…");
                assertThat(e.path("rows").asLong()).isEqualTo(1);
            });
        });
        for (final JsonNode event : trail[0]) {
            assertThat(event.toString()).as("what was read, never the data itself").doesNotContain("+90555").doesNotContain("ext:u4")
                    .doesNotContain("tel:+").doesNotContain("@example.com");
        }
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE - 1) // near the end: the audit topic refuses writes for a while
    void shouldServeNoPersonalDataWhoseReadCannotBeAudited() throws Exception {
        // Every audit write refused by the broker until reset: the audit topic accepts no record of more than 16 bytes
        // (MESSAGE_TOO_LARGE). Not min.insync.replicas above the replication factor: newer brokers bound it by the
        // replica count (KAFKA-21110), so on one broker it refuses nothing.
        setAuditMaxMessageBytes("16");
        try {
            // The broker applies a topic's new configuration asynchronously: wait until the audit topic refuses writes.
            Poll.until("the audit topic refuses writes", Duration.ofMinutes(1), Duration.ofMillis(500),
                    () -> get(bases.get(0), "/api/v1/people?externalId=u4", TestTokens.ANALYST).statusCode() == 503);
            for (final String path : List.of("/api/v1/people?externalId=u4", "/api/v1/people/ext:u4/messages",
                    "/api/v1/campaigns/" + A + "/failed?limit=5", "/api/v1/campaigns/" + A + "/failed/export?format=csv&ids=msisdn",
                    "/api/v1/events/sms-delivered?messageId=" + B)) {
                final HttpResponse<byte[]> refused = get(bases.get(0), path, TestTokens.ANALYST);
                final String body = new String(refused.body(), StandardCharsets.UTF_8);
                assertThat(refused.statusCode()).as("%s with the audit trail down: %s", path, body).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).as(path).isPresent();
                assertThat(Json.MAPPER.readTree(body).path("error").asText()).isEqualTo("audit trail unavailable");
                assertThat(body).as(path).doesNotContain("+90555").doesNotContain("u4\"").doesNotContain("@example.com");
            }
        } finally {
            setAuditMaxMessageBytes(null);
        }
        await("audited reads served again").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> get(bases.get(0), "/api/v1/people?externalId=u4", TestTokens.ANALYST).statusCode() == 200);
    }

    /** Sets the audit topic's {@code max.message.bytes}, or removes the override when {@code value} is null. */
    private void setAuditMaxMessageBytes(final String value) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            final org.apache.kafka.common.config.ConfigResource topic = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, Topics.defaults().audit());
            admin.incrementalAlterConfigs(Map.of(topic, List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                    new org.apache.kafka.clients.admin.ConfigEntry("max.message.bytes", value),
                    value == null ? org.apache.kafka.clients.admin.AlterConfigOp.OpType.DELETE
                            : org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get();
        }
    }

    @Test
    void shouldTellTheDashboardWhoIsSignedIn() throws Exception {
        assertThat(Json.MAPPER.readTree(get(bases.get(1), "/api/v1/whoami", TestTokens.VIEWER).body()).path("role").asText())
                .isEqualTo("viewer");
        assertThat(Json.MAPPER.readTree(get(bases.get(1), "/api/v1/whoami", TestTokens.ANALYST).body()).path("name").asText())
                .isEqualTo("analyst-ann");
    }

    @Test
    void shouldKeepThePublicLimitsOnTheInternalPersonRoute() throws Exception {
        final HttpResponse<byte[]> unbounded = http.send(HttpRequest.newBuilder(URI.create(bases.get(0)
                + "/internal/v1/people/tel:%2B905550000001/messages")).header(io.smsreports.api.auth.Authenticator.CLUSTER_SECRET_HEADER,
                TestTokens.CLUSTER_SECRET).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(unbounded.statusCode()).as("no from/to: no longer 'everything since 1970'").isEqualTo(400);
        final HttpResponse<byte[]> tooOld = http.send(HttpRequest.newBuilder(URI.create(bases.get(0)
                + "/internal/v1/people/tel:%2B905550000001/messages?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z"))
                .header(io.smsreports.api.auth.Authenticator.CLUSTER_SECRET_HEADER, TestTokens.CLUSTER_SECRET).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(tooOld.statusCode()).isEqualTo(400);
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // last: after every other request of the run
    void shouldKeepEveryMsisdnEmailAndExternalIdOutOfTheLog() throws Exception {
        // Failing requests that carry personal data in the path and the query.
        get(bases.get(0), "/api/v1/people/tel:%2B905550000003/messages?from=yesterday");
        get(bases.get(1), "/api/v1/people?msisdn=%2B905550000003&email=P5@Example.com");
        get(bases.get(0), "/api/v1/people/ext:u4/messages?to=not-a-time");
        get(bases.get(1), "/api/v1/events/sms-delivered?externalId=u2&msisdn=%2B905550000002");
        final List<String> lines = new ArrayList<>();
        for (final ch.qos.logback.classic.spi.ILoggingEvent event : List.copyOf(log.list)) {
            lines.add(event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : ch.qos.logback.classic.spi.ThrowableProxyUtil.asString(event.getThrowableProxy())));
        }
        assertThat(lines).as("the run logged (the poison keyed by an MSISDN among it)").anySatisfy(line ->
                assertThat(line).contains("Poison record"));
        for (int person = 0; person < 20; person++) {
            for (final String value : java.util.Arrays.asList(TestData.msisdn(person), TestData.email(person), TestData.externalId(person))) {
                if (value == null) {
                    continue;
                }
                final String personal = value;
                assertThat(lines).as("no log line holds %s", personal).noneSatisfy(line -> assertThat(line)
                        .containsPattern("(?<![A-Za-z0-9])" + java.util.regex.Pattern.quote(personal) + "(?![A-Za-z0-9])"));
            }
        }
    }

    // ---- operations ----

    /** A Prometheus metric's value, summed over its series on both instances. */
    private double sumOverInstances(final String metric) throws IOException, InterruptedException {
        double sum = 0;
        for (final String base : bases) {
            for (final String line : new String(get(base, "/metrics").body(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith(metric + " ") || line.startsWith(metric + "{")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }

    /** The samples of a metric on both instances summed, over the series whose labels include {@code labels}. */
    private static double sumOf(final List<String> scrapes, final String metric, final Map<String, String> labels) {
        double sum = 0;
        for (final String scrape : scrapes) {
            for (final String line : scrape.split("\n")) {
                if (!line.startsWith(metric + "{") && !line.startsWith(metric + " ")) {
                    continue;
                }
                final Map<String, String> found = new java.util.HashMap<>();
                final java.util.regex.Matcher label = java.util.regex.Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")
                        .matcher(line.substring(0, line.lastIndexOf(' ')));
                while (label.find()) {
                    found.put(label.group(1), label.group(2));
                }
                if (found.entrySet().containsAll(labels.entrySet())) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }

    private List<String> scrapes() throws IOException, InterruptedException {
        final List<String> scrapes = new ArrayList<>();
        for (final String base : bases) {
            scrapes.add(new String(get(base, "/metrics").body(), StandardCharsets.UTF_8));
        }
        return scrapes;
    }

    /**
     * Issue 21, item 2: every metric that the Grafana dashboard and the Prometheus alerting rules under {@code ops/} read is
     * exported by the running instances, and the report gauges, summed over both instances as the dashboard sums them, are
     * the API's figures (campaigns, spend, routes, open alerts).
     */
    @Test
    void shouldExportEveryMetricTheDashboardAndAlertingRulesReadAddingUpToTheApisFigures() throws Exception {
        // The gauges are read from the stores every 10 s in the background: wait until they have caught up, then they must equal.
        Poll.untilPasses("the report gauges summed over both instances equal the API's figures", Duration.ofSeconds(90),
                Duration.ofSeconds(1), () -> {
                    final List<String> scrapes = scrapes();
                    for (final String campaign : List.of(A, B, C)) {
                        final JsonNode report = both("/api/v1/campaigns/" + campaign);
                        for (final String status : List.of("sent", "delivered", "failed", "unconfirmed", "pending")) {
                            assertThat(sumOf(scrapes, "sms_campaign_messages", Map.of("campaign", campaign, "status", status)))
                                    .as("%s %s", campaign, status).isEqualTo(report.at("/metrics/" + status).asDouble());
                        }
                        assertThat(sumOf(scrapes, "sms_campaign_messages", Map.of("campaign", campaign, "status", "not_sent")))
                                .as("%s not sent", campaign).isEqualTo(report.path("notSent").asDouble());
                        for (final JsonNode spend : report.at("/cost/spend")) {
                            final String currency = spend.path("currency").asText();
                            assertThat(sumOf(scrapes, "sms_campaign_spend_micros", Map.of("campaign", campaign, "currency", currency,
                                    "kind", "spend"))).as("%s spend %s", campaign, currency).isEqualTo(spend.path("spendMicros").asDouble());
                            assertThat(sumOf(scrapes, "sms_campaign_spend_micros", Map.of("campaign", campaign, "currency", currency,
                                    "kind", "wasted"))).as("%s wasted %s", campaign, currency).isEqualTo(spend.path("wastedMicros").asDouble());
                        }
                    }
                    final JsonNode spendOfB = both("/api/v1/campaigns/" + B).at("/cost/spend");
                    assertThat(spendOfB).as("B's SMS are priced (rule 15)").hasSize(1);
                    assertThat(spendOfB.at("/0/spendMicros").asLong()).as("B's spend").isEqualTo(30 * TestData.B_PRICE_MICROS);
                    assertThat(spendOfB.at("/0/wastedMicros").asLong()).as("B's wasted spend: every SMS delivered").isZero();
                    final JsonNode routes = both("/api/v1/routes").path("routes");
                    assertThat(routes).as("a route dispatched in the last day (the dataset's clock records)").isNotEmpty();
                    for (final JsonNode route : routes) {
                        for (final String status : List.of("sent", "delivered", "failed", "unconfirmed", "pending")) {
                            assertThat(sumOf(scrapes, "sms_route_messages", Map.of("route", route.path("route").asText(), "status", status)))
                                    .as("route %s %s", route.path("route").asText(), status).isEqualTo(route.path(status).asDouble());
                        }
                    }
                    final Map<String, Double> open = new java.util.TreeMap<>();
                    for (final io.smsreports.alerting.Alert.Rule rule : io.smsreports.alerting.Alert.Rule.values()) {
                        open.put(rule.label(), 0.0);
                    }
                    for (final JsonNode alert : both("/api/v1/alerts").path("items")) {
                        open.merge(alert.path("rule").asText(), 1.0, Double::sum);
                    }
                    open.forEach((rule, n) -> assertThat(sumOf(scrapes, "sms_alerts_open", Map.of("rule", rule)))
                            .as("open alerts of %s", rule).isEqualTo(n));
                    assertThat(sumOf(scrapes, "sms_input_lag_records", Map.of())).as("input processed").isZero();
                    assertThat(sumOf(scrapes, "sms_input_uncommitted_records", Map.of())).as("input committed, per the broker").isZero();
                    assertThat(sumOf(scrapes, "sms_input_committed_offset", Map.of("topic", Topics.DEFAULT_DISPATCHES)))
                            .as("every dispatch committed").isEqualTo(TestData.dispatchRecords());
                }, IOException.class);

        final List<String> scrapes = scrapes();
        final java.util.Set<String> exported = new java.util.TreeSet<>();
        for (final String scrape : scrapes) {
            for (final String line : scrape.split("\n")) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    exported.add(line.substring(0, line.indexOf('{') > 0 ? line.indexOf('{') : line.indexOf(' ')));
                }
            }
            assertThat(sumOf(List.of(scrape), "kafka_stream_client_state", Map.of()))
                    .as("RUNNING is 2 (the rules and the dashboard count kafka_stream_client_state == 2 as running)")
                    .isEqualTo(KafkaStreams.State.RUNNING.ordinal());
        }
        final Map<String, List<String>> named = io.smsreports.monitoring.MonitoringAssets.ofRepository().everyMetricName();
        assertThat(named).as("metric names read by ops/").hasSizeGreaterThan(10);
        named.forEach((metric, where) -> assertThat(exported).as("%s, read by %s, is exported", metric, where).contains(metric));
        assertThat(sumOf(scrapes, "sms_freshness_lag_seconds", Map.of())).as("freshness known").isGreaterThanOrEqualTo(0);
        assertThat(sumOf(scrapes, "sms_restore_remaining_offsets", Map.of())).as("nothing left to restore").isZero();
    }

    @Test
    void shouldReportHealthReadinessAndMetrics() throws Exception {
        for (final String base : bases) {
            assertThat(json(base, "/health").path("status").asText()).isEqualTo("UP");
            assertThat(json(base, "/ready").path("streams").asText()).isEqualTo(KafkaStreams.State.RUNNING.name());
            final String metrics = new String(get(base, "/metrics").body(), StandardCharsets.UTF_8);
            assertThat(metrics)
                    .contains("kafka_stream_thread_process_total")
                    .contains("sms_reconciliation_orphan_receipts")
                    .contains("http_server_requests_seconds_count")
                    .contains("jvm_memory_used_bytes");
        }
        assertThat(sumOverInstances("sms_dead_letter_records_total")).as("dead letters: junk bytes, a dispatch keyed by MSISDN")
                .isEqualTo(2.0);
        assertThat(sumOverInstances("sms_duplicate_receipts_total")).as("duplicate receipts").isEqualTo(3.0);
        assertThat(sumOverInstances("sms_conflicting_finals_total")).as("conflicting finals").isEqualTo(1.0);
        assertThat(sumOverInstances("sms_orphan_receipts_total")).as("orphan receipts").isEqualTo(2.0);
        assertThat(sumOverInstances("sms_reconciliation_orphan_receipts")).isEqualTo(2.0);
        assertThat(both("/api/v1/reconciliation").path("orphanReceipts").asLong()).isEqualTo(2);
    }

    @Test
    void shouldServeAnOpenApiDocumentCoveringEveryPublicRoute() throws Exception {
        final JsonNode spec = both("/api/v1/openapi.json");
        assertThat(spec.path("openapi").asText()).startsWith("3.");
        final List<String> documented = new ArrayList<>();
        spec.path("paths").fieldNames().forEachRemaining(documented::add);
        assertThat(first.routes()).as("routes actually served").hasSizeGreaterThan(10);
        assertThat(documented).as("every public route is documented, and nothing else").containsExactlyInAnyOrderElementsOf(first.routes());
    }
}
