package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.placement.PlacedVersion;
import dev.imagegallery.placement.PlacementEngine;
import dev.imagegallery.placement.PlacementResult;
import dev.imagegallery.placement.StoreLoadIndex;
import dev.imagegallery.placement.StoreLoads;
import dev.imagegallery.reconciler.PlacementInputs;
import io.javaoperatorsdk.operator.ReconcilerUtilsInternal;
import jakarta.inject.Singleton;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Places versions one at a time, against the loads of every other version as this operator last
 * placed it: the informer cache shows a placement only once its status is written, so two versions
 * placed at once from the cache could both take the last room of a store. The loads are summed once,
 * from the statuses of the versions this operator holds a finalizer on (those whose replicas it owns
 * and forgets when they go), then kept as versions are placed and forgotten ({@link StoreLoadIndex}).
 */
@Singleton
public class PlacementLedger {
    private static final String FINALIZER = ReconcilerUtilsInternal.getDefaultFinalizerName(ImageVersion.class);

    private StoreLoadIndex index;

    /** Places the version ({@code sizeBytes} a replica, all its disks); {@code versions}: every cached version, read on first use. */
    synchronized PlacementResult place(
            ObservedVersion observed, long sizeBytes, Supplier<Stream<ImageVersion>> versions) {
        StoreLoadIndex loads = index(versions);
        String self = PlacementInputs.key(observed.version());
        PlacedVersion current =
                loads.get(self).orElseGet(() -> observed.record().placedVersion(self, observed.spec()));
        PlacementResult result = PlacementEngine.place(
                PlacementInputs.request(observed.version(), observed.targets(), sizeBytes),
                PlacementInputs.catalogue(observed.catalogue().regions()),
                current.replicasByRegion(),
                loads.without(self));
        loads.put(new PlacedVersion(self, sizeBytes, result.replicasByRegion()));
        return result;
    }

    /** What every store holds, for the Regions' status; {@code versions}: every cached version, read on first use. */
    public synchronized StoreLoads loads(Supplier<Stream<ImageVersion>> versions) {
        return index(versions).loads();
    }

    /** Forgets a version that is gone. */
    synchronized void forget(ImageVersion version) {
        if (index != null) {
            index.remove(PlacementInputs.key(version));
        }
    }

    private StoreLoadIndex index(Supplier<Stream<ImageVersion>> versions) {
        if (index == null) {
            index = new StoreLoadIndex();
            versions.get()
                    .filter(v -> v.getMetadata().getFinalizers().contains(FINALIZER))
                    .map(PlacementInputs::placed)
                    .forEach(index::put);
        }
        return index;
    }
}
