package io.smsreports.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * A client of a schema registry that speaks the Confluent Schema Registry protocol.
 *
 * <p>Schema ids are global: the same schema registered under two subjects gets one id. Subjects follow
 * the TopicNameStrategy ({@code <topic>-value}, {@code <topic>-key}).
 *
 * <p>Implementations are thread-safe. Lookups that the serializers make for every record
 * ({@link #register}, {@link #getId}, {@link #getSchemaById}) are answered from a cache after the first call,
 * so the hot path never waits on the network.
 *
 * <p>Failures are {@link SchemaRegistryException}s: {@link IncompatibleSchemaException},
 * {@link SchemaNotFoundException}, {@link InvalidSchemaException}, or {@link RegistryUnavailableException}
 * when the registry cannot be reached.
 *
 * @see SchemaRegistryClients#create(java.util.Map) to build one from the usual {@code schema.registry.url} settings
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /**
     * Registers a schema under a subject, or returns its id if the subject already holds it.
     *
     * @throws IncompatibleSchemaException if the subject's compatibility level rejects the schema
     */
    int register(String subject, Schema schema);

    /**
     * The id of a schema already registered under a subject, without registering it.
     *
     * @throws SchemaNotFoundException if the subject does not hold that schema
     */
    int getId(String subject, Schema schema);

    /**
     * The schema with a global id.
     *
     * @throws SchemaNotFoundException if no schema has that id
     */
    Schema getSchemaById(int id);

    /**
     * The latest version registered under a subject.
     *
     * @throws SchemaNotFoundException if the subject does not exist
     */
    RegisteredSchema getLatestSchema(String subject);

    /**
     * Whether a schema could be registered under a subject, per the subject's compatibility level.
     * A subject that does not exist yet accepts any schema.
     */
    boolean testCompatibility(String subject, Schema schema);

    /** All subjects, in name order. */
    List<String> getSubjects();

    /** The versions registered under a subject, in ascending order. */
    List<Integer> getVersions(String subject);

    /** The compatibility level of a subject, or the global level when {@code subject} is null. */
    CompatibilityLevel getCompatibility(String subject);

    /** Sets the compatibility level of a subject, or the global level when {@code subject} is null. */
    void setCompatibility(String subject, CompatibilityLevel level);

    /** Releases connections and caches; the client is not usable afterwards. */
    @Override
    void close();
}
