package dev.imagegallery.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests to an API group (imagegallery.dev unless said) as the API server itself counts them
 * ({@code apiserver_request_total} on its /metrics), by verb, resource and subresource. Counters
 * are cluster-wide and cumulative: take one before and one after, and subtract.
 */
public record ApiServerRequests(Map<Kind, Long> counts) {
    /** One kind of request, e.g. APPLY imageversions/status. */
    public record Kind(String verb, String resource, String subresource) implements Comparable<Kind> {
        @Override
        public int compareTo(Kind other) {
            return toString().compareTo(other.toString());
        }

        public boolean isWrite() {
            return WRITE_VERBS.contains(verb);
        }

        @Override
        public String toString() {
            return verb + " " + resource + (subresource.isEmpty() ? "" : "/" + subresource);
        }
    }

    private static final Set<String> WRITE_VERBS =
            Set.of("APPLY", "CREATE", "DELETE", "DELETECOLLECTION", "PATCH", "UPDATE");
    private static final Pattern LINE = Pattern.compile("^apiserver_request_total\\{([^}]*)} (\\d+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** The counters of the imagegallery.dev group now. */
    public static ApiServerRequests read(KubernetesClient client) {
        return read(client, "imagegallery.dev");
    }

    /** The counters of an API group now ("" for the core group: Events, Secrets, ...). */
    public static ApiServerRequests read(KubernetesClient client, String group) {
        Map<Kind, Long> counts = new TreeMap<>();
        for (String line : client.raw("/metrics").split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            Matcher label = LABEL.matcher(m.group(1));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
            if (group.equals(labels.getOrDefault("group", ""))) {
                // One series per response code (and scope): sum them.
                counts.merge(
                        new Kind(labels.get("verb"), labels.get("resource"), labels.getOrDefault("subresource", "")),
                        Long.parseLong(m.group(2)),
                        Long::sum);
            }
        }
        return new ApiServerRequests(counts);
    }

    /** The requests made since {@code earlier}; kinds with none left out. */
    public ApiServerRequests since(ApiServerRequests earlier) {
        Map<Kind, Long> delta = new TreeMap<>();
        counts.forEach((kind, count) -> {
            long d = count - earlier.counts.getOrDefault(kind, 0L);
            if (d != 0) {
                delta.put(kind, d);
            }
        });
        return new ApiServerRequests(delta);
    }

    /** Every write (create, update, patch, apply, delete) to any of our kinds. */
    public long writes() {
        return counts.entrySet().stream()
                .filter(e -> e.getKey().isWrite())
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** Writes to the status subresource of one resource, e.g. imageversions. */
    public long statusWrites(String resource) {
        return counts.entrySet().stream()
                .filter(e -> e.getKey().isWrite()
                        && e.getKey().resource().equals(resource)
                        && e.getKey().subresource().equals("status"))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }
}
