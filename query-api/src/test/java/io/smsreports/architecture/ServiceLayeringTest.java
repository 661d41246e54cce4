package io.smsreports.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
            "api", Set.of("api.audit", "api.auth", "api.dto", "export", "query", "reporting", "lifecycle", "privacy"),
            "api.audit", Set.of("api.auth", "privacy"),
            "api.auth", Set.of(),
            "api.dto", Set.of(),
            "export", Set.of("reporting", "api.dto"),
            "demo", Set.of(),
            "embedded", Set.of(),
            "service", Set.of("api", "api.audit", "api.auth", "app", "config", "query", "topology", "reporting"),
            "launcher", Set.of("api.auth", "app", "config", "demo", "embedded", "service"));
    private static final Set<String> SDK = Set.of("events", "registry", "serde", "smpp");
    private static final Pattern REFERENCE = Pattern.compile("io\\.smsreports\\.([a-z]+(?:\\.[a-z]+)*)\\.[A-Z]");

    @Test
    void shouldReadThePipelineOnlyThroughItsFacadeAndHaveNoCycle() throws IOException {
        final Map<String, Set<String>> arrows = new TreeMap<>();
        final List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (final Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                final String pkg = SOURCES.relativize(file.getParent()).toString().replace(file.getFileSystem().getSeparator(), ".");
                final String source = Files.readString(file);
                final Matcher m = REFERENCE.matcher(source);
                while (m.find()) {
                    final String target = m.group(1);
                    if (!target.equals(pkg) && !SDK.contains(target)) {
                        arrows.computeIfAbsent(pkg, p -> new TreeSet<>()).add(target);
                    }
                }
                if (DOMAIN.contains(pkg) && (source.contains("import org.apache.kafka") || source.contains("import org.rocksdb"))) {
                    violations.add(file + ": imports Kafka");
                }
            }
        }
        assertThat(arrows.keySet()).as("packages").isSubsetOf(ALLOWED.keySet());
        arrows.forEach((from, targets) -> {
            for (final String to : targets) {
                if (!ALLOWED.getOrDefault(from, Set.of()).contains(to)) {
                    violations.add(from + " -> " + to + " is not an arrow of the layering (see the package docs)");
                }
            }
        });
        assertThat(violations).isEmpty();
        assertThat(arrows.get("api")).as("the graph was read").contains("query", "api.auth");
    }
}
