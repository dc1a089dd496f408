package dev.imagegallery.bench;

import dev.imagegallery.api.ImageVersion;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The names of a namespace's Ready versions, kept by a watch (names only, so the harness holds no copy of the objects). */
final class ReadyVersions implements Watcher<ImageVersion>, AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final Set<String> ready = ConcurrentHashMap.newKeySet();
    private volatile Watch watch;
    private volatile boolean broken;

    ReadyVersions(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        listAndWatch();
    }

    private void listAndWatch() {
        var versions = client.resources(ImageVersion.class).inNamespace(namespace);
        var list = versions.list();
        ready.clear();
        list.getItems().forEach(this::update);
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
            ready.remove(version.getMetadata().getName());
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
            ready.add(version.getMetadata().getName());
        } else {
            ready.remove(version.getMetadata().getName());
        }
    }

    @Override
    public void onClose(WatcherException cause) {
        broken = true;
    }

    /** Waits until {@code count} versions are Ready; a broken watch (resource version too old) is started again from a list. */
    void awaitReady(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ready.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "only " + ready.size() + " of " + count + " versions Ready after " + timeout);
            }
            if (broken) {
                listAndWatch();
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        watch.close();
    }
}
