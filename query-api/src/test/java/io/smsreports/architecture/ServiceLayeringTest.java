package io.smsreports.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The service module's packages: the API reads the pipeline only through its read facade ({@code io.smsreports.query}),
 * never its store names, key layouts or processors; wiring (service, launcher) sits on top. Read from the
 * sources: every reference of one of this module's packages to another must be an allowed arrow, the domain packages
 * import nothing of Kafka or RocksDB, and so no cycle can form.
 */
class ServiceLayeringTest {

    private static final Path SOURCES = Path.of("src", "main", "java", "io", "smsreports");
    private static final Set<String> DOMAIN = Set.of("api.dto", "api.auth");
    /** Allowed arrows between this module's packages and to the processor's (the SDK's event schemas, registry and serde are below all). */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "api", Set.of("api.audit", "api.auth", "api.dto", "export", "query", "reporting", "replies", "alerting", "lifecycle", "privacy"),
            "api.audit", Set.of("api.auth", "privacy"),
            "api.auth", Set.of(),
            "api.dto", Set.of(),
            "export", Set.of("reporting", "api.dto"),
            "demo", Set.of(),
            "embedded", Set.of(),
            "service", Set.of("api", "api.audit", "api.auth", "app", "config", "query", "topology", "reporting", "alerting", "privacy"),
            "launcher", Set.of("api.auth", "app", "config", "demo", "embedded", "service"));
    private static final Set<String> SDK = Set.of("events", "registry", "serde", "smpp");

    @Test
    void shouldReadThePipelineOnlyThroughItsFacadeAndHaveNoCycle() throws IOException {
        final PackageGraph graph = PackageGraph.read(SOURCES, SDK);
        assertThat(graph.violations(ALLOWED, DOMAIN)).isEmpty();
        assertThat(graph.arrows().get("api")).as("the graph was read").contains("query", "api.auth");
    }
}
