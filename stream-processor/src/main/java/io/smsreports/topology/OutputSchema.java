package io.smsreports.topology;

import io.smsreports.events.SmsDelivered;
import java.time.Instant;
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

    private final String topic;
    /** Serializes a sample record: registers the schema, or throws. */
    private final Runnable probe;
    private volatile boolean registered;

    OutputSchema(final Serializer<SmsDelivered> serializer, final String topic) {
        this(topic, () -> serializer.serialize(topic, SAMPLE));
    }

    private OutputSchema(final String topic, final Runnable probe) {
        this.topic = topic;
        this.probe = probe;
    }

    /** The schema of {@code topic}, registered by serializing {@code sample}. */
    static <T> OutputSchema of(final Serializer<T> serializer, final String topic, final T sample) {
        return new OutputSchema(topic, () -> serializer.serialize(topic, sample));
    }

    /**
     * @throws io.smsreports.serde.RegistryUnreachableException while the registry cannot answer (transient)
     * @throws IllegalStateException when the registry refuses the schema (a deployment error, not bad input)
     */
    void ensureRegistered() {
        if (registered) {
            return;
        }
        try {
            probe.run();
        } catch (SerializationException e) {
            throw new IllegalStateException("The schema registry refuses the schema of " + topic + ": " + e.getMessage(), e);
        }
        registered = true;
    }
}
