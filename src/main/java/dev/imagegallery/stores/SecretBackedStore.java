package dev.imagegallery.stores;

import dev.imagegallery.replication.Attempt;
import dev.imagegallery.replication.DefinitionKey;
import dev.imagegallery.replication.ImageSource;
import dev.imagegallery.replication.ObjectStore;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.StagedPrefix;
import dev.imagegallery.replication.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A store opened anew, with what its Secrets hold then, for each operation: a copy's retries and a
 * replica's later checks use rotated credentials without anyone opening the store again.
 */
public final class SecretBackedStore implements ObjectStore {
    /** Opens the store with its Secrets as they are now. */
    @FunctionalInterface
    interface Opener {
        ObjectStore open() throws StoreUnavailableException;
    }

    private final URI endpoint;
    private final Opener opener;

    SecretBackedStore(URI endpoint, Opener opener) {
        this.endpoint = endpoint;
        this.opener = opener;
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public StagedPrefix takeOver(ReplicaKey key, Attempt attempt) throws IOException {
        return opener.open().takeOver(key, attempt);
    }

    @Override
    public StagedObject stage(ReplicaKey key, Attempt attempt, InputStream content, long size) throws IOException {
        return opener.open().stage(key, attempt, content, size);
    }

    @Override
    public Optional<List<StoredObject>> list() throws StoreUnavailableException {
        return opener.open().list();
    }

    @Override
    public boolean verify(ReplicaKey key, String sha256, long size) throws StoreUnavailableException {
        return opener.open().verify(key, sha256, size);
    }

    @Override
    public String location(ReplicaKey key) throws StoreUnavailableException {
        return opener.open().location(key);
    }

    /**
     * Opened when read, on the copy's thread: a Secret that cannot be read, or a replica that is not
     * there, fails that copy, not the caller.
     */
    @Override
    public ImageSource replica(ReplicaKey key, long size) {
        URI uri = URI.create(
                (endpoint.toString().endsWith("/") ? endpoint.toString() : endpoint + "/") + key.objectPath());
        return new ImageSource() {
            @Override
            public URI uri() {
                return uri;
            }

            @Override
            public long probeSize() throws IOException {
                return opener.open().replica(key, size).probeSize();
            }

            @Override
            public InputStream open() throws IOException {
                return opener.open().replica(key, size).open();
            }
        };
    }

    @Override
    public void moveLatest(DefinitionKey definition, Optional<LatestImage> latest) throws StoreUnavailableException {
        opener.open().moveLatest(definition, latest);
    }

    @Override
    public void delete(ReplicaKey key) throws StoreUnavailableException {
        opener.open().delete(key);
    }

    @Override
    public void probe() throws StoreUnavailableException {
        opener.open().probe();
    }

    @Override
    public ImageSource source(URI url) throws StoreUnavailableException {
        return opener.open().source(url);
    }
}
