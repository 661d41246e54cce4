package io.smsreports.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The package layering the package docs draw ({@code io.smsreports.lifecycle}): arrows point down only. Read from the
 * sources: every reference of one of this module's packages to another must be an allowed arrow, the domain packages
 * import nothing of Kafka or RocksDB, and so no cycle can form.
 */
class LayeringTest {

    private static final Path SOURCES = Path.of("src", "main", "java", "io", "smsreports");
    private static final Set<String> DOMAIN = Set.of("lifecycle", "reporting", "privacy", "alerting", "replies");
    /** Allowed arrows between this module's packages (the event schemas, registry and serde of the SDK are below all). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("lifecycle", Set.of()),
            Map.entry("reporting", Set.of("lifecycle")),
            Map.entry("privacy", Set.of()),
            Map.entry("replies", Set.of()),
            Map.entry("alerting", Set.of("lifecycle")),
            Map.entry("state", Set.of("lifecycle", "reporting", "alerting", "replies", "state.avro")),
            Map.entry("topology", Set.of("lifecycle", "reporting", "alerting", "privacy", "replies", "state")),
            Map.entry("query", Set.of("lifecycle", "reporting", "alerting", "privacy", "replies", "state", "topology")),
            Map.entry("config", Set.of("lifecycle", "reporting", "alerting", "replies", "state", "topology")),
            Map.entry("app", Set.of("config", "ops", "privacy", "state", "topology", "lifecycle", "reporting")),
            Map.entry("ops", Set.of()));
    private static final Set<String> SDK = Set.of("events", "registry", "serde", "smpp");

    @Test
    void shouldOnlyPointDownAndKeepTheDomainFreeOfKafka() throws IOException {
        final PackageGraph graph = PackageGraph.read(SOURCES, SDK);
        assertThat(graph.violations(ALLOWED, DOMAIN)).isEmpty();
        assertThat(graph.arrows().get("topology")).as("the graph was read").contains("state", "lifecycle");
    }
}
