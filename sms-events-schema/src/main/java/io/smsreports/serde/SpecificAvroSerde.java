package io.smsreports.serde;

import io.smsreports.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} for one generated Avro class in the Confluent wire format, for Kafka Streams and for
 * plain producers and consumers. Configure it with {@code schema.registry.url} (and optionally
 * {@code auto.register.schemas}, basic auth, timeouts), or give it a {@link SchemaRegistryClient}.
 *
 * <pre>{@code
 * Serde<SmsDispatched> serde = new SpecificAvroSerde<>(SmsDispatched.class);
 * serde.configure(Map.of("schema.registry.url", "http://localhost:8081"), false);
 * }</pre>
 *
 * @param <T> the generated record class
 */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final SpecificAvroSerializer<T> serializer;
    private final SpecificAvroDeserializer<T> deserializer;

    /** Configured later through {@link #configure}. */
    public SpecificAvroSerde(final Class<T> type) {
        this.serializer = new SpecificAvroSerializer<>();
        this.deserializer = new SpecificAvroDeserializer<>(type);
    }

    /** Ready to use with an existing client; {@link #configure} may still set {@code auto.register.schemas}. */
    public SpecificAvroSerde(final Class<T> type, final SchemaRegistryClient client, final boolean autoRegister) {
        this.serializer = new SpecificAvroSerializer<>(client, autoRegister);
        this.deserializer = new SpecificAvroDeserializer<>(type, client);
    }

    /** A value serde configured with {@code configs}. */
    public static <T extends SpecificRecord> SpecificAvroSerde<T> forValues(final Class<T> type, final Map<String, ?> configs) {
        final SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(configs, false);
        return serde;
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
