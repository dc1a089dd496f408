package dev.imagegallery.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metrics the README's "Metrics" table promises, as tests read them. */
final class DocumentedMetrics {
    /** When each series is first exported, in the words of the table's "Appears" column. */
    static final Set<String> WITH_THE_OPERATOR =
            Set.of("at start", "first reconcile", "first failed reconcile", "first retry", "first store audit");

    static final Set<String> WITH_REPLICATION =
            Set.of("first copy", "first failed copy", "first replica found in place");

    /** One row: the metric's name, the series names it is exported as, and when it first appears. */
    record Metric(String name, List<String> series, String appears) {}

    private static final Pattern SUFFIX = Pattern.compile("`(_[a-z]+)`");

    private DocumentedMetrics() {}

    static List<Metric> all() {
        String readme;
        try {
            readme = Files.readString(Path.of("README.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String section = readme.substring(readme.indexOf("\n## Metrics\n"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        List<Metric> metrics = new ArrayList<>();
        for (String row : section.lines()
                .filter(l -> l.startsWith("| `") && !l.startsWith("| `ImageGallery"))
                .toList()) {
            String[] cells = row.split("\\|");
            String name = cells[1].strip().replace("`", "");
            List<String> series = new ArrayList<>();
            Matcher suffixes = SUFFIX.matcher(cells[2]);
            while (suffixes.find()) {
                series.add(name + suffixes.group(1));
            }
            metrics.add(new Metric(name, series.isEmpty() ? List.of(name) : series, cells[4].strip()));
        }
        return metrics;
    }
}
