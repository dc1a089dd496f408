package dev.imagegallery.reconciler.definition;

import dev.imagegallery.api.Store;
import dev.imagegallery.config.ReplicationConfig;
import dev.imagegallery.reconciler.definition.LatestReplicas.RegionStore;
import dev.imagegallery.reconciler.definition.LatestReplicas.TagTarget;
import dev.imagegallery.replication.DefinitionKey;
import dev.imagegallery.replication.ObjectStore.LatestImage;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.StoreClients;
import dev.imagegallery.replication.StoreUnavailableException;
import dev.imagegallery.stores.StoreConnector;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Keeps each registry store's moving {@code latest} tag of a definition on the version {@link
 * LatestReplicas#tagTargets} names, and removes it where none is left. What was done is remembered
 * per store, so a definition's reconcile speaks to a registry only when its tag must move (and, after
 * a restart, once to check it).
 */
@Singleton
public class LatestTags {
    private final StoreConnector stores;
    private final StoreClients clients;
    private final Map<Tag, Optional<LatestImage>> applied = new ConcurrentHashMap<>();
    /** Tags whose last move failed: what they name is unknown until a move succeeds. */
    private final Set<Tag> unsettled = ConcurrentHashMap.newKeySet();

    /** One definition's tag in one registry store, as the store is reached now. */
    private record Tag(DefinitionKey definition, String region, String store, String endpoint) {}

    public LatestTags(StoreConnector stores, ReplicationConfig config) {
        this.stores = stores;
        this.clients = new StoreClients(config.connectTimeout());
    }

    /**
     * Moves the definition's tags to {@code targets}, in the registry stores that hold or held a
     * version of it ({@code holding}), and removes them where no target is left.
     *
     * @return what could not be done, in words; empty when every tag is where it belongs
     */
    List<String> move(
            DefinitionKey definition,
            Function<RegionStore, Optional<Store>> catalogue,
            Map<RegionStore, TagTarget> targets,
            Collection<RegionStore> holding) {
        Set<RegionStore> scope = new LinkedHashSet<>(targets.keySet());
        scope.addAll(holding);
        applied.forEach((tag, image) -> {
            if (tag.definition().equals(definition) && image.isPresent()) {
                scope.add(new RegionStore(tag.region(), tag.store()));
            }
        });
        unsettled.stream()
                .filter(tag -> tag.definition().equals(definition))
                .forEach(tag -> scope.add(new RegionStore(tag.region(), tag.store())));
        List<String> failures = new ArrayList<>();
        for (RegionStore place : scope) {
            Optional<Store> store = catalogue.apply(place).filter(s -> s.endpoint.startsWith("oci://"));
            if (store.isEmpty()) {
                continue;
            }
            Tag tag = new Tag(definition, place.region(), place.store(), store.get().endpoint);
            Optional<LatestImage> wanted = Optional.ofNullable(targets.get(place))
                    .map(t -> new LatestImage(
                            new ReplicaKey(definition.version(t.version()), place.region(), t.replicaIndex()),
                            t.sha256(),
                            t.sizeBytes()));
            if (wanted.equals(applied.get(tag))) {
                continue;
            }
            try {
                stores.open(store.get(), clients).moveLatest(definition, wanted);
                applied.put(tag, wanted);
                unsettled.remove(tag);
            } catch (StoreUnavailableException e) {
                // Kept in scope, so that the next reconcile tries again even when nothing names the store any more.
                applied.remove(tag);
                unsettled.add(tag);
                failures.add("the latest tag in store " + place.store() + " of region " + place.region()
                        + " could not be "
                        + wanted.map(w -> "moved to " + w.replica().version().version())
                                .orElse("removed") + ": " + e.getMessage());
            }
        }
        return failures;
    }

    /** Forgets the definition's tags, once it is gone. */
    void forget(DefinitionKey definition) {
        applied.keySet().removeIf(tag -> tag.definition().equals(definition));
        unsettled.removeIf(tag -> tag.definition().equals(definition));
    }
}
