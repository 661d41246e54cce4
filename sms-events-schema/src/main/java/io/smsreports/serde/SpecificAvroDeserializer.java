package io.smsreports.serde;

import io.smsreports.registry.SchemaRegistryClient;
import io.smsreports.registry.SchemaRegistryClients;
import io.smsreports.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Deserializes Confluent-wire-format records into a generated Avro class, resolving the writer's schema
 * (fetched by id from the registry, then cached) against the class's schema: a reader on a newer schema
 * reads older data, fields added with defaults get their defaults.
 *
 * <p>Bytes that cannot be read fail with a {@link SerializationException} that names the topic and the cause:
 * a wrong magic byte, a schema id the registry says does not exist, a writer schema the class cannot read, or
 * corrupt or trailing bytes. When the registry cannot be asked (unreachable, slow, 5xx, 429, 401/403) the failure
 * is a {@link RegistryUnreachableException} instead: the bytes may be fine, retry them later. Thread-safe.
 *
 * @param <T> the generated record class
 */
public class SpecificAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private Class<T> type;
    private Schema readerSchema;
    private SpecificData model;
    private SchemaRegistryClient client;
    private boolean ownsClient;
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

    static {
        GeneratedClassTrust.ensureInstalled();
    }

    /** For configuration through {@link #configure}, with {@code specific.avro.value.type} naming the class. */
    public SpecificAvroDeserializer() {
    }

    /** Reads into {@code type}; the registry client comes from {@link #configure}. */
    public SpecificAvroDeserializer(final Class<T> type) {
        setType(type);
    }

    /** Reads into {@code type} with an existing registry client (not closed by {@link #close()}). */
    public SpecificAvroDeserializer(final Class<T> type, final SchemaRegistryClient client) {
        setType(type);
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        if (type == null) {
            final String key = isKey ? AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE : AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE;
            final Object name = configs.get(key);
            if (name == null) {
                throw new IllegalArgumentException(key + " is required: the generated Avro class to read into");
            }
            try {
                final Class<?> loaded = name instanceof Class<?> c ? c : Class.forName(name.toString());
                if (!SpecificRecord.class.isAssignableFrom(loaded)) {
                    throw new IllegalArgumentException(key + " must name a generated Avro class, " + loaded.getName() + " is not one");
                }
                setType((Class<T>) loaded);
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException(key + " names a class that is not on the classpath: " + name, e);
            }
        }
        if (client == null) {
            client = SchemaRegistryClients.create(configs);
            ownsClient = true;
        }
    }

    private void setType(final Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
    }

    @Override
    public T deserialize(final String topic, final byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("SpecificAvroDeserializer is not configured: set schema.registry.url");
        }
        final int id = WireFormat.schemaId(topic, bytes);
        final SpecificDatumReader<T> reader = readers.computeIfAbsent(id, i -> newReader(topic, i));
        final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, WireFormat.HEADER_SIZE,
                bytes.length - WireFormat.HEADER_SIZE, null);
        final T value;
        try {
            value = reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Corrupt Avro data on topic '" + topic + "' (schema id " + id + ", "
                    + type.getSimpleName() + "): " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new SerializationException("Corrupt Avro data on topic '" + topic + "' (schema id " + id + ", "
                        + type.getSimpleName() + "): trailing bytes after the record");
            }
        } catch (IOException e) {
            throw new SerializationException("Corrupt Avro data on topic '" + topic + "' (schema id " + id + ")", e);
        }
        return value;
    }

    private SpecificDatumReader<T> newReader(final String topic, final int id) {
        final Schema writerSchema;
        try {
            writerSchema = client.getSchemaById(id);
        } catch (SchemaRegistryException e) {
            if (RegistryUnreachableException.isTransient(e)) {
                throw new RegistryUnreachableException("Cannot fetch schema id " + id + " for topic '" + topic
                        + "' now (the record is not known to be bad): " + e.getMessage(), e);
            }
            throw new SerializationException("Unknown schema id " + id + " on topic '" + topic + "': the schema registry has "
                    + "no schema with that id (" + e.getMessage() + ")", e);
        }
        final SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("Schema id " + id + " (" + writerSchema.getFullName() + ") on topic '" + topic
                    + "' cannot be read as " + type.getName() + ": " + compatibility.getDescription());
        }
        return new SpecificDatumReader<>(writerSchema, readerSchema, model);
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }
}
