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
 * The package layering the package docs draw ({@code io.smsreports.lifecycle}): arrows point down only. Read from the
 * sources: every reference of one of this module's packages to another must be an allowed arrow, the domain packages
 * import nothing of Kafka or RocksDB, and so no cycle can form.
 */
class LayeringTest {

    private static final Path SOURCES = Path.of("src", "main", "java", "io", "smsreports");
    private static final Set<String> DOMAIN = Set.of("lifecycle", "reporting", "privacy");
    /** Allowed arrows between this module's packages (the event schemas, registry and serde of the SDK are below all). */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "lifecycle", Set.of(),
            "reporting", Set.of("lifecycle"),
            "privacy", Set.of(),
            "state", Set.of("lifecycle", "reporting", "state.avro"),
            "topology", Set.of("lifecycle", "reporting", "privacy", "state"),
            "query", Set.of("lifecycle", "reporting", "privacy", "state", "topology"),
            "config", Set.of("lifecycle", "reporting", "state", "topology"),
            "app", Set.of("config", "ops", "privacy", "state", "topology", "lifecycle", "reporting"),
            "ops", Set.of());
    private static final Set<String> SDK = Set.of("events", "registry", "serde", "smpp");
    private static final Pattern REFERENCE = Pattern.compile("io\\.smsreports\\.([a-z]+(?:\\.[a-z]+)*)\\.[A-Z]");

    @Test
    void shouldOnlyPointDownAndKeepTheDomainFreeOfKafka() throws IOException {
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
                    violations.add(file + ": the domain layer imports Kafka");
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
        assertThat(arrows.get("topology")).as("the graph was read").contains("state", "lifecycle");
    }
}
