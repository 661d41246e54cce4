package io.smsreports.architecture;

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

/**
 * The package graph of a module's sources (every mention of {@code io.smsreports.<package>.<Type>}, imports and javadoc
 * links alike), checked against the arrows a layering allows. Shared by the processor's and the service's layering tests.
 *
 * @param arrows package → the module's other packages it refers to
 */
public record PackageGraph(Map<String, Set<String>> arrows, List<String> kafkaImporters) {

    private static final Pattern REFERENCE = Pattern.compile("io\\.smsreports\\.([a-z]+(?:\\.[a-z]+)*)\\.[A-Z]");

    /** Reads the sources under {@code root} (the folder of {@code io/smsreports}); {@code ignored} packages are not arrows. */
    public static PackageGraph read(final Path root, final Set<String> ignored) throws IOException {
        final Map<String, Set<String>> arrows = new TreeMap<>();
        final List<String> kafka = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (final Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                final String pkg = root.relativize(file.getParent()).toString().replace(file.getFileSystem().getSeparator(), ".");
                final String source = Files.readString(file);
                final Matcher m = REFERENCE.matcher(source);
                while (m.find()) {
                    final String target = m.group(1);
                    if (!target.equals(pkg) && !ignored.contains(target)) {
                        arrows.computeIfAbsent(pkg, p -> new TreeSet<>()).add(target);
                    }
                }
                if (source.contains("import org.apache.kafka") || source.contains("import org.rocksdb")) {
                    kafka.add(pkg + ": " + file.getFileName());
                }
            }
        }
        return new PackageGraph(arrows, kafka);
    }

    /** Every arrow {@code allowed} does not list, and every package of {@code kafkaFree} that imports Kafka or RocksDB. */
    public List<String> violations(final Map<String, Set<String>> allowed, final Set<String> kafkaFree) {
        final List<String> violations = new ArrayList<>();
        arrows.forEach((from, targets) -> {
            if (!allowed.containsKey(from)) {
                violations.add("package " + from + " is not in the layering (see the package docs)");
            }
            for (final String to : targets) {
                if (!allowed.getOrDefault(from, Set.of()).contains(to)) {
                    violations.add(from + " -> " + to + " is not an arrow of the layering (see the package docs)");
                }
            }
        });
        for (final String importer : kafkaImporters) {
            if (kafkaFree.contains(importer.substring(0, importer.indexOf(':')))) {
                violations.add(importer + " imports Kafka, in a layer that must not");
            }
        }
        return violations;
    }
}
