package dev.imagegallery.bench;

import dev.imagegallery.api.ImageVersion;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * When each of the benchmark's versions (every namespace, by label) was first seen Ready at its
 * generation, by {@code namespace/name}; names and times only, so the harness holds no copy of
 * the objects.
 */
final class ReadyVersions implements Watcher<ImageVersion>, AutoCloseable {
    private final KubernetesClient client;
    private final String label;
    private final String value;
    private final Map<String, Long> readyNanos = new ConcurrentHashMap<>();
    private volatile Watch watch;
    private volatile boolean broken;

    private ReadyVersions(KubernetesClient client, String label, String value, boolean existing) {
        this.client = client;
        this.label = label;
        this.value = value;
        listAndWatch(existing);
    }

    /** The versions there are and those to come. */
    static ReadyVersions all(KubernetesClient client, String label, String value) {
        return new ReadyVersions(client, label, value, true);
    }

    /**
     * Only the versions created from now on: no list of the versions there are, which at M = 20,000 would
     * be a response of some 100 MB, parsed by the harness and encoded by the API server on the same two
     * cores while the new versions are timed.
     */
    static ReadyVersions created(KubernetesClient client, String label, String value) {
        return new ReadyVersions(client, label, value, false);
    }

    private void listAndWatch(boolean existing) {
        var versions = client.resources(ImageVersion.class).inAnyNamespace().withLabel(label, value);
        var list = existing
                ? versions.list()
                : versions.list(new ListOptionsBuilder().withLimit(1L).build());
        if (existing) {
            list.getItems().forEach(this::update);
        }
        broken = false;
        watch = versions.watch(
                new ListOptionsBuilder()
                        .withResourceVersion(list.getMetadata().getResourceVersion())
                        .build(),
                this);
    }

    @Override
    public void eventReceived(Action action, ImageVersion version) {
        if (action == Action.DELETED) {
            readyNanos.remove(key(version));
        } else {
            update(version);
        }
    }

    private void update(ImageVersion version) {
        boolean isReady = version.getStatus() != null
                && version.getStatus().conditions != null
                && version.getStatus().conditions.stream()
                        .anyMatch(c -> c.type.equals("Ready")
                                && c.status.name().equals("True")
                                && Objects.equals(
                                        c.observedGeneration,
                                        version.getMetadata().getGeneration()));
        if (isReady) {
            readyNanos.putIfAbsent(key(version), System.nanoTime());
        }
    }

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static String key(ImageVersion version) {
        return key(version.getMetadata().getNamespace(), version.getMetadata().getName());
    }

    /** When the version was first seen Ready ({@link System#nanoTime()}), if it was. */
    Long readyAt(String key) {
        return readyNanos.get(key);
    }

    /** Waits until {@code count} versions are Ready. */
    void awaitReady(int count, Duration timeout) throws InterruptedException {
        await(() -> readyNanos.size(), count, timeout);
    }

    /** Waits until each of these versions ({@link #key}) is Ready. */
    void awaitReady(Collection<String> keys, Duration timeout) throws InterruptedException {
        await(() -> (int) keys.stream().filter(readyNanos::containsKey).count(), keys.size(), timeout);
    }

    /** A broken watch (resource version too old) is started again from a list of every version. */
    private void await(IntSupplier ready, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ready.getAsInt() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "only " + ready.getAsInt() + " of " + count + " versions Ready after " + timeout);
            }
            if (broken) {
                listAndWatch(true);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void onClose(WatcherException cause) {
        broken = true;
    }

    @Override
    public void close() {
        watch.close();
    }
}
