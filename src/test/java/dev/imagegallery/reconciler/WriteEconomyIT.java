package dev.imagegallery.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionStatus;
import dev.imagegallery.testing.AuditLog;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.RestartedOperator;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import dev.imagegallery.testing.TestRegions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator writes a version's status only when it changes, a bounded number of times while it
 * replicates, and not at all after a restart; it reconciles a new version at most three times.
 * Counts, not timings: the same figures the scale benchmark (src/bench) reports at 5,000 and 20,000
 * versions, held here for 20. In this JVM rather than the packaged tier: the counts depend on the
 * reconcilers alone.
 */
class WriteEconomyIT {
    private static final int VERSIONS = 20;
    private static final int REGIONS = 3;

    // Longer than the shipped 3 s (and the tests' 1 s): a progress report is due to time, not to the version, and
    // the 120 copies of 4 KiB end within 1.1 s even on two busy cores. A version then reports only its end.
    @RegisterExtension
    static final TestOperator operator =
            TestOperator.withTestSettings(Map.of("image-gallery.replication.status-interval", "10s"));

    private final KubernetesClient client = TestCluster.client();

    @Test
    void everyStatusWriteIsARealChangeBoundedPerVersionAndARestartWritesNothing(@TempDir Path tmp) throws Exception {
        String ns = TestCluster.newNamespace("economy");
        String id = UUID.randomUUID().toString().substring(0, 6);
        List<Map<String, Object>> targets = new ArrayList<>();
        for (String region : new String[] {"a", "b", "c"}) {
            String name = "we-" + id + "-" + region;
            TestRegions.withDirectoryStores(client, name, tmp, "s1", "s2");
            targets.add(Map.of("name", name));
        }
        Source source = Source.of(tmp.resolve("source/image.img"), 4096);
        client.resource(Examples.get("Gallery", "contoso.images", ns)).create();
        client.resource(Examples.get("ImageDefinition", "ubuntu-22.04", ns)).create();

        // The namespace's versions, watched from before the writes are counted.
        StatusHistory history = new StatusHistory();
        var versions = client.resources(ImageVersion.class).inNamespace(ns);
        var existing = versions.list();
        Instant before;
        try (Watch watch = versions.watch(
                new ListOptionsBuilder()
                        .withResourceVersion(existing.getMetadata().getResourceVersion())
                        .build(),
                history)) {
            before = Instant.now();
            IntStream.range(0, VERSIONS)
                    .parallel()
                    .forEach(i -> client.resource(Examples.version(
                                    ns,
                                    "ubuntu-22.04-1.0." + i,
                                    "ubuntu-22.04",
                                    "1.0." + i,
                                    targets.get(0).get("name").toString(),
                                    source.path().toUri().toString(),
                                    source.sha256(),
                                    source.size(),
                                    targets))
                            .create());
            for (int i = 0; i < VERSIONS; i++) {
                Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0." + i, "Ready", "True", "Replicated");
            }
            // Until the operator is idle and the watch has seen every version as it is now.
            operator.activity().awaitSettled(versions.list().getItems(), Duration.ofSeconds(60));
            List<ImageVersion> settled = versions.list().getItems();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> history.hasSeen(settled));
            List<AuditLog.Write> statusWrites = AuditLog.writesSince(
                    before,
                    w -> ns.equals(w.namespace())
                            && w.resource().equals("imageversions")
                            && "status".equals(w.subresource()));

            assertThat(history.closedBy)
                    .as("the watch of the versions broke off")
                    .isNull();
            assertThat(statusWrites)
                    .as("status writes to imageversions the API server audited, against the status changes watched")
                    .hasSize(IntStream.range(0, VERSIONS)
                            .map(i -> history.statusesOf(ns + "/ubuntu-22.04-1.0." + i)
                                    .size())
                            .sum());
            // Finalizer; placement, status and copies; Ready. The fan-out starts where the first copy ends.
            Map<String, Integer> reconciles = new TreeMap<>();
            settled.forEach(v -> reconciles.put(
                    v.getMetadata().getName(), operator.activity().reconciles(v)));
            assertThat(reconciles)
                    .as("reconciles of each version")
                    .allSatisfy((name, count) -> assertThat(count).isLessThanOrEqualTo(3));
            for (int i = 0; i < VERSIONS; i++) {
                String key = ns + "/ubuntu-22.04-1.0." + i;
                List<ImageVersionStatus> statuses = history.statusesOf(key);
                assertThat(history.repeatedStatusWrites(key))
                        .as("status writes of %s that changed nothing", key)
                        .isZero();
                assertThat(statuses)
                        .as("status writes of %s: %s", key, statuses)
                        .hasSizeLessThanOrEqualTo((int) distinctStates(statuses))
                        .hasSizeLessThanOrEqualTo(2 + REGIONS);
            }
        }

        assertThat(RestartedOperator.writesAfterRestart(operator))
                .as("writes after the restart")
                .isEmpty();
    }

    /** How many different states (conditions, aggregated and per-region replication state) the statuses show. */
    private static long distinctStates(List<ImageVersionStatus> statuses) {
        return statuses.stream()
                .map(s -> List.of(
                        s.conditions == null
                                ? List.of()
                                : s.conditions.stream()
                                        .map(c -> c.type + "=" + c.status + "/" + c.reason)
                                        .sorted()
                                        .toList(),
                        s.replicationStatus == null ? "" : String.valueOf(s.replicationStatus.aggregatedState),
                        s.replicationStatus == null || s.replicationStatus.summary == null
                                ? List.of()
                                : s.replicationStatus.summary.stream()
                                        .map(r -> r.region + "=" + r.state)
                                        .toList()))
                .distinct()
                .count();
    }

    /** Each watched version's events, split into metadata changes and status writes. */
    private final class StatusHistory implements Watcher<ImageVersion> {
        private final Map<String, ImageVersion> last = new ConcurrentHashMap<>();
        private final Map<String, List<ImageVersionStatus>> written = new ConcurrentHashMap<>();
        private final Map<String, Integer> repeats = new ConcurrentHashMap<>();

        @Override
        public void eventReceived(Action action, ImageVersion version) {
            String key = key(version);
            ImageVersion previous = last.put(key, version);
            if (action != Action.MODIFIED || previous == null || !sameMetadata(previous, version)) {
                return;
            }
            // Only the status (or nothing the user sees) changed: this event is a write to the status subresource.
            if (Objects.equals(asTree(previous.getStatus()), asTree(version.getStatus()))) {
                repeats.merge(key, 1, Integer::sum);
            } else {
                written.computeIfAbsent(key, k -> new ArrayList<>()).add(version.getStatus());
            }
        }

        private volatile WatcherException closedBy;

        @Override
        public void onClose(WatcherException cause) {
            closedBy = cause;
        }

        List<ImageVersionStatus> statusesOf(String key) {
            return written.getOrDefault(key, List.of());
        }

        int repeatedStatusWrites(String key) {
            return repeats.getOrDefault(key, 0);
        }

        /** Whether the last event of each version is the version as given. */
        boolean hasSeen(List<ImageVersion> versions) {
            return versions.stream()
                    .allMatch(v -> last.containsKey(key(v))
                            && last.get(key(v))
                                    .getMetadata()
                                    .getResourceVersion()
                                    .equals(v.getMetadata().getResourceVersion()));
        }

        private Object asTree(Object status) {
            return client.getKubernetesSerialization().convertValue(status, Object.class);
        }

        private static boolean sameMetadata(ImageVersion a, ImageVersion b) {
            var x = a.getMetadata();
            var y = b.getMetadata();
            return Objects.equals(x.getGeneration(), y.getGeneration())
                    && Objects.equals(x.getFinalizers(), y.getFinalizers())
                    && Objects.equals(x.getAnnotations(), y.getAnnotations())
                    && Objects.equals(x.getLabels(), y.getLabels())
                    && Objects.equals(x.getDeletionTimestamp(), y.getDeletionTimestamp());
        }

        private static String key(ImageVersion version) {
            return version.getMetadata().getNamespace() + "/"
                    + version.getMetadata().getName();
        }
    }
}
