package io.smsreports.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The monitoring files of the repository ({@code ops/}): the Prometheus alerting rules and the Grafana dashboards, with
 * every PromQL expression in them and the metric names those expressions read.
 */
public final class MonitoringAssets {

    /** Series Prometheus makes itself, not read from a target. */
    private static final Set<String> SYNTHETIC = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "and", "or",
            "unless", "bool", "offset", "atan2", "inf", "nan");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");
    private static final Pattern NAME = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path ops;

    private MonitoringAssets(final Path ops) {
        this.ops = ops;
    }

    /** The {@code ops/} directory of the checkout the tests run in (found upwards from the working directory). */
    public static MonitoringAssets ofRepository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("ops/prometheus")) && Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
                return new MonitoringAssets(dir.resolve("ops"));
            }
        }
        throw new IllegalStateException("No ops/prometheus directory above " + Path.of("").toAbsolutePath());
    }

    public Path ops() {
        return ops;
    }

    public List<Path> ruleFiles() {
        return files(ops.resolve("prometheus/rules"), ".yml");
    }

    public List<Path> dashboards() {
        return files(ops.resolve("grafana/dashboards"), ".json");
    }

    public JsonNode yaml(final Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public JsonNode json(final Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every alerting rule's expression, by "file: alert name". */
    public Map<String, String> ruleExpressions() {
        final Map<String, String> expressions = new LinkedHashMap<>();
        for (final Path file : ruleFiles()) {
            for (final JsonNode group : yaml(file).path("groups")) {
                for (final JsonNode rule : group.path("rules")) {
                    final String name = rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
                    expressions.put(file.getFileName() + ": " + name, rule.path("expr").asText());
                }
            }
        }
        return expressions;
    }

    /** Every query of every dashboard (panel targets and template variables), by "file: panel title / refId". */
    public Map<String, String> dashboardExpressions() {
        final Map<String, String> expressions = new LinkedHashMap<>();
        for (final Path file : dashboards()) {
            final JsonNode dashboard = json(file);
            for (final JsonNode panel : panels(dashboard)) {
                for (final JsonNode target : panel.path("targets")) {
                    expressions.put(file.getFileName() + ": " + panel.path("title").asText() + " / " + target.path("refId").asText(),
                            target.path("expr").asText());
                }
            }
            for (final JsonNode variable : dashboard.path("templating").path("list")) {
                final JsonNode query = variable.path("query");
                expressions.put(file.getFileName() + ": variable " + variable.path("name").asText(),
                        query.isObject() ? query.path("query").asText() : query.asText());
            }
        }
        return expressions;
    }

    /** A dashboard's panels, those inside collapsed rows too. */
    public static List<JsonNode> panels(final JsonNode dashboard) {
        final List<JsonNode> panels = new ArrayList<>();
        for (final JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /**
     * The metric names a PromQL expression (or Grafana's {@code label_values(metric, label)}) reads: identifiers that are
     * not functions, keywords, label names (in matchers, grouping clauses) or strings, numbers and durations left out.
     */
    public static Set<String> metricNames(final String expression) {
        final Set<String> names = new TreeSet<>();
        final Matcher labelValues = LABEL_VALUES.matcher(expression);
        if (labelValues.find()) {
            names.add(labelValues.group(1));
            return names;
        }
        String rest = STRING.matcher(expression).replaceAll("\"\"");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGE.matcher(rest).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        final Matcher name = NAME.matcher(rest);
        while (name.find()) {
            final String token = name.group(1);
            // (numbers such as 1e6 and durations such as 5m never match: NAME wants no word character before it)
            if (!KEYWORDS.contains(token.toLowerCase(java.util.Locale.ROOT)) && !SYNTHETIC.contains(token)) {
                names.add(token);
            }
        }
        return names;
    }

    /** The metric names read by every rule and dashboard, each with where it is read. */
    public Map<String, List<String>> everyMetricName() {
        final Map<String, List<String>> names = new java.util.TreeMap<>();
        final Map<String, String> all = new LinkedHashMap<>(ruleExpressions());
        all.putAll(dashboardExpressions());
        all.forEach((where, expression) -> metricNames(expression)
                .forEach(name -> names.computeIfAbsent(name, n -> new ArrayList<>()).add(where)));
        return names;
    }

    /**
     * A dashboard query as plain PromQL: Grafana's interval and range variables as durations, template variables as
     * match-anything (for syntax checks outside Grafana).
     */
    public static String asPromQl(final String expression) {
        return expression.replace("$__rate_interval", "5m").replace("$__interval", "1m").replace("$__range", "6h")
                .replaceAll("\\$[a-zA-Z_]+", ".*");
    }

    private static List<Path> files(final Path dir, final String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
