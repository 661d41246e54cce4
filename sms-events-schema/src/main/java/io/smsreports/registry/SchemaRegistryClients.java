package io.smsreports.registry;

import java.util.Map;

/** Builds the right {@link SchemaRegistryClient} for a {@code schema.registry.url}. */
public final class SchemaRegistryClients {

    private SchemaRegistryClients() {
    }

    /**
     * A client for {@code schema.registry.url} and the other {@link SchemaRegistryClientConfig} settings:
     * {@code mock://scope} gives the in-process registry of that scope, {@code http(s)://...} a REST client.
     *
     * @throws IllegalArgumentException naming the setting when the configuration is invalid
     */
    public static SchemaRegistryClient create(final Map<String, ?> configs) {
        final Object url = configs.get(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL);
        if (url != null && url.toString().trim().startsWith(MockSchemaRegistry.MOCK_URL_PREFIX)) {
            final String scope = url.toString().trim().substring(MockSchemaRegistry.MOCK_URL_PREFIX.length());
            if (scope.isEmpty() || scope.contains(",")) {
                throw new IllegalArgumentException(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL
                        + " must name exactly one scope after mock://, was '" + url + "'");
            }
            return MockSchemaRegistry.clientForScope(scope);
        }
        return new RestSchemaRegistryClient(SchemaRegistryClientConfig.from(configs));
    }

    /** A client for one URL with default settings. */
    public static SchemaRegistryClient forUrl(final String url) {
        return create(Map.of(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, url));
    }
}
