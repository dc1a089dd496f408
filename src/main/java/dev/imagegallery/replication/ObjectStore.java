package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;

/**
 * A place replicas are written to: a {@code file:///directory} or an {@code http(s)://} WebDAV
 * server (PUT, MOVE, DELETE).
 *
 * <h2>Layout</h2>
 * Each replica is one object at {@code <namespace>/<gallery>/<definition>/<version>/<replica-index>}
 * below the store's endpoint ({@link ReplicaKey#objectPath()}); for example
 * {@code team-a/main/ubuntu/1.2.0/0}. Beside it:
 * <ul>
 *   <li>{@code <object>.sha256}, the marker: the object's SHA-256 digest in lower-case hex. It is
 *       written only after the object is complete and verified, and removed before the object is
 *       replaced, so a marker always vouches for the object beside it. A replica whose marker holds
 *       the expected digest and whose object has the expected size is complete, without reading it.
 *   <li>{@code <object>.partial}, the staging name a copy is written to before it is renamed (or
 *       MOVEd) to the object's name. The name is fixed per replica, so a retry overwrites what a
 *       crashed copy left and {@link #delete} removes it.
 * </ul>
 * A store endpoint belongs to one region, which is why the region is not part of the path.
 */
public interface ObjectStore {
    String MARKER_SUFFIX = ".sha256";
    String STAGING_SUFFIX = ".partial";

    URI endpoint();

    /**
     * Writes all of {@code content} ({@code size} bytes) under the staging name of {@code path}. The
     * object becomes visible only on {@link StagedObject#commit}. On failure nothing is left behind;
     * a failure of {@code content} may come out wrapped (an HTTP client wraps what its body throws).
     */
    StagedObject stage(String path, InputStream content, long size) throws IOException;

    /** Whether the object at {@code path} is complete: its marker holds {@code sha256} and its size is {@code size}. */
    boolean verify(String path, String sha256, long size) throws StoreUnavailableException;

    /** Removes the object, its marker and any staged copy; removing what does not exist is no error. */
    void delete(String path) throws StoreUnavailableException;

    /** Checks that the store answers; it does not write. */
    void probe() throws StoreUnavailableException;

    /** The store at {@code endpoint}: {@code file:///directory}, or {@code http(s)://server/prefix} spoken to with {@code http}. */
    static ObjectStore at(String endpoint, HttpClient http) {
        URI uri = URI.create(endpoint);
        return switch (String.valueOf(uri.getScheme())) {
            case "file" -> new FileObjectStore(Path.of(uri));
            case "http", "https" -> new WebDavObjectStore(http, uri);
            default ->
                throw new IllegalArgumentException(
                        "unsupported store endpoint (want file:/// or http(s)://): " + endpoint);
        };
    }

    /** A fully written copy not yet visible under its final name; closing it without commit discards it. */
    interface StagedObject extends AutoCloseable {
        /** Makes the copy the object at its path, then writes the marker holding {@code sha256}. */
        void commit(String sha256) throws IOException;

        /** Discards the staged copy unless it was committed; best effort, never throws. */
        @Override
        void close();
    }
}
