package io.smsreports.serde;

import io.smsreports.registry.SchemaRegistryClientConfig;

/** Configuration keys of the Avro serde; the names Confluent's serializers use. */
public final class AvroSerdeConfig {

    /** Registry URL(s): {@code http(s)://host:port[,...]} or {@code mock://scope}. */
    public static final String SCHEMA_REGISTRY_URL = SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL;
    /** Whether the serializer registers the record's schema under the subject (default true). */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** Fully-qualified name of the generated class the key deserializer produces. */
    public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
    /** Fully-qualified name of the generated class the value deserializer produces. */
    public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";

    private AvroSerdeConfig() {
    }

    /** The subject of a topic under the TopicNameStrategy. */
    public static String subject(final String topic, final boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    static boolean bool(final Object value, final boolean fallback, final String key) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        final String text = value.toString().trim();
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(key + " must be true or false, was '" + value + "'");
    }
}
