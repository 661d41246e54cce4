package io.smsreports.state;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde for an internal type, written with {@link Codec}: a format version byte, then the fields.
 * Stateless and thread-safe.
 *
 * @param <T> the type
 */
public final class CodecSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final String what;
    private final int version;
    private final int sizeHint;
    private final BiConsumer<Codec.Writer, T> encoder;
    private final Function<Codec.Reader, T> decoder;

    public CodecSerde(final String what, final int version, final int sizeHint, final BiConsumer<Codec.Writer, T> encoder,
            final Function<Codec.Reader, T> decoder) {
        this.what = Objects.requireNonNull(what, "what");
        this.version = version;
        this.sizeHint = sizeHint;
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    @Override
    public byte[] serialize(final String topic, final T value) {
        if (value == null) {
            return null;
        }
        final Codec.Writer writer = new Codec.Writer(sizeHint).version(version);
        encoder.accept(writer, value);
        return writer.toByteArray();
    }

    @Override
    public T deserialize(final String topic, final byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        final Codec.Reader reader = new Codec.Reader(bytes, what);
        reader.version(version);
        final T value = decoder.apply(reader);
        reader.end();
        return value;
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(final java.util.Map<String, ?> configs, final boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // stateless
    }

    @Override
    public String toString() {
        return "CodecSerde[" + what + " v" + version + "]";
    }
}
