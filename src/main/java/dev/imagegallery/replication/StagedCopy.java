package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The commit protocol of every store, in one place: the staged bytes are checked as the store holds
 * them, the writer checks that it still holds the Lease, then the old marker goes before the object
 * is replaced and the new one comes after, so a marker never vouches for other bytes than its
 * object's. Stores supply the steps.
 */
abstract class StagedCopy implements ObjectStore.StagedObject {
    private final Attempt attempt;
    private boolean committed;

    /** @param attempt the digest the marker records once the copy is committed, and the fence that allows it */
    protected StagedCopy(Attempt attempt) {
        this.attempt = attempt;
    }

    @Override
    public final void commit() throws IOException {
        verifyStored(attempt.sha256());
        // Last, right before anything becomes visible: a writer paused past its Lease stops here.
        attempt.fence().check();
        removeMarker();
        moveIntoPlace();
        committed = true;
        writeMarker(attempt.marker(Instant.now()));
    }

    @Override
    public final void close() {
        if (!committed) {
            discard();
        }
    }

    /**
     * Checks that the staged bytes, as the store holds them, have the digest {@code sha256}: what was
     * verified on the way in may not be what was stored.
     *
     * @throws DigestMismatchException when they differ
     */
    protected abstract void verifyStored(String sha256) throws IOException;

    /** Reads all of {@code stored}, the staged bytes of {@code what}, and checks their digest against {@code sha256}. */
    protected static void checkDigest(InputStream stored, String sha256, String what) throws IOException {
        MessageDigest digest = ContainerDiskLayer.sha256();
        try (InputStream in = new DigestInputStream(stored, digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        if (!HexFormat.of().formatHex(digest.digest()).equals(sha256)) {
            // Nothing of the stored bytes is told, not even their digest: they are not verified.
            throw new DigestMismatchException(
                    "the staged copy of " + what + " in the store does not have the SHA-256 " + sha256);
        }
    }

    protected abstract void removeMarker() throws IOException;

    /** Atomically replaces the object, if any, with the staged copy. */
    protected abstract void moveIntoPlace() throws IOException;

    protected abstract void writeMarker(String content) throws IOException;

    /** Removes the staged copy; best effort, never throws. */
    protected abstract void discard();
}
