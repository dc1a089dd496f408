package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.Store;
import dev.imagegallery.replication.ReplicaKey;
import java.util.List;
import java.util.Optional;

/**
 * A replica of a version in a store of its region, as the version controller copies and deletes it:
 * its OS disk, or, through {@link #onDisk}, one of its data disks, which share its store.
 *
 * @param storeSpec the store as the Region catalogue describes it; empty when the store left the catalogue
 */
record StoredReplica(ReplicaKey key, String store, String zone, Optional<Store> storeSpec) {
    /** The same replica on the same store: a moved replica keeps its key but is another object. */
    boolean sameReplicaAs(StoredReplica other) {
        return key.equals(other.key) && store.equals(other.store);
    }

    /** Data disk {@code lun} of this replica, or its OS disk for {@link ReplicaKey#OS_DISK}. */
    StoredReplica onDisk(int lun) {
        return lun == ReplicaKey.OS_DISK ? this : new StoredReplica(key.dataDisk(lun), store, zone, storeSpec);
    }

    /** Every disk of this replica: the OS disk, then the data disks {@code luns}. */
    List<StoredReplica> withDataDisks(List<Integer> luns) {
        return key.withDataDisks(luns).stream()
                .map(disk -> new StoredReplica(disk, store, zone, storeSpec))
                .toList();
    }
}
