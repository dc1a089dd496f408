package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * A complete replica read back from a file or WebDAV store ({@link ObjectStore#replica}), so that a
 * version is copied on to its other stores from the nearest replica. The size is the replica's, as
 * the store checked it when the source was made; the store opens the stream, with its own
 * credentials and CA, and its failures name the replica and the store. The S3 and OCI kinds return
 * their own sources ({@link S3ImageSource}, {@link OciImageSource}) and use the messages here.
 */
record ReplicaImageSource(URI uri, long size, Opener opener) implements ImageSource {
    /** Opens the replica's bytes in its store. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    @Override
    public long probeSize() {
        return size;
    }

    @Override
    public InputStream open() throws IOException {
        return opener.open();
    }

    /** The replica {@code key} is not in {@code store}: nothing to read it from. */
    static StoreUnavailableException missing(ReplicaKey key, URI store) {
        return new StoreUnavailableException("replica " + key + " is not in store " + store);
    }

    /** The replica {@code key} in {@code store} has {@code actual} bytes where the caller expects {@code expected}. */
    static StoreUnavailableException ofOtherSize(ReplicaKey key, URI store, long actual, long expected) {
        return new StoreUnavailableException("replica " + key + " in store " + store + " has " + actual
                + " bytes, not the " + expected + " expected: it is not the complete replica");
    }
}
