package dev.imagegallery.replication;

import java.io.IOException;

/**
 * The commit protocol of every store, in one place: the old marker goes before the object is
 * replaced and the new one comes after, so a marker never vouches for other bytes than its
 * object's. Stores supply the steps.
 */
abstract class StagedCopy implements ObjectStore.StagedObject {
    private final String sha256;
    private boolean committed;

    /** @param sha256 the digest the marker records once the copy is committed */
    protected StagedCopy(String sha256) {
        this.sha256 = sha256;
    }

    @Override
    public final void commit() throws IOException {
        removeMarker();
        moveIntoPlace();
        committed = true;
        writeMarker(sha256 + "\n");
    }

    @Override
    public final void close() {
        if (!committed) {
            discard();
        }
    }

    protected abstract void removeMarker() throws IOException;

    /** Atomically replaces the object, if any, with the staged copy. */
    protected abstract void moveIntoPlace() throws IOException;

    protected abstract void writeMarker(String content) throws IOException;

    /** Removes the staged copy; best effort, never throws. */
    protected abstract void discard();
}
