package dev.imagegallery.replication;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to copy for one replica: from which source, with which expected digest and size, into which
 * store.
 *
 * @param sizeBytes the expected size, or null to take the size the source reports
 */
public record CopyJob(ReplicaKey key, ImageSource source, String sha256, Long sizeBytes, ObjectStore store) {
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
}
