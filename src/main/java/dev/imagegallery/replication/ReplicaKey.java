package dev.imagegallery.replication;

import dev.imagegallery.api.ImageVersionSpec;
import java.util.List;
import java.util.stream.Stream;

/**
 * One disk of one replica of an image version: the version, the target region, the replica's index
 * within the region, and which disk ({@link #OS_DISK}, or a data disk's LUN). The key of replication
 * jobs, and, through {@link #objectPath()}, of stored objects.
 */
public record ReplicaKey(VersionKey version, String region, int index, int lun) {
    /** The {@code lun} of the OS disk ({@code spec.source}); data disks have theirs, 0..63. */
    public static final int OS_DISK = -1;

    private static final int MAX_LUN = ImageVersionSpec.MAX_LUN;

    public ReplicaKey {
        if (version == null) {
            throw new NullPointerException("version");
        }
        VersionKey.requireSegment(region, "region");
        if (index < 0) {
            throw new IllegalArgumentException("replica index must not be negative: " + index);
        }
        if (lun < OS_DISK || lun > MAX_LUN) {
            throw new IllegalArgumentException("a data disk's LUN is 0.." + MAX_LUN + ": " + lun);
        }
    }

    /** The OS disk of replica {@code index}. */
    public ReplicaKey(VersionKey version, String region, int index) {
        this(version, region, index, OS_DISK);
    }

    public boolean isOsDisk() {
        return lun == OS_DISK;
    }

    /** The data disk {@code lun} of the same replica. */
    public ReplicaKey dataDisk(int lun) {
        return new ReplicaKey(version, region, index, lun);
    }

    /** Every disk of this key's replica: the OS disk, then the data disks {@code luns}. */
    public List<ReplicaKey> withDataDisks(List<Integer> luns) {
        return Stream.concat(Stream.of(OS_DISK), luns.stream())
                .map(this::dataDisk)
                .toList();
    }

    /**
     * Path of the disk's object in a store of its region: {@code namespace/gallery/definition/version/index}
     * for the OS disk (where replicas have always been), {@code .../index-lun<k>} for data disk k. The
     * region is not part of it, because each store belongs to one region.
     */
    public String objectPath() {
        return version.objectPrefix() + "/" + index + (isOsDisk() ? "" : "-lun" + lun);
    }

    /**
     * The tag of the disk's containerDisk image in an OCI store, in its definition's repository: the
     * version for the OS disk, {@code <version>-lun<k>} for data disk k (a version number has no
     * {@code -}, so no version's tag is another's data disk).
     */
    public String imageTag() {
        return version.version() + (isOsDisk() ? "" : "-lun" + lun);
    }

    @Override
    public String toString() {
        return region + ":" + objectPath();
    }
}
