package dev.imagegallery.stores;

import dev.imagegallery.config.NamespaceConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The Secrets that Regions name for their stores, read from the operator's own namespace only (the
 * platform admin's, never a tenant's). Each Secret is read once and kept until a watch on the
 * namespace tells it changed, so that a rotated Secret takes effect at the next use without a
 * restart, and listeners hear which Secret changed. The operator needs only {@code get} and
 * {@code watch} on Secrets there: the watch lists nothing.
 *
 * <p>Values are never logged; only Secret names and key names appear in messages.
 */
@Singleton
public class StoreSecrets {
    private static final Logger LOG = Logger.getLogger(StoreSecrets.class);

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Optional<Map<String, String>>> cache = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    /** Secrets some store named: only their changes concern listeners, not those of every Secret in the namespace. */
    private final Set<String> named = ConcurrentHashMap.newKeySet();
    /** Counts changes, so that a read that raced with a change is not kept. */
    private final AtomicLong changes = new AtomicLong();

    private Watch watch;

    @Inject
    public StoreSecrets(KubernetesClient client, NamespaceConfig config) {
        this(client, config.namespace());
    }

    public StoreSecrets(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public String namespace() {
        return namespace;
    }

    /** Calls {@code listener} with the name of every Secret a store named that was added, changed or deleted since. */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /**
     * The decoded data of the Secret {@code name}, or empty when it does not exist.
     *
     * @throws KubernetesClientException when the API server cannot be asked (a transient failure)
     */
    public Optional<Map<String, String>> data(String name) {
        named.add(name);
        watchOnce();
        Optional<Map<String, String>> known = cache.get(name);
        if (known != null) {
            return known;
        }
        long changesBefore = changes.get();
        Optional<Map<String, String>> read = Optional.ofNullable(
                        client.secrets().inNamespace(namespace).withName(name).get())
                .map(StoreSecrets::decoded);
        if (watching() && changes.get() == changesBefore) {
            cache.put(name, read);
        }
        return read;
    }

    private static Map<String, String> decoded(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        return data.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(
                        Map.Entry::getKey,
                        e -> new String(Base64.getMimeDecoder().decode(e.getValue()), StandardCharsets.UTF_8)));
    }

    private synchronized boolean watching() {
        return watch != null;
    }

    /** Starts the watch before the first read, so that no change after a read goes unnoticed. */
    private synchronized void watchOnce() {
        if (watch != null) {
            return;
        }
        try {
            watch = client.secrets().inNamespace(namespace).watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Secret secret) {
                    changed(secret.getMetadata().getName());
                }

                @Override
                public void onClose(WatcherException cause) {
                    restart(cause);
                }
            });
        } catch (KubernetesClientException e) {
            // Without the watch every use reads the Secret again: slower, never stale.
            LOG.warnf(
                    "Cannot watch Secrets in namespace %s (%s); store Secrets are read at every use",
                    namespace, e.getMessage());
        }
    }

    private void changed(String name) {
        changes.incrementAndGet();
        cache.remove(name);
        if (named.contains(name)) {
            listeners.forEach(listener -> listener.accept(name));
        }
    }

    private synchronized void restart(WatcherException cause) {
        LOG.infof("The watch on Secrets in namespace %s ended (%s); reading them anew", namespace, cause.getMessage());
        watch = null;
        changes.incrementAndGet();
        // Changes made while nobody watched are unknown: forget everything and tell every listener.
        cache.clear();
        named.forEach(name -> listeners.forEach(listener -> listener.accept(name)));
    }

    @PreDestroy
    public synchronized void close() {
        if (watch != null) {
            watch.close();
        }
    }
}
