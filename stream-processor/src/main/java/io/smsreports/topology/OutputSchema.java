package io.smsreports.topology;

import io.smsreports.events.SmsDelivered;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The schema of one of the pipeline's outputs ({@code sms.delivered}; {@code sms.alerts} has its own), registered before the first SMS input is decoded. Registering needs the
 * schema registry, so it belongs to the decode path: while the registry cannot answer, SMS inputs are held (like any
 * other record whose decoding needs the registry) instead of failing the first SMS Delivered event on its way out,
 * which would stop the instance. Once registered, the id is cached for the life of the process.
 */
final class OutputSchema {

    private static final SmsDelivered SAMPLE = SmsDelivered.newBuilder().setSmsId("schema-probe").setMessageId("schema-probe")
            .setMsisdn("+0").setExternalId(null).setEmail(null).setPlatform("unknown").setProvider("schema-probe")
            .setDispatchedAt(Instant.EPOCH).setDeliveredAt(Instant.EPOCH).setLatencyMs(0).build();

    private record Probe<T>(Serializer<T> serializer, String topic, T sample) {
        void register() {
            serializer.serialize(topic, sample);
        }
    }

    private final List<Probe<?>> probes;
    private volatile boolean registered;

    OutputSchema(final Serializer<SmsDelivered> serializer, final String topic) {
        this(List.of(new Probe<>(serializer, topic, SAMPLE)));
    }

    private OutputSchema(final List<Probe<?>> probes) {
        this.probes = List.copyOf(probes);
    }

    /** The schema of {@code topic}, registered by serializing {@code sample}. */
    static <T> OutputSchema of(final Serializer<T> serializer, final String topic, final T sample) {
        return new OutputSchema(List.of(new Probe<>(serializer, topic, sample)));
    }

    /**
     * @throws io.smsreports.serde.RegistryUnreachableException while the registry cannot answer (transient)
     * @throws IllegalStateException when the registry refuses the schema (a deployment error, not bad input)
     */
    void ensureRegistered() {
        if (registered) {
            return;
        }
        for (final Probe<?> probe : probes) {
            try {
                probe.register();
            } catch (SerializationException e) {
                throw new IllegalStateException("The schema registry refuses the schema of " + probe.topic() + ": " + e.getMessage(), e);
            }
        }
        registered = true;
    }
}
