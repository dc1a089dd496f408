package dev.imagegallery.reconciler;

import dev.imagegallery.api.ImageVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The operator's one cache of image versions, the version controller's own informer, read by every
 * controller: at startup the API server lists the versions once, not once per controller that reads
 * them, and the heap holds each version once. The cache's store ({@link CachedFields.CompactVersions})
 * reports each change it takes, before and after; the feed keeps its versions by definition and by
 * namespace and target region from these reports, then passes them on to the controllers'
 * {@link #eventSource event sources}, so that a controller woken by a change reads the versions with
 * that change in them.
 */
@Singleton
public class VersionFeed {
    private static final Logger LOG = Logger.getLogger(VersionFeed.class);
    private static final Duration SYNC_POLL = Duration.ofMillis(20);

    private final Index byDefinition =
            new Index(v -> List.of(Keys.of(v.getMetadata().getNamespace(), v.getSpec().imageDefinitionName)));
    /** What a namespace's quotas of a region count, kept as the versions change rather than counted anew. */
    private final Index byNamespaceAndTarget = new Index(v -> v.getSpec().publishingProfile.targetRegions.stream()
            .map(t -> Keys.of(v.getMetadata().getNamespace(), t.name))
            .distinct()
            .toList());

    private final List<BiConsumer<ImageVersion, ImageVersion>> listeners = new CopyOnWriteArrayList<>();
    private volatile IndexerResourceCache<ImageVersion> cache;

    /** Called by the version controller with its cache, before the informers start. */
    public void attach(IndexerResourceCache<ImageVersion> versions) {
        this.cache = versions;
    }

    /** One change of the cache: {@code older} null for a version added, {@code newer} null for one removed. */
    public void changed(ImageVersion older, ImageVersion newer) {
        byDefinition.update(older, newer);
        byNamespaceAndTarget.update(older, newer);
        for (var listener : listeners) {
            try {
                listener.accept(older, newer);
            } catch (RuntimeException e) {
                // The cache takes the change all the same: its informer would stop on a store that throws.
                LOG.errorf(
                        e,
                        "a listener of the version cache failed on a change of %s",
                        Keys.of(newer == null ? older : newer));
            }
        }
    }

    /** Hears of every change, as {@link #changed} reports it, from the first version listed on. */
    public void listen(BiConsumer<ImageVersion, ImageVersion> listener) {
        listeners.add(listener);
    }

    /** The versions of a definition. */
    public List<ImageVersion> ofDefinition(String namespace, String definition) {
        return versions(byDefinition.ids(Keys.of(namespace, definition))).stream()
                .toList();
    }

    /**
     * The versions of a namespace that target a region, read as they are iterated: their number costs
     * nothing, so a quota with room never reads them.
     */
    public Collection<ImageVersion> targeting(String namespace, String region) {
        return versions(byNamespaceAndTarget.ids(Keys.of(namespace, region)));
    }

    private Collection<ImageVersion> versions(Set<ResourceID> ids) {
        return new AbstractCollection<>() {
            @Override
            public Iterator<ImageVersion> iterator() {
                return ids.stream()
                        .map(id -> cache.get(id))
                        .flatMap(Optional::stream)
                        .iterator();
            }

            @Override
            public int size() {
                return ids.size();
            }

            /**
             * Without a size: versions come and go while they are read, and a stream told a size
             * fails ("Accept exceeded fixed size") when more come than it was told.
             */
            @Override
            public Spliterator<ImageVersion> spliterator() {
                return Spliterators.spliteratorUnknownSize(iterator(), Spliterator.NONNULL);
            }
        };
    }

    /** Every cached version. */
    public Stream<ImageVersion> all() {
        return cache.list();
    }

    /** Whether a change added or removed a version: all some readers care for, as the fields they read never change. */
    public static boolean addedOrRemoved(ImageVersion older, ImageVersion newer) {
        return older == null || newer == null;
    }

    /**
     * An event source of a controller that reads versions: a change that {@code concerns} the controller wakes
     * the {@code primaries} of the version before and after it. It starts once the versions are listed, so
     * that the controller's first reconciles read all of them.
     */
    public <P extends HasMetadata> EventSource<Void, P> eventSource(
            String name,
            EventSourceContext<P> context,
            BiPredicate<ImageVersion, ImageVersion> concerns,
            Function<ImageVersion, Stream<ResourceID>> primaries) {
        Duration syncTimeout =
                context.getControllerConfiguration().getConfigurationService().cacheSyncTimeout();
        var source = new SimpleInboundEventSource<P>(name) {
            @Override
            public void start() {
                awaitListed(syncTimeout);
                super.start();
            }
        };
        // Changes before the start concern no one: the controller's first reconciles come after it.
        listen((older, newer) -> {
            if (source.isRunning() && concerns.test(older, newer)) {
                Stream.of(older, newer)
                        .filter(Objects::nonNull)
                        .flatMap(primaries)
                        .distinct()
                        .forEach(source::propagateEvent);
            }
        });
        return source;
    }

    /** Versions by the keys a function gives each, kept from the changes. */
    private static final class Index {
        private final Function<ImageVersion, List<String>> keys;
        private final Map<String, Set<ResourceID>> ids = new ConcurrentHashMap<>();

        Index(Function<ImageVersion, List<String>> keys) {
            this.keys = keys;
        }

        /** Adds before it removes, and removes only the keys the version lost: a reader never misses a version that stays. */
        void update(ImageVersion older, ImageVersion newer) {
            List<String> kept = newer == null ? List.of() : keys.apply(newer);
            for (String key : kept) {
                ids.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(ResourceID.fromResource(newer));
            }
            if (older != null) {
                for (String key : keys.apply(older)) {
                    if (!kept.contains(key)) {
                        ids.computeIfPresent(key, (k, held) -> {
                            held.remove(ResourceID.fromResource(older));
                            return held.isEmpty() ? null : held;
                        });
                    }
                }
            }
        }

        Set<ResourceID> ids(String key) {
            return ids.getOrDefault(key, Set.of());
        }
    }

    private void awaitListed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // The version controller's cache is an event source that runs once its informer has listed the versions.
        while (!(cache instanceof AbstractEventSource<?, ?> source && source.isRunning())) {
            if (System.nanoTime() > deadline) {
                throw new OperatorException("the image versions were not listed within " + timeout);
            }
            try {
                Thread.sleep(SYNC_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperatorException("interrupted while the image versions were listed", e);
            }
        }
    }
}
