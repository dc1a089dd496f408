package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A place replicas are written to, of one of the store kinds {@link #open} knows: a
 * {@code file:///directory}, an {@code http(s)://} WebDAV server (PUT, MOVE, DELETE), an
 * {@code s3://bucket/prefix} bucket or an {@code oci://host/prefix} registry. Each kind derives
 * where a replica lives from its {@link ReplicaKey} alone, never from anything a tenant wrote.
 *
 * <h2>Layout of file and WebDAV stores</h2>
 * Each replica is one object at {@code <namespace>/<gallery>/<definition>/<version>/<replica-index>}
 * below the store's endpoint ({@link ReplicaKey#objectPath()}); for example
 * {@code team-a/main/ubuntu/1.2.0/0}. Beside it:
 * <ul>
 *   <li>{@code <object>.sha256}, the marker: on its first line the object's SHA-256 digest in
 *       lower-case hex, then {@code verified-by: <writer>} and {@code verified-at: <time>}, the
 *       operator process (its Lease identity) that checked the bytes in the store and committed them.
 *       It is written only after the object is complete and verified, and removed before the object
 *       is replaced, so a marker always vouches for the object beside it. A replica whose marker
 *       holds the expected digest and whose object has the expected size is complete, without
 *       reading it.
 *   <li>{@code <object>.<writer>-<n>.partial}, the staging name attempt {@code n} of a writer copies
 *       to before it is renamed (or MOVEd) to the object's name ({@link Attempt#stagingSuffix}). No
 *       two attempts share one, so an old leader that wakes up after it lost the Lease writes only
 *       into its own, never into the copy of the new one. In a file store a new attempt takes over
 *       the longest prefix earlier ones left ({@link #takeOver}) and removes them, and
 *       {@link #delete} removes them all; a WebDAV server cannot list them, so there an attempt
 *       removes only its own.
 * </ul>
 * A store endpoint belongs to one region, which is why the region is not part of the path.
 *
 * <h2>Layout of registry stores</h2>
 * An {@code oci://host/prefix} store holds one KubeVirt containerDisk image per version,
 * {@code <prefix>/<namespace>/<gallery>/<definition>:<version>}, and so at most one replica of it;
 * the manifest's annotations take the marker's place. A replica's {@link #location} is
 * {@code <namespace>/<gallery>/<definition>:<version>@<manifest digest>}. The same repository has
 * the moving tag {@code latest} ({@link #moveLatest}), which names a manifest of its own: the latest
 * version's manifest with the annotation {@code imagegallery.dev/latest-of: <version>} added, sharing
 * its config and layer, so that deleting either manifest by digest (the only way registries delete)
 * never takes the other's tag along. {@link OciObjectStore} says how they are written.
 *
 * <h2>Layout of S3 stores</h2>
 * The same objects below the bucket's prefix: {@code <prefix>/<object>} and {@code
 * <prefix>/<object>.sha256}. There is no staging name: a copy is a multipart upload to the object's
 * own key, which S3 keeps invisible until it is completed after verification, and aborts otherwise
 * ({@link S3ObjectStore}).
 */
public interface ObjectStore {
    String MARKER_SUFFIX = ".sha256";
    String STAGING_SUFFIX = ".partial";

    /** The endpoint as the Region writes it: it never holds credentials (admission refuses user info). */
    URI endpoint();

    /**
     * Writes all of {@code content} (the replica's {@code size} bytes from {@code attempt.offset()} on,
     * after the prefix {@link #takeOver} staged; all of them, expected to have the SHA-256 digest
     * {@code attempt.sha256()}) as the replica {@code key}, staged under the attempt's own name: the
     * replica becomes visible, recorded with that digest, only on {@link StagedObject#commit}, which
     * the caller calls once it verified the bytes it gave, and which checks them again as the store
     * holds them and checks the attempt's fence. On failure nothing is left behind under the
     * replica's name; a failure of {@code content} may come out wrapped (an HTTP client wraps what
     * its body throws).
     */
    StagedObject stage(ReplicaKey key, Attempt attempt, InputStream content, long size) throws IOException;

    /**
     * Takes over, where the kind can, what earlier attempts staged for the replica {@code key}: the
     * longest such prefix is copied under {@code attempt}'s own staging name (never taken over by
     * name: a paused old writer could still append to it) and hashed as the store holds it, and the
     * earlier attempts' staging objects are removed. The caller then {@link #stage}s the rest with
     * {@link Attempt#from} the prefix's length, or everything from the start when the source cannot
     * begin there. Kinds that keep nothing an attempt could go on from take over nothing.
     */
    default StagedPrefix takeOver(ReplicaKey key, Attempt attempt) throws IOException {
        return StagedPrefix.none();
    }

    /** Whether the replica {@code key} is complete: recorded with digest {@code sha256} and size {@code size}. */
    boolean verify(ReplicaKey key, String sha256, long size) throws StoreUnavailableException;

    /**
     * Where the complete replica {@code key} is, below the endpoint, for whoever reads it: its object
     * path ({@link ReplicaKey#objectPath()}), or in a registry
     * {@code <namespace>/<gallery>/<definition>:<version>@<manifest digest>}, which pins the bytes.
     * The replica's address is the store's endpoint (or the Region's read endpoint for it), a
     * {@code /}, and this.
     */
    default String location(ReplicaKey key) throws StoreUnavailableException {
        return key.objectPath();
    }

    /**
     * The complete replica {@code key} of {@code size} bytes as a source, read with the store's
     * credentials: a version is copied on to its other replicas from the nearest complete one rather
     * than from its source again. The copy verifies the bytes as it would a source's. The store
     * checks here that the replica is there with that size; its {@link ImageSource#open} streams.
     *
     * @throws StoreUnavailableException naming the replica and the store, never a credential: the
     *     replica is not there (or has another size), or the store cannot be read
     */
    ImageSource replica(ReplicaKey key, long size) throws StoreUnavailableException;

    /**
     * Points the definition's moving tag {@code latest} at the image of {@code latest}, a replica the
     * caller knows complete, or removes the tag when empty. Idempotent: a tag already there is left
     * alone. Only registry stores have moving tags; the other kinds do nothing.
     *
     * @throws StoreUnavailableException when the store does not hold {@code latest} as {@link #verify}
     *     would find it (the tag is then left as it was), or cannot be reached
     */
    default void moveLatest(DefinitionKey definition, Optional<LatestImage> latest) throws StoreUnavailableException {}

    /** A complete replica of a definition's latest version in a store, as {@link #verify} checks it. */
    record LatestImage(ReplicaKey replica, String sha256, long sizeBytes) {}

    /**
     * Every object below the endpoint, by its path relative to it, with its size: what the store
     * audit compares with the replicas on record. Empty where the kind cannot list its objects
     * (WebDAV servers need not answer PROPFIND; a registry lists tags, not objects).
     */
    default Optional<List<StoredObject>> list() throws StoreUnavailableException {
        return Optional.empty();
    }

    /** An object a store holds: its path below the endpoint and its size. */
    record StoredObject(String path, long sizeBytes) {}

    /** Removes the replica, its marker and anything staged for it; removing what does not exist is no error. */
    void delete(ReplicaKey key) throws StoreUnavailableException;

    /** Checks that the store answers, takes the credentials and, where the kind can tell without writing, can be written. */
    void probe() throws StoreUnavailableException;

    /**
     * The image at {@code url}, which lies below this store's endpoint, read with the store's
     * credentials: an {@code s3://bucket/key} object or an {@code oci://host/repository@sha256:digest}
     * containerDisk image. Whether the URL may be read at all is for the caller's source policy.
     *
     * @throws UnsupportedOperationException for store kinds that serve no sources (file and WebDAV:
     *     their objects are read as file:// or http(s):// sources)
     */
    default ImageSource source(URI url) throws StoreUnavailableException {
        throw new UnsupportedOperationException("a " + endpoint().getScheme() + " store serves no sources");
    }

    /**
     * The store at {@code connection}'s endpoint, spoken to with the clients of {@code clients}.
     *
     * @throws StoreUnavailableException when the connection cannot be used, such as a CA bundle that is no PEM
     */
    static ObjectStore open(StoreConnection connection, StoreClients clients) throws StoreUnavailableException {
        URI uri = connection.endpoint();
        return switch (String.valueOf(uri.getScheme())) {
            case "file" -> new FileObjectStore(Path.of(uri));
            case "http", "https" ->
                new WebDavObjectStore(clients.http(connection.caPem()), uri, connection.credentials());
            case "oci" -> new OciObjectStore(clients.registry(connection), uri);
            case "s3" -> new S3ObjectStore(clients, connection);
            default ->
                throw new IllegalArgumentException(
                        "unsupported store endpoint (want file:///, http(s)://, s3:// or oci://): " + uri);
        };
    }

    /**
     * How many replicas of one version a store at {@code endpoint} can hold: one in a registry, which
     * tags an image with its version; any number ({@link Integer#MAX_VALUE}) elsewhere.
     */
    static int replicasPerVersion(String endpoint) {
        return endpoint.startsWith("oci://") ? 1 : Integer.MAX_VALUE;
    }

    /** A fully written copy not yet visible under its final name; closing it without commit discards it. */
    interface StagedObject extends AutoCloseable {
        /**
         * Makes the copy the replica, recorded with the digest of the attempt given to {@link #stage}.
         *
         * @throws DigestMismatchException when the store holds other bytes than were verified
         * @throws FencedException when the attempt's writer no longer holds the Lease: nothing changed
         */
        void commit() throws IOException;

        /** Discards the staged copy unless it was committed; best effort, never throws. */
        @Override
        void close();
    }
}
