package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.placement.PlacedVersion;
import dev.imagegallery.placement.PlacementEngine;
import dev.imagegallery.placement.PlacementResult;
import dev.imagegallery.placement.StoreLoads;
import dev.imagegallery.reconciler.PlacementInputs;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Places versions one at a time, against the loads of every other version as this operator last
 * placed it: the informer cache shows a placement only once its status is written, so two versions
 * placed at once from the cache could both take the last room of a store. Versions this operator has
 * not placed since it started count as their status records them.
 */
@Singleton
public class PlacementLedger {
    private final Map<String, PlacedVersion> placedHere = new HashMap<>();

    /** Places the version ({@code sizeBytes} a replica) among {@code versions} (the cache, itself included). */
    synchronized PlacementResult place(ObservedVersion observed, long sizeBytes, Stream<ImageVersion> versions) {
        String self = PlacementInputs.key(observed.version());
        StoreLoads others = StoreLoads.aggregate(
                versions.filter(v -> !PlacementInputs.key(v).equals(self))
                        .map(this::placed)
                        .toList());
        PlacedVersion current = placedHere.getOrDefault(self, observed.record().placedVersion(self));
        PlacementResult result = PlacementEngine.place(
                PlacementInputs.request(observed.version(), sizeBytes),
                PlacementInputs.catalogue(observed.catalogue().regions()),
                current.replicasByRegion(),
                others);
        placedHere.put(self, new PlacedVersion(self, sizeBytes, result.replicasByRegion()));
        return result;
    }

    /** Forgets a version that is gone. */
    synchronized void forget(ImageVersion version) {
        placedHere.remove(PlacementInputs.key(version));
    }

    private PlacedVersion placed(ImageVersion version) {
        PlacedVersion here = placedHere.get(PlacementInputs.key(version));
        return here != null ? here : PlacementInputs.placed(version);
    }
}
