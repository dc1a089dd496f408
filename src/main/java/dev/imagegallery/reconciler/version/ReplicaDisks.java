package dev.imagegallery.reconciler.version;

import dev.imagegallery.replication.CopyState;
import dev.imagegallery.replication.ReplicaKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The copies of one replica's disks: its OS disk and its data disks by LUN. The replica stands
 * where its least advanced disk does: Failed if any disk failed (the first, the OS disk before the
 * data disks, named by LUN), Completed once all are, else as its first unfinished disk. Pure.
 *
 * @param os the OS disk's copy; null while unknown
 */
record ReplicaDisks(ReplicaCopy os, SortedMap<Integer, ReplicaCopy> dataDisks) {

    /** The copies of each replica of a region, by index, from the copies of every disk keyed by disk. */
    static Map<Integer, ReplicaDisks> byIndex(String region, Map<ReplicaKey, ReplicaCopy> copies) {
        Map<Integer, ReplicaCopy> os = new LinkedHashMap<>();
        Map<Integer, SortedMap<Integer, ReplicaCopy>> data = new LinkedHashMap<>();
        copies.forEach((key, copy) -> {
            if (!key.region().equals(region)) {
                return;
            }
            if (key.isOsDisk()) {
                os.put(key.index(), copy);
            } else {
                data.computeIfAbsent(key.index(), i -> new TreeMap<>()).put(key.lun(), copy);
            }
        });
        Map<Integer, ReplicaDisks> byIndex = new LinkedHashMap<>();
        os.forEach(
                (index, copy) -> byIndex.put(index, new ReplicaDisks(copy, data.getOrDefault(index, new TreeMap<>()))));
        return byIndex;
    }

    /**
     * The replica's copy as one: its OS disk's origin, the state of its least advanced disk, and its
     * OS disk's address once every disk is Completed.
     */
    ReplicaCopy combined() {
        if (os == null) {
            return null;
        }
        for (var disk : disks().entrySet()) {
            if (disk.getValue().state() instanceof CopyState.Failed failed) {
                return new ReplicaCopy(
                        new CopyState.Failed(
                                failed.reason(), label(disk.getKey()) + failed.message(), failed.attempts()),
                        os.copiedFrom(),
                        null);
            }
        }
        for (var disk : disks().entrySet()) {
            CopyState state = disk.getValue().state();
            if (!(state instanceof CopyState.Completed)) {
                CopyState labelled = state instanceof CopyState.Waiting waiting
                        ? new CopyState.Waiting(label(disk.getKey()) + waiting.details())
                        : state;
                return new ReplicaCopy(labelled, os.copiedFrom(), null);
            }
        }
        return os;
    }

    /** Every disk, the OS disk first (as {@link ReplicaKey#OS_DISK}), then the data disks by LUN. */
    private SortedMap<Integer, ReplicaCopy> disks() {
        SortedMap<Integer, ReplicaCopy> all = new TreeMap<>(dataDisks);
        all.put(ReplicaKey.OS_DISK, os);
        return all;
    }

    private static String label(int lun) {
        return lun == ReplicaKey.OS_DISK ? "" : "data disk LUN " + lun + ": ";
    }
}
