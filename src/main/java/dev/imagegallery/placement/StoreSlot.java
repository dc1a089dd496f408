package dev.imagegallery.placement;

/** One eligible store while a region is planned: what it holds so far, counting this version's replicas. */
final class StoreSlot {
    final String name;
    final String zone;
    final int zoneIndex;
    final long tieBreak;
    private final Long capacityBytes;
    private final int replicasPerVersion;
    private long bytesUsed;
    private int replicas;
    private int replicasOfVersion;

    StoreSlot(CatalogueStore store, int zoneIndex, StoreLoad otherVersionsLoad, long tieBreak) {
        this.name = store.name();
        this.zone = store.zone();
        this.zoneIndex = zoneIndex;
        this.tieBreak = tieBreak;
        this.capacityBytes = store.capacityBytes();
        this.replicasPerVersion = store.replicasPerVersion();
        this.bytesUsed = otherVersionsLoad.bytesUsed();
        this.replicas = otherVersionsLoad.replicas();
    }

    /** Whether one more replica of the version, of {@code bytes}, fits: by bytes, and by replicas the store can hold of one version. */
    boolean hasRoomFor(long bytes) {
        return replicasOfVersion < replicasPerVersion && (capacityBytes == null || capacityBytes - bytesUsed >= bytes);
    }

    /** Whether the store holds as many replicas of the version as its kind allows (a registry: one). */
    boolean fullForVersion() {
        return replicasOfVersion >= replicasPerVersion;
    }

    /** Bytes left, or Long.MAX_VALUE when unlimited; negative when other versions already overfill it. */
    long freeBytes() {
        return capacityBytes == null ? Long.MAX_VALUE : capacityBytes - bytesUsed;
    }

    /** An unlimited store counts as empty by bytes, so among unlimited stores the replica count decides. */
    double loadRatio() {
        return capacityBytes == null ? 0 : (double) bytesUsed / capacityBytes;
    }

    int replicas() {
        return replicas;
    }

    int replicasOfVersion() {
        return replicasOfVersion;
    }

    void take(long bytes) {
        bytesUsed += bytes;
        replicas++;
        replicasOfVersion++;
    }

    void release(long bytes) {
        bytesUsed -= bytes;
        replicas--;
        replicasOfVersion--;
    }
}
