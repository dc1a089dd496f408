package dev.imagegallery.replication;

import java.time.Instant;

/**
 * One try at writing a replica: the digest its bytes must have, the fence that lets it commit, its
 * number among the writer's tries, and how many bytes of the replica it staged before it was given
 * the rest ({@link ObjectStore#takeOver}). The staging name holds the writer and the number, so no two
 * attempts (of one process, or of an old and a new leader) ever write into the same object.
 */
public record Attempt(String sha256, WriteFence fence, long number, long offset) {
    /** An attempt that writes every byte of the replica. */
    public Attempt(String sha256, WriteFence fence, long number) {
        this(sha256, fence, number, 0);
    }

    /** This attempt, once it took over the first {@code offset} bytes: what it is given to stage follows them. */
    Attempt from(long offset) {
        return new Attempt(sha256, fence, number, offset);
    }

    /** What follows the object's name in this attempt's staging name: {@code .<writer>-<number>.partial}. */
    public String stagingSuffix() {
        return "." + fence.writer().replaceAll("[^A-Za-z0-9_-]", "_") + "-" + number + ObjectStore.STAGING_SUFFIX;
    }

    /** The marker of a replica this attempt committed: its digest on the first line, then who verified it and when. */
    String marker(Instant verifiedAt) {
        return sha256 + "\nverified-by: " + fence.writer() + "\nverified-at: " + verifiedAt + "\n";
    }

    /** The digest a marker vouches for: its first line (markers of earlier releases hold nothing else). */
    static String digestOf(String marker) {
        return marker.lines().findFirst().orElse("").strip();
    }
}
