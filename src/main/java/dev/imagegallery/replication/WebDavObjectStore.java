package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * A store on an HTTP(S) server that speaks the WebDAV verbs PUT, MOVE and DELETE (for example nginx
 * with {@code dav_methods PUT DELETE MOVE; create_full_put_path on;}). A copy is PUT under its
 * attempt's staging name ({@link StreamingPut}, for speed), read back to check its digest as the
 * server stored it, and MOVEd to the object's name.
 * Redirects are not followed, as the credentials would go along: a store that redirects fails its
 * probe, naming where to.
 */
final class WebDavObjectStore implements ObjectStore {
    private static final System.Logger LOG = System.getLogger(WebDavObjectStore.class.getName());
    // For every request but the upload, whose length depends on the image and the network.
    private static final Duration SHORT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** A Region's reconcile waits on the probe of each of its stores. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private static final int OK = 200;
    private static final int NOT_FOUND = 404;

    private static final int UNAUTHORIZED = 401;
    private static final int FORBIDDEN = 403;

    private final HttpClient http;
    private final URI base;
    private final Optional<String> authorization;

    WebDavObjectStore(HttpClient http, URI endpoint, StoreCredentials credentials) {
        this.http = http;
        this.authorization = authorization(credentials);
        String text = endpoint.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
    }

    @Override
    public URI endpoint() {
        return base;
    }

    @Override
    public StagedObject stage(ReplicaKey key, Attempt attempt, InputStream content, long size) throws IOException {
        String path = key.objectPath();
        URI staging = base.resolve(path + attempt.stagingSuffix());
        int status;
        try {
            status = StreamingPut.put(http, staging, authorization, content, size);
        } catch (IOException e) {
            deleteQuietly(staging);
            // As every other request of this store: a certificate its CA does not vouch for says so,
            // where the caller would otherwise report a plain failure to write.
            if (Tls.reasonFor(e) == FailureReason.CertificateInvalid) {
                throw new StoreUnavailableException(
                        FailureReason.CertificateInvalid, "cannot write " + path + " in store " + base + ": " + e, e);
            }
            throw e;
        }
        if (!Http.isSuccess(status)) {
            deleteQuietly(staging);
            throw new StoreUnavailableException(
                    reasonFor(status),
                    "store " + base + " refused to write " + path + ": PUT " + staging + " answered HTTP " + status,
                    null);
        }
        URI marker = base.resolve(path + MARKER_SUFFIX);
        return new StagedCopy(attempt) {
            @Override
            protected void verifyStored(String sha256) throws IOException {
                checkDigest(read(key, staging), sha256, path);
            }

            @Override
            protected void removeMarker() throws IOException {
                send(
                        "remove the old marker of " + path,
                        request(marker).DELETE(),
                        BodyHandlers.discarding(),
                        NOT_FOUND);
            }

            @Override
            protected void moveIntoPlace() throws IOException {
                send(
                        "move " + path + " into place",
                        request(staging)
                                .method("MOVE", BodyPublishers.noBody())
                                .header("Destination", base.resolve(path).toString())
                                .header("Overwrite", "T"),
                        BodyHandlers.discarding());
            }

            @Override
            protected void writeMarker(String content) throws IOException {
                send(
                        "write the marker of " + path,
                        request(marker).PUT(BodyPublishers.ofString(content)),
                        BodyHandlers.discarding());
            }

            @Override
            protected void discard() {
                deleteQuietly(staging);
            }
        };
    }

    @Override
    public boolean verify(ReplicaKey key, String sha256, long size) throws StoreUnavailableException {
        String path = key.objectPath();
        HttpResponse<String> marker = send(
                "read the marker of " + path,
                request(base.resolve(path + MARKER_SUFFIX)).GET(),
                BodyHandlers.ofString(StandardCharsets.US_ASCII),
                NOT_FOUND);
        if (marker.statusCode() == NOT_FOUND || !Attempt.digestOf(marker.body()).equals(sha256)) {
            return false;
        }
        HttpResponse<Void> object = send(
                "check the size of " + path,
                request(base.resolve(path)).method("HEAD", BodyPublishers.noBody()),
                BodyHandlers.discarding(),
                NOT_FOUND);
        return object.statusCode() != NOT_FOUND
                && object.headers().firstValueAsLong("Content-Length").orElse(-1) == size;
    }

    /**
     * The replica's object, read with the store's Authorization header and CA: a HEAD checks that it
     * is there with {@code size} bytes, each open is a GET. Neither follows a redirect.
     */
    @Override
    public ImageSource replica(ReplicaKey key, long size) throws StoreUnavailableException {
        URI object = base.resolve(key.objectPath());
        HttpResponse<Void> head = send(
                "check the size of replica " + key,
                request(object).method("HEAD", BodyPublishers.noBody()),
                BodyHandlers.discarding(),
                NOT_FOUND);
        if (head.statusCode() == NOT_FOUND) {
            throw ReplicaImageSource.missing(key, base);
        }
        long actual = head.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (actual != size) {
            throw ReplicaImageSource.ofOtherSize(key, base, actual, size);
        }
        return new ReplicaImageSource(object, size, () -> read(key, object));
    }

    /** The body of a GET of the replica {@code key} at {@code object}, streamed: the caller closes it. */
    private InputStream read(ReplicaKey key, URI object) throws StoreUnavailableException {
        HttpResponse<InputStream> response;
        try {
            response = Http.send(http, request(object).GET().build(), BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new StoreUnavailableException(
                    Tls.reasonFor(e), "cannot read replica " + key + " in store " + base + ": " + e, e);
        }
        if (response.statusCode() == OK) {
            return response.body();
        }
        try {
            response.body().close();
        } catch (IOException e) {
            // Failing already; closing only gives the connection back.
        }
        if (response.statusCode() == NOT_FOUND) {
            throw ReplicaImageSource.missing(key, base);
        }
        throw new StoreUnavailableException(
                reasonFor(response.statusCode()),
                "cannot read replica " + key + " in store " + base + ": GET " + object + " answered HTTP "
                        + response.statusCode(),
                null);
    }

    @Override
    public void delete(ReplicaKey key) throws StoreUnavailableException {
        String path = key.objectPath();
        // The marker goes first, so that an interrupted delete never leaves a marker without its object.
        for (String name : new String[] {path + MARKER_SUFFIX, path}) {
            send("delete " + name, request(base.resolve(name)).DELETE(), BodyHandlers.discarding(), NOT_FOUND);
        }
    }

    @Override
    public void probe() throws StoreUnavailableException {
        HttpResponse<Void> response;
        try {
            response = Http.send(
                    http,
                    request(base)
                            .timeout(PROBE_TIMEOUT)
                            .method("HEAD", BodyPublishers.noBody())
                            .build(),
                    BodyHandlers.discarding());
        } catch (IOException e) {
            throw new StoreUnavailableException(Tls.reasonFor(e), "cannot reach store " + base + ": " + e, e);
        }
        if (response.statusCode() / 100 == 3) {
            throw new StoreUnavailableException(
                    FailureReason.StoreUnavailable,
                    "store " + base + " answered HEAD with HTTP " + response.statusCode() + ", a redirect to "
                            + originOf(response.headers().firstValue("Location"))
                            + ", which a store is not followed to (its credentials would go along):"
                            + " write the endpoint it redirects to",
                    null);
        }
        // A directory answers 403 or 404 on many servers; that still proves the server is there.
        if (response.statusCode() >= 500 || response.statusCode() == UNAUTHORIZED) {
            throw new StoreUnavailableException(
                    reasonFor(response.statusCode()),
                    "store " + base + " answered HEAD with HTTP " + response.statusCode(),
                    null);
        }
    }

    /** Where a redirect's Location points, scheme, host and port only: its path or query may hold a secret of the server's. */
    private String originOf(Optional<String> location) {
        if (location.isEmpty()) {
            return "nowhere";
        }
        try {
            URI target = base.resolve(location.get());
            return target.getScheme() + "://" + target.getHost()
                    + (target.getPort() == -1 ? "" : ":" + target.getPort());
        } catch (IllegalArgumentException unreadable) {
            return "an unreadable Location";
        }
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(SHORT_REQUEST_TIMEOUT);
        authorization.ifPresent(value -> request.header("Authorization", value));
        return request;
    }

    /** The Authorization header the credentials make, sent with every request (WebDAV servers do not challenge PUT bodies well). */
    private static Optional<String> authorization(StoreCredentials credentials) {
        if (credentials instanceof StoreCredentials.UsernamePassword basic) {
            return Optional.of("Basic "
                    + Base64.getEncoder()
                            .encodeToString(
                                    (basic.username() + ":" + basic.password()).getBytes(StandardCharsets.UTF_8)));
        }
        if (credentials instanceof StoreCredentials.Token token) {
            return Optional.of("Bearer " + token.token());
        }
        return Optional.empty();
    }

    /**
     * 401 is always the credentials; 403 is only when some were sent, as the server then judged them
     * (wrong, or without the right to write). To a store reached without any, 403 is the store
     * refusing to write, a read-only one for example, which no Secret would change.
     */
    private FailureReason reasonFor(int status) {
        return status == UNAUTHORIZED || (status == FORBIDDEN && authorization.isPresent())
                ? FailureReason.AuthenticationFailed
                : FailureReason.StoreUnavailable;
    }

    /** Sends a request, made to {@code purpose}, that must succeed or answer one of {@code alsoAccepted}. */
    private <T> HttpResponse<T> send(
            String purpose, HttpRequest.Builder request, HttpResponse.BodyHandler<T> body, int... alsoAccepted)
            throws StoreUnavailableException {
        HttpRequest built = request.build();
        HttpResponse<T> response;
        try {
            response = Http.send(http, built, body);
        } catch (IOException e) {
            throw new StoreUnavailableException(
                    Tls.reasonFor(e), "cannot " + purpose + " in store " + base + ": " + e, e);
        }
        if (!Http.isSuccess(response.statusCode())
                && IntStream.of(alsoAccepted).noneMatch(status -> status == response.statusCode())) {
            throw new StoreUnavailableException(
                    reasonFor(response.statusCode()),
                    "cannot " + purpose + " in store " + base + ": " + built.method() + " " + built.uri()
                            + " answered HTTP " + response.statusCode(),
                    null);
        }
        return response;
    }

    private void deleteQuietly(URI staging) {
        // A cancelled copy comes here on an interrupted thread, where the client would refuse to send.
        boolean interrupted = Thread.interrupted();
        try {
            Http.send(http, request(staging).DELETE().build(), BodyHandlers.discarding());
        } catch (IOException e) {
            // Left for the store's owner: WebDAV has no listing every server speaks to find it by later.
            LOG.log(Level.WARNING, "could not remove " + staging + ": " + e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
