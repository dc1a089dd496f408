package dev.imagegallery.placement;

/**
 * What a store holds.
 *
 * @param bytesUsed bytes taken by the replicas on it
 * @param replicas how many replicas are on it
 */
public record StoreLoad(long bytesUsed, int replicas) {
    /** An empty store. */
    public static final StoreLoad NONE = new StoreLoad(0, 0);

    StoreLoad plus(StoreLoad other) {
        return new StoreLoad(bytesUsed + other.bytesUsed, replicas + other.replicas);
    }
}
