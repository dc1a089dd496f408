package dev.imagegallery.replication;

import java.io.IOException;

/**
 * The commit protocol of every store, in one place: the old marker goes before the object is
 * replaced and the new one comes after, so a marker never vouches for other bytes than its
 * object's. Stores supply the steps.
 */
abstract class StagedCopy implements ObjectStore.StagedObject {
    private boolean committed;

    @Override
    public final void commit(String sha256) throws IOException {
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
