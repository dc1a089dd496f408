package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.Store;
import dev.imagegallery.replication.ReplicaKey;
import java.util.Optional;

/**
 * A replica of a version in a store of its region, as the version controller copies and deletes it.
 *
 * @param storeSpec the store as the Region catalogue describes it; empty when the store left the catalogue
 */
record StoredReplica(ReplicaKey key, String store, String zone, Optional<Store> storeSpec) {
    /** The same replica on the same store: a moved replica keeps its key but is another object. */
    boolean sameReplicaAs(StoredReplica other) {
        return key.equals(other.key) && store.equals(other.store);
    }
}
