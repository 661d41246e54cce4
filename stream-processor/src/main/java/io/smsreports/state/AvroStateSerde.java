package io.smsreports.state;

import io.smsreports.serde.GeneratedClassTrust;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The state format: every stored value and internal record in Avro's single-object encoding (a two-byte marker, the
 * 64-bit fingerprint of the writer's schema, the binary datum), read with Avro's schema resolution against the
 * writer's schema. The writer schemas this build knows are its own and every earlier release's, kept in
 * {@code state-schemas/} ({@link #HISTORY}): so version N+1 reads what version N left in RocksDB and the changelogs,
 * and a value written by a newer version, or corrupt, is a clear {@link SerializationException}, never a silent
 * misread. Values written before this format (a version byte 1) are read by {@link LegacyStateCodec}.
 *
 * @param <D> the domain type
 * @param <A> its Avro record
 */
final class AvroStateSerde<D, A extends SpecificRecord> implements Serde<D>, Serializer<D>, Deserializer<D> {

    /** Where the writer schemas of earlier releases are kept (one file per schema, named after it). */
    static final String HISTORY = "state-schemas/";

    private final String what;
    private final BinaryMessageEncoder<A> encoder;
    private final BinaryMessageDecoder<A> decoder;
    private final Function<D, A> toAvro;
    private final Function<A, D> fromAvro;
    private final Function<byte[], D> legacy;

    AvroStateSerde(final Schema schema, final Function<D, A> toAvro, final Function<A, D> fromAvro, final Function<byte[], D> legacy) {
        this(schema, toAvro, fromAvro, legacy, history(schema.getFullName()));
    }

    /** With the given earlier writer schemas (tests). */
    AvroStateSerde(final Schema schema, final Function<D, A> toAvro, final Function<A, D> fromAvro, final Function<byte[], D> legacy,
            final List<Schema> earlier) {
        this.what = schema.getName();
        GeneratedClassTrust.ensureInstalled(); // Avro loads only trusted classes: ours are generated
        final SpecificData model = SpecificData.getForSchema(schema); // the generated class's model, with its conversions
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        for (final Schema writer : earlier) {
            decoder.addSchema(writer);
        }
        this.toAvro = Objects.requireNonNull(toAvro, "toAvro");
        this.fromAvro = Objects.requireNonNull(fromAvro, "fromAvro");
        this.legacy = legacy;
    }

    @Override
    public byte[] serialize(final String topic, final D value) {
        if (value == null) {
            return null;
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try {
            encoder.encode(toAvro.apply(value), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public D deserialize(final String topic, final byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length >= 2 && bytes[0] == (byte) 0xC3 && bytes[1] == (byte) 0x01) {
            try {
                return fromAvro.apply(decoder.decode(bytes));
            } catch (MissingSchemaException e) {
                throw new SerializationException("A " + what + " written with a schema this version does not know (fingerprint in "
                        + "the value): written by a newer SMS Reports?", e);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("Cannot read a stored " + what + ": " + e.getMessage(), e);
            }
        }
        if (legacy != null && bytes.length >= 1 && bytes[0] == 1) {
            return legacy.apply(bytes);
        }
        throw new SerializationException("Not a stored " + what + " (" + bytes.length + " bytes, first byte " + (bytes.length == 0 ? "-"
                : bytes[0]) + ")");
    }

    /** The earlier writer schemas of a record, from {@code state-schemas/<full name>.v<N>.avsc} on the class path. */
    static List<Schema> history(final String fullName) {
        final List<Schema> schemas = new ArrayList<>();
        for (int version = 1; ; version++) {
            final String resource = HISTORY + fullName + ".v" + version + ".avsc";
            try (InputStream in = AvroStateSerde.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    return schemas;
                }
                schemas.add(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + resource, e);
            }
        }
    }

    @Override
    public Serializer<D> serializer() {
        return this;
    }

    @Override
    public Deserializer<D> deserializer() {
        return this;
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // stateless
    }

    @Override
    public String toString() {
        return "AvroStateSerde[" + what + "]";
    }
}
