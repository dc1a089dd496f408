package dev.imagegallery.replication;

/**
 * One replica of an image version: the version, the target region and the replica's index within
 * the region. The key of replication jobs, and, through {@link #objectPath()}, of stored objects.
 */
public record ReplicaKey(VersionKey version, String region, int index) {
    public ReplicaKey {
        if (version == null) {
            throw new NullPointerException("version");
        }
        VersionKey.requireSegment(region, "region");
        if (index < 0) {
            throw new IllegalArgumentException("replica index must not be negative: " + index);
        }
    }

    /**
     * Path of the replica's object in a store of its region:
     * {@code namespace/gallery/definition/version/index}. The region is not part of it, because
     * each store belongs to one region.
     */
    public String objectPath() {
        return version.objectPrefix() + "/" + index;
    }

    @Override
    public String toString() {
        return region + ":" + objectPath();
    }
}
