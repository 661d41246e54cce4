package io.smsreports.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring files under {@code ops/} are well-formed and wired together: the rules and the dashboards' queries are
 * valid PromQL (checked by Prometheus' own {@code promtool} where it is installed; {@code .ci/run} installs it), the
 * dashboards use the provisioned datasource, and docker-compose mounts what the provisioning files point at. That every
 * metric they name is exported is checked against running services by {@code QueryApiIntegrationTest}.
 */
class MonitoringAssetsTest {

    private final MonitoringAssets assets = MonitoringAssets.ofRepository();

    @Test
    void shouldFindTheMetricNamesOfAnExpressionAndNothingElse() {
        assertThat(MonitoringAssets.metricNames("sum by (campaign, currency) (sms_campaign_spend_micros{campaign=~\"$campaign\","
                + "kind=\"spend\"}) / 1e6")).containsExactly("sms_campaign_spend_micros");
        assertThat(MonitoringAssets.metricNames("max(sms_freshness_lag_seconds) > 900 and on() sum(sms_input_lag_records) > 0"))
                .containsExactly("sms_freshness_lag_seconds", "sms_input_lag_records");
        assertThat(MonitoringAssets.metricNames("increase(kafka_stream_failed_stream_threads_total[10m]) > 0 or "
                + "sum by (instance) (kafka_stream_alive_stream_threads) == 0 offset 5m"))
                .containsExactly("kafka_stream_alive_stream_threads", "kafka_stream_failed_stream_threads_total");
        assertThat(MonitoringAssets.metricNames("label_values(sms_campaign_messages, campaign)")).containsExactly("sms_campaign_messages");
        assertThat(MonitoringAssets.metricNames("up{job=\"sms-reports\"} == 0")).as("Prometheus' own series").isEmpty();
    }

    @Test
    void shouldHaveRulesAndDashboardPanelsForWhatOperatorsWatch() {
        final Map<String, String> rules = assets.ruleExpressions();
        assertThat(rules.keySet()).as("alerting rules").anySatisfy(r -> assertThat(r).contains("ConsumerLag"))
                .anySatisfy(r -> assertThat(r).contains("Stale")).anySatisfy(r -> assertThat(r).contains("StreamThreadDied"))
                .anySatisfy(r -> assertThat(r).contains("ServerErrors")).anySatisfy(r -> assertThat(r).contains("DeadLetters"));
        final Map<String, List<String>> names = assets.everyMetricName();
        assertThat(names.keySet()).as("metrics the dashboards and rules read").contains("kafka_consumer_fetch_manager_records_consumed_total",
                "sms_input_lag_records", "sms_freshness_lag_seconds", "sms_campaign_messages", "sms_route_messages",
                "sms_campaign_spend_micros", "sms_alerts_open", "http_server_requests_seconds_count", "sms_restore_remaining_offsets",
                "kafka_stream_failed_stream_threads_total", "sms_dead_letter_records_total");
        for (final Map.Entry<String, String> query : assets.dashboardExpressions().entrySet()) {
            assertThat(query.getValue()).as(query.getKey()).isNotBlank();
            assertThat(MonitoringAssets.metricNames(query.getValue())).as("%s reads a metric", query.getKey()).isNotEmpty();
        }
    }

    @Test
    void shouldUseTheProvisionedDatasourceAndPathsThatDockerComposeMounts() throws IOException {
        final Path provisioning = assets.ops().resolve("grafana/provisioning");
        final JsonNode datasource = assets.yaml(provisioning.resolve("datasources/prometheus.yml")).path("datasources").get(0);
        final String uid = datasource.path("uid").asText();
        assertThat(uid).isNotBlank();
        for (final Path file : assets.dashboards()) {
            final JsonNode dashboard = assets.json(file);
            assertThat(dashboard.path("uid").asText()).as("%s has a stable uid (links survive re-provisioning)", file).isNotBlank();
            for (final JsonNode panel : MonitoringAssets.panels(dashboard)) {
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                assertThat(panel.path("datasource").path("uid").asText()).as("%s: %s", file.getFileName(), panel.path("title").asText())
                        .isEqualTo(uid);
                assertThat(panel.path("targets")).as("%s: %s has queries", file.getFileName(), panel.path("title").asText()).isNotEmpty();
            }
        }
        final String compose = Files.readString(assets.ops().getParent().resolve("docker-compose.yml"), StandardCharsets.UTF_8);
        final String dashboardsPath = assets.yaml(provisioning.resolve("dashboards/sms-reports.yml")).path("providers").get(0)
                .path("options").path("path").asText();
        assertThat(compose).contains("./ops/grafana/dashboards:" + dashboardsPath + ":ro")
                .contains("./ops/grafana/provisioning:/etc/grafana/provisioning:ro")
                .contains("./ops/prometheus/rules:/etc/prometheus/rules:ro");
        assertThat(assets.yaml(assets.ops().resolve("prometheus/prometheus.yml")).path("rule_files").get(0).asText())
                .startsWith("/etc/prometheus/rules/");
        assertThat(datasource.path("url").asText()).as("the datasource points at the compose service").isEqualTo("http://prometheus:9090");
    }

    /** promtool parses the rules, the configuration, and every dashboard query (as recording rules of a scratch file). */
    @Test
    void shouldBeValidForPrometheusItself(@TempDir final Path scratch) throws Exception {
        final String promtool = promtool();
        Assumptions.assumeTrue(promtool != null, "promtool is not installed (Debian package prometheus; .ci/run installs it): "
                + "the rules and queries are not checked by Prometheus here");
        for (final Path rules : assets.ruleFiles()) {
            assertThat(run(promtool, "check", "rules", rules.toString())).as("promtool check rules %s", rules).startsWith("0\n");
        }
        final Path config = scratch.resolve("prometheus.yml");
        // rule_files points inside the container: check the configuration with the repository's rules instead
        Files.writeString(config, Files.readString(assets.ops().resolve("prometheus/prometheus.yml"))
                .replace("/etc/prometheus/rules/", assets.ops().resolve("prometheus/rules").toString() + "/"));
        assertThat(run(promtool, "check", "config", config.toString())).as("promtool check config").startsWith("0\n");

        final List<String> lines = new ArrayList<>(List.of("groups:", "  - name: dashboard-queries", "    rules:"));
        int n = 0;
        for (final Map.Entry<String, String> query : assets.dashboardExpressions().entrySet()) {
            if (query.getKey().contains(": variable ")) {
                continue; // Grafana's label_values(), not PromQL
            }
            lines.add("      - record: dashboard:query_" + n++);
            lines.add("        expr: '" + MonitoringAssets.asPromQl(query.getValue()).replace("'", "''") + "'");
        }
        final Path queries = scratch.resolve("dashboard-queries.yml");
        Files.write(queries, lines);
        assertThat(run(promtool, "check", "rules", queries.toString())).as("every dashboard query is PromQL").startsWith("0\n");
    }

    private static String promtool() {
        for (final String candidate : new String[] {System.getenv("PROMTOOL"), "/usr/bin/promtool", "/usr/local/bin/promtool"}) {
            if (candidate != null && Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    /** The exit code, a newline, and the output (stdout and stderr). */
    private static String run(final String... command) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "timeout\n" + output;
        }
        return process.exitValue() + "\n" + output;
    }
}
