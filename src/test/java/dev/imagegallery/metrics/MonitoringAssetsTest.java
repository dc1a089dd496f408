package dev.imagegallery.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard and the alert rules: valid, shipped the same by the chart, and built only on documented metrics. */
class MonitoringAssetsTest {
    private static final Path DASHBOARD = Path.of("deploy/monitoring/grafana-dashboard.json");
    private static final Path RULE = Path.of("deploy/monitoring/prometheus-rule.yaml");
    private static final Path CHART_FILES = Path.of("deploy/helm/image-gallery-operator/files");
    private static final Set<String> PROMQL_WORDS = Set.of(
            "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    @Test
    void theChartShipsTheSameDashboardAndRules() throws IOException {
        assertThat(Files.readString(CHART_FILES.resolve("grafana-dashboard.json")))
                .isEqualTo(Files.readString(DASHBOARD));
        JsonNode chartRules = new YAMLMapper()
                .readTree(CHART_FILES.resolve("alert-rules.yaml").toFile());
        assertThat(rule().get("spec")).isEqualTo(chartRules);
    }

    @Test
    void everyAlertSaysHowBadAndWhatToDoAndTheReadmeListsExactlyThem() throws IOException {
        List<String> alerts = new ArrayList<>();
        for (JsonNode alert : rule().at("/spec/groups/0/rules")) {
            alerts.add(alert.get("alert").asText());
            assertThat(alert.get("for").asText()).matches("\\d+[mh]");
            assertThat(alert.at("/labels/severity").asText()).isIn("info", "warning", "critical");
            assertThat(alert.at("/annotations/summary").asText()).isNotBlank();
            assertThat(alert.at("/annotations/description").asText()).isNotBlank();
        }
        String readme = Files.readString(Path.of("README.md"));
        List<String> documented = readme.lines()
                .filter(l -> l.startsWith("| `ImageGallery"))
                .map(l -> l.split("\\|")[1].strip().replace("`", ""))
                .toList();
        assertThat(alerts).containsExactlyInAnyOrderElementsOf(documented);
    }

    @Test
    void everyMetricTheDashboardAndAlertsQueryIsOneTheOperatorDocuments() throws IOException {
        Set<String> documented = new TreeSet<>();
        DocumentedMetrics.all().forEach(m -> documented.addAll(m.series()));
        List<String> expressions = new ArrayList<>();
        new ObjectMapper().readTree(DASHBOARD.toFile()).findValues("expr").forEach(e -> expressions.add(e.asText()));
        rule().findValues("expr").forEach(e -> expressions.add(e.asText()));

        Set<String> queried = new TreeSet<>();
        expressions.forEach(e -> queried.addAll(metricNames(e)));

        assertThat(expressions).hasSizeGreaterThan(10);
        assertThat(documented).containsAll(queried);
        assertThat(queried)
                .as("queried somewhere")
                .contains(
                        "imagegallery_imageversions",
                        "imagegallery_replication_bytes_total",
                        "reconciliations_failure_total",
                        "reconciliations_execution_duration_seconds_bucket");
    }

    @Test
    void metricNamesAreTheIdentifiersThatAreNotFunctionsLabelsOrKeywords() {
        assertThat(
                        metricNames(
                                "histogram_quantile(0.95, sum by (le, controller_name) (rate(x_bucket{a=\"b c\"}[5m]))) / y > bool 0"))
                .containsExactlyInAnyOrder("x_bucket", "y");
    }

    private static JsonNode rule() throws IOException {
        JsonNode rule = new YAMLMapper().readTree(RULE.toFile());
        assertThat(rule.get("kind").asText()).isEqualTo("PrometheusRule");
        return rule;
    }

    /** The metric names in a PromQL expression: label matchers, ranges and grouping clauses removed, function calls skipped. */
    static Set<String> metricNames(String expression) {
        String bare = expression
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            boolean call = bare.substring(identifier.end()).stripLeading().startsWith("(");
            if (!call && !PROMQL_WORDS.contains(identifier.group())) {
                names.add(identifier.group());
            }
        }
        return names;
    }
}
