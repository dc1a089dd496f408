package dev.imagegallery.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.Predicate;
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

    /** The API server's verbs are HTTP methods, refined (LIST and WATCH of a GET, APPLY of a PATCH): a create is a POST. */
    private static final Set<String> WRITE_VERBS =
            Set.of("APPLY", "DELETE", "DELETECOLLECTION", "PATCH", "POST", "PUT");

    private static final Pattern LINE = Pattern.compile("^apiserver_request_total\\{([^}]*)} (\\d+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** The counters of the imagegallery.dev group now. */
    public static ApiServerRequests read(KubernetesClient client) {
        return read(client, "imagegallery.dev");
    }

    /** The counters of an API group now ("" for the core group: Events, Secrets, ...). */
    public static ApiServerRequests read(KubernetesClient client, String group) {
        return read(client, group::equals, (resource, ofGroup) -> resource);
    }

    /**
     * The counters of every API group now, each resource named as kubectl names it, {@code
     * resource.group} ({@code roles.rbac.authorization.k8s.io}; the core group's bare: {@code
     * events}). Requests to no resource (/metrics, /healthz) are left out.
     */
    public static ApiServerRequests everyGroup(KubernetesClient client) {
        return read(
                client,
                group -> true,
                (resource, group) -> resource.isEmpty() || group.isEmpty() ? resource : resource + "." + group);
    }

    private static ApiServerRequests read(
            KubernetesClient client, Predicate<String> groups, BinaryOperator<String> resourceName) {
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
            String group = labels.getOrDefault("group", "");
            String resource = labels.getOrDefault("resource", "");
            if (groups.test(group) && !resource.isEmpty()) {
                // One series per response code (and scope): sum them.
                counts.merge(
                        new Kind(
                                labels.get("verb"),
                                resourceName.apply(resource, group),
                                labels.getOrDefault("subresource", "")),
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
