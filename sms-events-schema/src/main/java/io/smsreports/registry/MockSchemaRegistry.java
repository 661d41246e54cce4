package io.smsreports.registry;

import io.smsreports.registry.internals.SchemaStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * In-process registries for {@code mock://scope} URLs, the convention Confluent users know from unit tests:
 * every client of one scope, in one JVM, sees the same registry. Same semantics as the dev registry server
 * (global ids, versions, BACKWARD compatibility by default), no network.
 */
public final class MockSchemaRegistry {

    /** The URL scheme that selects an in-process registry. */
    public static final String MOCK_URL_PREFIX = "mock://";

    private static final Map<String, SchemaStore> SCOPES = new ConcurrentHashMap<>();

    private MockSchemaRegistry() {
    }

    /** A client of the in-process registry of {@code scope}, created empty on first use. */
    public static SchemaRegistryClient clientForScope(final String scope) {
        return new Client(SCOPES.computeIfAbsent(scope, s -> new SchemaStore()));
    }

    /** Forgets a scope; the next client of that scope starts with an empty registry. */
    public static void dropScope(final String scope) {
        SCOPES.remove(scope);
    }

    private record Client(SchemaStore store) implements SchemaRegistryClient {
        @Override
        public int register(final String subject, final Schema schema) {
            return store.register(subject, schema).id();
        }

        @Override
        public int getId(final String subject, final Schema schema) {
            return store.lookup(subject, schema).id();
        }

        @Override
        public Schema getSchemaById(final int id) {
            return store.schemaById(id);
        }

        @Override
        public RegisteredSchema getLatestSchema(final String subject) {
            return store.latest(subject);
        }

        @Override
        public boolean testCompatibility(final String subject, final Schema schema) {
            return store.incompatibilities(subject, schema).isEmpty();
        }

        @Override
        public List<String> getSubjects() {
            return store.subjects();
        }

        @Override
        public List<Integer> getVersions(final String subject) {
            return store.versions(subject);
        }

        @Override
        public CompatibilityLevel getCompatibility(final String subject) {
            return store.levelOf(subject);
        }

        @Override
        public void setCompatibility(final String subject, final CompatibilityLevel level) {
            store.setLevel(subject, level);
        }

        @Override
        public void close() {
            // nothing to release: the scope outlives its clients
        }
    }
}
