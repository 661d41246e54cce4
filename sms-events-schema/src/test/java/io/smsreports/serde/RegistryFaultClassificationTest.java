package io.smsreports.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.smsreports.events.SmsDispatched;
import io.smsreports.registry.MockSchemaRegistry;
import io.smsreports.registry.SchemaRegistryClientConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A registry that cannot answer is a transient fault, never a verdict on the bytes: only the registry's own
 * "no such schema" (404 with a Confluent 404xx code) makes a record undecodable. Real HTTP answers, real client.
 */
class RegistryFaultClassificationTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Valid wire-format bytes for schema id 1, written against an in-process registry. */
    private static byte[] validDispatchBytes() {
        final String scope = "classification-" + UUID.randomUUID();
        try (SpecificAvroSerializer<SmsDispatched> serializer = new SpecificAvroSerializer<>(MockSchemaRegistry.clientForScope(scope), true)) {
            return serializer.serialize("sms.dispatches", SampleEvents.dispatch());
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    private String registryAnswering(final int status, final String contentType, final String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/", exchange -> {
            final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static SpecificAvroDeserializer<SmsDispatched> deserializerFor(final String url) {
        final SpecificAvroDeserializer<SmsDispatched> deserializer = new SpecificAvroDeserializer<>(SmsDispatched.class);
        deserializer.configure(Map.of(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, url, SchemaRegistryClientConfig.MAX_RETRIES, "0",
                SchemaRegistryClientConfig.HTTP_READ_TIMEOUT_MS, "2000"), false);
        return deserializer;
    }

    @ParameterizedTest(name = "HTTP {0} is transient")
    @CsvSource(delimiter = '|', value = {
        "503|application/json|{\"error_code\":50301,\"message\":\"Service unavailable\"}",
        "500|application/json|{\"error_code\":50001,\"message\":\"Error in the backend datastore\"}",
        "429|text/plain|Too Many Requests",
        "401|application/json|{\"error_code\":401,\"message\":\"Unauthorized\"}",
        "403|application/json|{\"error_code\":40301,\"message\":\"User is denied operation\"}",
        "408|text/plain|Request Timeout",
        "404|text/html|<html>Not Found (a proxy, not a registry)</html>",
        "200|text/html|<html>captive portal</html>"})
    void shouldTreatARegistryThatCannotAnswerAsTransientNotPoison(final int status, final String contentType, final String body)
            throws IOException {
        try (SpecificAvroDeserializer<SmsDispatched> deserializer = deserializerFor(registryAnswering(status, contentType, body))) {
            assertThatThrownBy(() -> deserializer.deserialize("sms.dispatches", validDispatchBytes()))
                    .isInstanceOf(RegistryUnreachableException.class)
                    .isInstanceOf(RetriableException.class)
                    .isNotInstanceOf(SerializationException.class)
                    .hasMessageContaining("schema id 1");
        }
    }

    @Test
    void shouldTreatAnUnreachableRegistryAsTransient() throws IOException {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (SpecificAvroDeserializer<SmsDispatched> deserializer = deserializerFor("http://127.0.0.1:" + closedPort)) {
            assertThatThrownBy(() -> deserializer.deserialize("sms.dispatches", validDispatchBytes()))
                    .isInstanceOf(RegistryUnreachableException.class)
                    .hasMessageContaining("connection refused");
        }
    }

    @Test
    void shouldTreatTheRegistrysOwnSchemaNotFoundAsPoison() throws IOException {
        final String url = registryAnswering(404, "application/vnd.schemaregistry.v1+json",
                "{\"error_code\":40403,\"message\":\"Schema 1 not found\"}");
        try (SpecificAvroDeserializer<SmsDispatched> deserializer = deserializerFor(url)) {
            assertThatThrownBy(() -> deserializer.deserialize("sms.dispatches", validDispatchBytes()))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("Unknown schema id 1");
        }
    }

    @Test
    void shouldReadTheRecordOnceTheRegistryAnswersAgain() throws IOException {
        final String scope = "recovery-" + UUID.randomUUID();
        final byte[] bytes;
        try (SpecificAvroSerializer<SmsDispatched> serializer = new SpecificAvroSerializer<>(MockSchemaRegistry.clientForScope(scope), true)) {
            bytes = serializer.serialize("sms.dispatches", SampleEvents.dispatch());
        }
        final boolean[] down = {true};
        final var registry = MockSchemaRegistry.clientForScope(scope);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/", exchange -> {
            final byte[] body = down[0] ? "{\"error_code\":50301,\"message\":\"down\"}".getBytes(StandardCharsets.UTF_8)
                    : ("{\"schema\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(registry.getSchemaById(1).toString())
                    + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(down[0] ? 503 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try (SpecificAvroDeserializer<SmsDispatched> deserializer = deserializerFor("http://127.0.0.1:" + server.getAddress().getPort())) {
            assertThatThrownBy(() -> deserializer.deserialize("sms.dispatches", bytes)).isInstanceOf(RegistryUnreachableException.class);
            down[0] = false;
            assertThat(deserializer.deserialize("sms.dispatches", bytes)).as("the failure was not cached").isEqualTo(SampleEvents.dispatch());
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }
}
