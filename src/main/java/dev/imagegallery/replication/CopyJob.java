package dev.imagegallery.replication;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to copy for one replica: from which source, with which expected digest and size, into which
 * store.
 *
 * @param sizeBytes the expected size, or null to take the size the source reports
 * @param origin what {@code source} is, for the status: {@value #FROM_SOURCE}, or the replica it
 *     reads as {@code <region>/<store>/<index>}; null when unknown (a replica found complete after a
 *     restart, whose status recorded none)
 */
public record CopyJob(
        ReplicaKey key, ImageSource source, String sha256, Long sizeBytes, ObjectStore store, String origin) {
    /** The origin of a job that reads the version's own source. */
    public static final String FROM_SOURCE = "source";

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public CopyJob {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(store, "store");
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hexadecimal characters: " + sha256);
        }
        if (sizeBytes != null && sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must not be negative: " + sizeBytes);
        }
    }

    /** A job that reads the version's own source. */
    public CopyJob(ReplicaKey key, ImageSource source, String sha256, Long sizeBytes, ObjectStore store) {
        this(key, source, sha256, sizeBytes, store, FROM_SOURCE);
    }

    /** Whether this job reads the version's own source rather than another replica. */
    public boolean readsSource() {
        return FROM_SOURCE.equals(origin);
    }
}
