package io.smsreports.serde;

import io.smsreports.registry.SchemaRegistryClient;
import io.smsreports.registry.SchemaRegistryClients;
import io.smsreports.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes Avro specific records in the Confluent wire format, registering (or, with
 * {@code auto.register.schemas=false}, looking up) the record's schema under {@code <topic>-value} /
 * {@code <topic>-key}. Ids are cached per topic and schema: after the first record the registry is not
 * called again. Thread-safe; one instance may serve several producer or stream threads.
 *
 * @param <T> the generated record class
 */
public class SpecificAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private SchemaRegistryClient client;
    private boolean ownsClient;
    private boolean isKey;
    private boolean autoRegister = true;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);

    static {
        GeneratedClassTrust.ensureInstalled();
    }

    /** The schema, its id under one topic's subject, and its writer. */
    private record Target(Schema schema, int id, SpecificDatumWriter<Object> writer) {
    }

    /** Per-thread reusable output buffer and encoder. */
    private static final class Buffer extends ByteArrayOutputStream {
        BinaryEncoder encoder;

        Buffer() {
            super(256);
        }

        byte[] bytes() {
            return buf;
        }
    }

    /** For configuration through {@link #configure}, e.g. as a producer's {@code value.serializer}. */
    public SpecificAvroSerializer() {
    }

    /** With an existing registry client (not closed by {@link #close()}). */
    public SpecificAvroSerializer(final SchemaRegistryClient client, final boolean autoRegister) {
        this.client = Objects.requireNonNull(client, "client");
        this.autoRegister = autoRegister;
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        this.isKey = isKey;
        this.autoRegister = AvroSerdeConfig.bool(configs.get(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS), autoRegister,
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS);
        if (client == null) {
            client = SchemaRegistryClients.create(configs);
            ownsClient = true;
        }
    }

    @Override
    public byte[] serialize(final String topic, final T record) {
        if (record == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("SpecificAvroSerializer is not configured: set schema.registry.url");
        }
        final Target target = target(topic, record);
        final Buffer buffer = buffers.get();
        buffer.reset();
        buffer.write(0);
        buffer.write(0);
        buffer.write(0);
        buffer.write(0);
        buffer.write(0);
        try {
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(buffer, buffer.encoder);
            buffer.encoder = encoder;
            target.writer().write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot serialize " + record.getSchema().getFullName() + " for topic '" + topic
                    + "': " + e.getMessage(), e);
        }
        final byte[] result = java.util.Arrays.copyOf(buffer.bytes(), buffer.size());
        WireFormat.writeHeader(result, target.id());
        return result;
    }

    private Target target(final String topic, final T record) {
        final Schema schema = record.getSchema();
        final Target cached = targets.get(topic);
        if (cached != null && cached.schema() == schema) {
            return cached;
        }
        final String subject = AvroSerdeConfig.subject(topic, isKey);
        final int id;
        try {
            id = autoRegister ? client.register(subject, schema) : client.getId(subject, schema);
        } catch (SchemaRegistryException e) {
            if (RegistryUnreachableException.isTransient(e)) {
                throw new RegistryUnreachableException("Cannot " + (autoRegister ? "register" : "look up") + " the schema of "
                        + schema.getFullName() + " under subject '" + subject + "' now: " + e.getMessage(), e);
            }
            throw new SerializationException("Cannot " + (autoRegister ? "register" : "look up") + " the schema of "
                    + schema.getFullName() + " under subject '" + subject + "': " + e.getMessage(), e);
        }
        final Target target = new Target(schema, id, new SpecificDatumWriter<>(schema, SpecificData.getForClass(record.getClass())));
        targets.put(topic, target);
        return target;
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }
}
