package io.smsreports.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.SmsDispatched;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestSchemaRegistryClientTest {

    private static final String SUBJECT = "sms.receipts-value";

    private DevSchemaRegistryServer server;
    private RestSchemaRegistryClient client;

    @BeforeEach
    void start() {
        server = DevSchemaRegistryServer.startEphemeral();
        client = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrls(server.url()));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void shouldRegisterAndLookUpOverHttp() {
        final int id = client.register(SUBJECT, DeliveryReceipt.getClassSchema());
        final int otherId = client.register("sms.dispatches-value", SmsDispatched.getClassSchema());

        try (RestSchemaRegistryClient fresh = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrls(server.url()))) {
            assertThat(fresh.getId(SUBJECT, DeliveryReceipt.getClassSchema())).isEqualTo(id);
            assertThat(fresh.getSchemaById(otherId)).isEqualTo(SmsDispatched.getClassSchema());
            assertThat(fresh.getLatestSchema(SUBJECT)).isEqualTo(new RegisteredSchema(SUBJECT, 1, id, DeliveryReceipt.getClassSchema()));
            assertThat(fresh.getSubjects()).containsExactly("sms.dispatches-value", SUBJECT);
            assertThat(fresh.getVersions(SUBJECT)).containsExactly(1);
        }
        assertThat(otherId).isNotEqualTo(id);
    }

    @Test
    void shouldGiveTheSameGlobalIdToTheSameSchemaUnderTwoSubjects() {
        final int first = client.register("a-value", DeliveryReceipt.getClassSchema());
        final int second = client.register("b-value", DeliveryReceipt.getClassSchema());
        assertThat(second).isEqualTo(first);
        assertThat(client.register("a-value", DeliveryReceipt.getClassSchema())).as("idempotent").isEqualTo(first);
    }

    @Test
    void shouldServeCacheHitsWithoutHttp() {
        final int id = client.register(SUBJECT, DeliveryReceipt.getClassSchema());
        final long afterRegister = server.requestCount();

        for (int i = 0; i < 100; i++) {
            assertThat(client.register(SUBJECT, DeliveryReceipt.getClassSchema())).isEqualTo(id);
            assertThat(client.getId(SUBJECT, DeliveryReceipt.getClassSchema())).isEqualTo(id);
            assertThat(client.getSchemaById(id)).isEqualTo(DeliveryReceipt.getClassSchema());
        }
        assertThat(server.requestCount()).isEqualTo(afterRegister);

        client.getLatestSchema(SUBJECT);
        client.getLatestSchema(SUBJECT);
        assertThat(server.requestCount()).as("latest is cached for its TTL").isEqualTo(afterRegister + 1);
    }

    @Test
    void shouldRejectAnIncompatibleSchemaWithAClearException() {
        client.register(SUBJECT, DeliveryReceipt.getClassSchema());
        // A required field without a default: a reader on it cannot read the data written before.
        final Schema incompatible = SchemaBuilder.record("DeliveryReceipt").namespace("io.smsreports.events").fields()
                .requiredString("smsId").requiredString("provider").requiredString("carrierRoute").endRecord();

        assertThat(client.testCompatibility(SUBJECT, incompatible)).isFalse();
        assertThatThrownBy(() -> client.register(SUBJECT, incompatible))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("incompatible")
                .hasMessageContaining("carrierRoute")
                .hasMessageContaining("BACKWARD")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(409));
        assertThat(client.getVersions(SUBJECT)).containsExactly(1);
    }

    @Test
    void shouldAcceptABackwardCompatibleEvolution() {
        client.register("sms.dispatches-value", SmsDispatched.getClassSchema());
        final Schema v2 = io.smsreports.events.v2.SmsDispatched.getClassSchema();
        assertThat(client.testCompatibility("sms.dispatches-value", v2)).isTrue();
        client.register("sms.dispatches-value", v2);
        assertThat(client.getVersions("sms.dispatches-value")).containsExactly(1, 2);
        assertThat(client.testCompatibility("no-such-subject", v2)).as("a new subject accepts anything").isTrue();
    }

    @Test
    void shouldHonourCompatibilityLevels() {
        assertThat(client.getCompatibility(null)).isEqualTo(CompatibilityLevel.BACKWARD);
        client.register(SUBJECT, DeliveryReceipt.getClassSchema());
        final Schema unrelated = SchemaBuilder.record("Other").fields().requiredLong("x").endRecord();
        client.setCompatibility(SUBJECT, CompatibilityLevel.NONE);
        assertThat(client.getCompatibility(SUBJECT)).isEqualTo(CompatibilityLevel.NONE);
        assertThat(client.register(SUBJECT, unrelated)).isPositive();
        assertThat(client.getCompatibility(null)).as("global level untouched").isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void shouldAnswerNotFoundWithTheRegistrysErrorCode() {
        assertThatThrownBy(() -> client.getSchemaById(999))
                .isInstanceOf(SchemaNotFoundException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(ErrorCodes.SCHEMA_NOT_FOUND));
        assertThatThrownBy(() -> client.getLatestSchema("nope-value"))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("nope-value")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(ErrorCodes.SUBJECT_NOT_FOUND));
        assertThatThrownBy(() -> client.getId("nope-value", DeliveryReceipt.getClassSchema()))
                .isInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void shouldRetryServerErrorsWithBackoff() throws Exception {
        try (FlakyProxy proxy = new FlakyProxy(server.url(), 2);
             RestSchemaRegistryClient viaProxy = new RestSchemaRegistryClient(SchemaRegistryClientConfig.from(Map.of(
                     SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, proxy.url(),
                     SchemaRegistryClientConfig.RETRIES_WAIT_MS, 10)))) {
            final int id = viaProxy.register(SUBJECT, DeliveryReceipt.getClassSchema());
            assertThat(id).isPositive();
            assertThat(proxy.requests()).as("two 503s, then success").isEqualTo(3);
        }
    }

    @Test
    void shouldGiveUpAfterTheLastRetryNamingTheStatus() throws Exception {
        try (FlakyProxy proxy = new FlakyProxy(server.url(), 100);
             RestSchemaRegistryClient viaProxy = new RestSchemaRegistryClient(SchemaRegistryClientConfig.from(Map.of(
                     SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, proxy.url(),
                     SchemaRegistryClientConfig.MAX_RETRIES, 2,
                     SchemaRegistryClientConfig.RETRIES_WAIT_MS, 5)))) {
            assertThatThrownBy(() -> viaProxy.getSchemaById(1))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("after 3 attempt(s)")
                    .hasMessageContaining("HTTP 503");
            assertThat(proxy.requests()).isEqualTo(3);
        }
    }

    @Test
    void shouldGiveAClearErrorWhenTheRegistryIsDown() throws Exception {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (RestSchemaRegistryClient down = new RestSchemaRegistryClient(SchemaRegistryClientConfig.from(Map.of(
                SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + closedPort,
                SchemaRegistryClientConfig.MAX_RETRIES, 1,
                SchemaRegistryClientConfig.RETRIES_WAIT_MS, 5)))) {
            assertThatThrownBy(() -> down.register(SUBJECT, DeliveryReceipt.getClassSchema()))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("Schema registry unavailable at [http://127.0.0.1:" + closedPort + "]")
                    .hasMessageContaining("connection refused");
        }
    }

    @Test
    void shouldFailOverToTheNextUrl() throws Exception {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (RestSchemaRegistryClient failover = new RestSchemaRegistryClient(SchemaRegistryClientConfig.from(Map.of(
                SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + closedPort + "," + server.url(),
                SchemaRegistryClientConfig.RETRIES_WAIT_MS, 5)))) {
            assertThat(failover.register(SUBJECT, DeliveryReceipt.getClassSchema())).isPositive();
        }
    }

    @Test
    void shouldSendBasicAuthCredentials() throws Exception {
        try (FlakyProxy proxy = new FlakyProxy(server.url(), 0);
             RestSchemaRegistryClient authed = new RestSchemaRegistryClient(SchemaRegistryClientConfig.from(Map.of(
                     SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, proxy.url(),
                     SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                     SchemaRegistryClientConfig.BASIC_AUTH_USER_INFO, "gateway:s3cret")))) {
            authed.register(SUBJECT, DeliveryReceipt.getClassSchema());
            assertThat(proxy.authorizations).containsOnly(
                    "Basic " + Base64.getEncoder().encodeToString("gateway:s3cret".getBytes()));
        }
    }

    @Test
    void shouldKeepIdsAcrossARestartOnTheSameJournal(@TempDir final Path dir) {
        final Path journal = dir.resolve("registry/schemas.jsonl");
        final int receiptId;
        final int dispatchId;
        try (DevSchemaRegistryServer first = DevSchemaRegistryServer.start("127.0.0.1", 0, journal);
             RestSchemaRegistryClient c = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrls(first.url()))) {
            receiptId = c.register(SUBJECT, DeliveryReceipt.getClassSchema());
            dispatchId = c.register("sms.dispatches-value", SmsDispatched.getClassSchema());
            c.setCompatibility(SUBJECT, CompatibilityLevel.FULL);
        }
        try (DevSchemaRegistryServer second = DevSchemaRegistryServer.start("127.0.0.1", 0, journal);
             RestSchemaRegistryClient c = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrls(second.url()))) {
            assertThat(c.getSchemaById(receiptId)).isEqualTo(DeliveryReceipt.getClassSchema());
            assertThat(c.getSchemaById(dispatchId)).isEqualTo(SmsDispatched.getClassSchema());
            assertThat(c.getCompatibility(SUBJECT)).isEqualTo(CompatibilityLevel.FULL);
            final int next = c.register("sms.delivered-value", io.smsreports.events.SmsDelivered.getClassSchema());
            assertThat(next).isNotIn(receiptId, dispatchId);
        }
    }

    @Test
    void shouldRefuseACorruptJournalNamingTheLine(@TempDir final Path dir) throws Exception {
        final Path journal = dir.resolve("schemas.jsonl");
        Files.writeString(journal, "{\"type\":\"config\",\"level\":\"BACKWARD\"}\nnot json\n");
        assertThatThrownBy(() -> DevSchemaRegistryServer.start("127.0.0.1", 0, journal))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("corrupt at line 2")
                .hasMessageContaining(journal.toString());
    }

    @Test
    void shouldRefuseATakenPortClearly() {
        assertThatThrownBy(() -> DevSchemaRegistryServer.start("127.0.0.1", server.port(), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Port " + server.port())
                .hasMessageContaining("already in use");
    }

    @Test
    void shouldValidateConfiguration() {
        assertThatThrownBy(() -> SchemaRegistryClientConfig.from(Map.of()))
                .hasMessageContaining("schema.registry.url is required");
        assertThatThrownBy(() -> SchemaRegistryClientConfig.forUrls("ftp://x"))
                .hasMessageContaining("http(s)://host:port");
        assertThatThrownBy(() -> SchemaRegistryClientConfig.from(Map.of(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, "http://x:1",
                SchemaRegistryClientConfig.HTTP_READ_TIMEOUT_MS, "soon")))
                .hasMessageContaining("http.read.timeout.ms must be a whole number");
        assertThat(SchemaRegistryClientConfig.forUrls("http://user:pw@host:8081/").basicAuthUserInfo()).isEqualTo("user:pw");
    }
}
