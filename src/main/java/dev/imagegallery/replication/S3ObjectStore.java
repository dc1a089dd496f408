package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A store in an S3 bucket, {@code s3://bucket/prefix}, on the S3 service its connection names
 * (AWS, or an S3-compatible server such as versitygw). A replica is the object {@code
 * <prefix>/<namespace>/<gallery>/<definition>/<version>/<replica-index>}, its marker the object
 * {@code <key>.sha256} beside it, as in the other kinds; the object also carries the digest as user
 * metadata {@code sha256} ({@code x-amz-meta-sha256}), and each of its parts an S3 SHA-256 checksum
 * that the server checks on arrival.
 *
 * <p>A copy is a multipart upload to the replica's own key, streamed from the source part by part
 * ({@link S3Parts}: at most 10,000 parts, so 5 TiB fit); no part is held in memory. An S3 upload is
 * invisible under its key until CompleteMultipartUpload, so the upload is its own staging name:
 * {@link StagedObject#commit} completes it once the copier has verified the SHA-256 of every byte,
 * and closing without commit aborts it. Completing rather than uploading to a staging key and
 * copying means no CopyObject, which S3 limits to 5 GB, and no second pass over the bytes. Uploads a
 * crashed copy left behind are aborted when the replica is staged again or deleted.
 *
 * <p>A restarted S3 server keeps its objects, so a restart costs nothing; an upload it lost is aborted
 * or fails and the copy is retried.
 */
final class S3ObjectStore implements ObjectStore {
    private static final System.Logger LOG = System.getLogger(S3ObjectStore.class.getName());
    /** The user metadata that records the object's digest: {@code x-amz-meta-sha256}. */
    static final String SHA256_METADATA = "sha256";
    /** The object the probe writes and removes below the prefix, to prove the store can be written. */
    static final String PROBE_OBJECT = ".imagegallery-probe";

    // For every request but the parts, whose length depends on the image and the network.
    private static final Duration SHORT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** A Region's reconcile waits on the probe of each of its stores. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private static final String OCTETS = "application/octet-stream";

    /**
     * No SDK retry of a part: its body is read once from the copy's stream, which cannot go back, and
     * is not kept (a part has 16 MiB to 525 MiB). A retry would need the part again: a silent one
     * would send other bytes, and keeping each part in a buffer would cost up to 525 MiB a copy. A
     * failed part fails the copy instead, which the copy executor retries from the start like any
     * other store's failed upload. Every other request is small and keeps the SDK's retries.
     */
    private static final SdkPlugin NO_RETRIES =
            config -> config.overrideConfiguration(config.overrideConfiguration().toBuilder()
                    .retryStrategy(AwsRetryStrategy.doNotRetry())
                    .build());

    private final StoreClients clients;
    private final StoreConnection connection;
    private final URI endpoint;
    private final String bucket;
    /** Empty, or the endpoint's path without its slashes at either end, then one slash. */
    private final String prefix;

    private final long minPartSize;

    S3ObjectStore(StoreClients clients, StoreConnection connection) throws StoreUnavailableException {
        this(clients, connection, S3Parts.DEFAULT_MIN_PART_SIZE);
    }

    /** @param minPartSize the least size of a part but the last; tests use S3's least, 5 MiB */
    S3ObjectStore(StoreClients clients, StoreConnection connection, long minPartSize) throws StoreUnavailableException {
        this.clients = clients;
        this.connection = connection;
        this.endpoint = connection.endpoint();
        this.minPartSize = minPartSize;
        S3Location location = S3Location.of(endpoint);
        this.bucket = location.bucket();
        String folder = location.key().replaceAll("/+$", "");
        this.prefix = folder.isEmpty() ? "" : folder + "/";
        if (connection.s3().isEmpty()) {
            throw new StoreUnavailableException("store " + endpoint + " names no S3 service (s3.url and s3.region)");
        }
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public StagedObject stage(ReplicaKey key, Attempt attempt, InputStream content, long size) throws IOException {
        String sha256 = attempt.sha256();
        String path = key.objectPath();
        String objectKey = prefix + path;
        S3Parts parts;
        try {
            parts = S3Parts.of(size, minPartSize);
        } catch (IllegalArgumentException e) {
            throw new StoreUnavailableException("store " + endpoint + " cannot hold " + path + ": " + e.getMessage());
        }
        S3Clients.Lease lease = clients.s3(connection);
        try {
            S3Client s3 = lease.client();
            abortUploads(s3, path, objectKey);
            String uploadId = call(
                            "start the upload of " + path,
                            () -> s3.createMultipartUpload(request -> request.bucket(bucket)
                                    .key(objectKey)
                                    .contentType(OCTETS)
                                    .metadata(Map.of(SHA256_METADATA, sha256))
                                    .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                                    .overrideConfiguration(shortRequest())))
                    .uploadId();
            List<CompletedPart> completed;
            try {
                completed = uploadParts(s3, path, objectKey, uploadId, parts, content);
            } catch (IOException | RuntimeException e) {
                abortQuietly(s3, objectKey, uploadId);
                throw e;
            }
            StagedObject staged = new Upload(s3, path, objectKey, uploadId, completed, attempt);
            S3Clients.Lease held = lease;
            lease = null;
            return new StagedObject() {
                @Override
                public void commit() throws IOException {
                    staged.commit();
                }

                @Override
                public void close() {
                    try {
                        staged.close();
                    } finally {
                        held.close();
                    }
                }
            };
        } catch (StoreUnavailableException e) {
            // The SDK refuses to send on an interrupted thread: the copy was cancelled, the store did not fail.
            if (Thread.currentThread().isInterrupted()) {
                throw (IOException)
                        new InterruptedIOException("copy of " + path + " to store " + endpoint + " cancelled")
                                .initCause(e);
            }
            throw e;
        } finally {
            if (lease != null) {
                lease.close();
            }
        }
    }

    /** Uploads the parts in order, each streamed from {@code content}, and returns what completing the upload names. */
    private List<CompletedPart> uploadParts(
            S3Client s3, String path, String objectKey, String uploadId, S3Parts parts, InputStream content)
            throws IOException {
        List<CompletedPart> completed = new ArrayList<>(parts.count());
        for (int number = 1; number <= parts.count(); number++) {
            int partNumber = number;
            long length = parts.length(number);
            PartBody body = new PartBody(content, length, partNumber);
            UploadPartResponse response;
            try {
                response = s3.uploadPart(
                        request -> request.bucket(bucket)
                                .key(objectKey)
                                .uploadId(uploadId)
                                .partNumber(partNumber)
                                .contentLength(length)
                                .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                                .overrideConfiguration(o -> o.addPlugin(NO_RETRIES)),
                        RequestBody.fromContentProvider(body, length, OCTETS));
            } catch (SdkException e) {
                // What the copy's stream threw (a digest mismatch, a source that broke off, a
                // cancellation) says more than what the SDK made of it.
                body.rethrowContentFailure();
                throw S3Failures.storeOrCancelled(
                        "upload part " + partNumber + " of " + parts.count() + " of " + path, endpoint, e);
            }
            body.rethrowContentFailure();
            if (body.remaining != 0) {
                throw new IllegalStateException(
                        "the SDK sent part " + partNumber + " without reading " + body.remaining + " of its bytes");
            }
            completed.add(CompletedPart.builder()
                    .partNumber(partNumber)
                    .eTag(response.eTag())
                    .checksumSHA256(response.checksumSHA256())
                    .build());
        }
        return completed;
    }

    @Override
    public boolean verify(ReplicaKey key, String sha256, long size) throws StoreUnavailableException {
        String path = key.objectPath();
        try (S3Clients.Lease lease = clients.s3(connection)) {
            S3Client s3 = lease.client();
            String marker;
            try {
                marker = s3.getObjectAsBytes(request -> request.bucket(bucket)
                                .key(prefix + path + MARKER_SUFFIX)
                                .overrideConfiguration(shortRequest()))
                        .asString(StandardCharsets.US_ASCII);
            } catch (SdkException e) {
                if (S3Failures.isNotFound(e) && !S3Failures.reasonFor(e).equals(FailureReason.BucketNotFound)) {
                    return false;
                }
                throw S3Failures.store("read the marker of " + path, endpoint, e);
            }
            if (!Attempt.digestOf(marker).equals(sha256)) {
                return false;
            }
            HeadObjectResponse head;
            try {
                head = s3.headObject(
                        request -> request.bucket(bucket).key(prefix + path).overrideConfiguration(shortRequest()));
            } catch (SdkException e) {
                if (S3Failures.isNotFound(e)) {
                    return false;
                }
                throw S3Failures.store("check the size of " + path, endpoint, e);
            }
            return head.contentLength() != null
                    && head.contentLength() == size
                    && sha256.equals(head.metadata().get(SHA256_METADATA));
        }
    }

    /**
     * The replica's object below the prefix, read with the store's keys and CA: a HeadObject checks
     * that it is there with {@code size} bytes, then it is read as an s3:// source of this store.
     */
    @Override
    public ImageSource replica(ReplicaKey key, long size) throws StoreUnavailableException {
        String objectKey = prefix + key.objectPath();
        HeadObjectResponse head;
        try (S3Clients.Lease lease = clients.s3(connection)) {
            head = lease.client()
                    .headObject(request -> request.bucket(bucket).key(objectKey).overrideConfiguration(shortRequest()));
        } catch (SdkException e) {
            if (S3Failures.isNotFound(e)) {
                throw ReplicaImageSource.missing(key, endpoint);
            }
            throw S3Failures.store("check the size of replica " + key, endpoint, e);
        }
        long actual = head.contentLength() == null ? -1 : head.contentLength();
        if (actual != size) {
            throw ReplicaImageSource.ofOtherSize(key, endpoint, actual, size);
        }
        return new S3ImageSource(
                clients, connection, URI.create("s3://" + bucket + "/" + objectKey), bucket, objectKey);
    }

    /** Pages of a thousand keys, S3's most per ListObjectsV2 request. */
    @Override
    public Optional<List<StoredObject>> list() throws StoreUnavailableException {
        try (S3Clients.Lease lease = clients.s3(connection)) {
            S3Client s3 = lease.client();
            return Optional.of(call(
                    "list bucket " + bucket,
                    () ->
                            s3
                                    .listObjectsV2Paginator(
                                            request -> request.bucket(bucket).prefix(prefix))
                                    .contents()
                                    .stream()
                                    .map(object ->
                                            new StoredObject(object.key().substring(prefix.length()), object.size()))
                                    .toList()));
        }
    }

    @Override
    public void delete(ReplicaKey key) throws StoreUnavailableException {
        String path = key.objectPath();
        String objectKey = prefix + path;
        try (S3Clients.Lease lease = clients.s3(connection)) {
            S3Client s3 = lease.client();
            // The marker goes first, so that an interrupted delete never leaves a marker without its object.
            for (String name : new String[] {path + MARKER_SUFFIX, path}) {
                call(
                        "delete " + name,
                        () -> s3.deleteObject(request ->
                                request.bucket(bucket).key(prefix + name).overrideConfiguration(shortRequest())));
            }
            abortUploads(s3, path, objectKey);
        }
    }

    @Override
    public void probe() throws StoreUnavailableException {
        try (S3Clients.Lease lease = clients.s3(connection)) {
            S3Client s3 = lease.client();
            call(
                    "find bucket " + bucket,
                    () -> s3.headBucket(request -> request.bucket(bucket).overrideConfiguration(probeRequest())));
            // HeadBucket succeeds for read-only keys too; only a write shows that replicas can be written.
            call(
                    "write " + PROBE_OBJECT,
                    () -> s3.putObject(
                            request -> request.bucket(bucket)
                                    .key(prefix + PROBE_OBJECT)
                                    .contentType("text/plain")
                                    .overrideConfiguration(probeRequest()),
                            RequestBody.fromString("written by image-gallery-operator to probe the store\n")));
            call(
                    "delete " + PROBE_OBJECT,
                    () -> s3.deleteObject(request ->
                            request.bucket(bucket).key(prefix + PROBE_OBJECT).overrideConfiguration(probeRequest())));
        }
    }

    /** The object at {@code url}, {@code s3://bucket/key}, which must lie below this store's endpoint. */
    @Override
    public ImageSource source(URI url) {
        S3Location location = S3Location.of(url);
        if (!location.bucket().equals(bucket)
                || location.key().isEmpty()
                || !location.key().startsWith(prefix)) {
            throw new IllegalArgumentException("source " + url + " is not an object below store " + endpoint);
        }
        return new S3ImageSource(clients, connection, url, bucket, location.key());
    }

    @Override
    public String toString() {
        return "S3ObjectStore[" + endpoint + "]";
    }

    /** Aborts the uploads in progress of exactly {@code objectKey}: what crashed or failed copies left. */
    private void abortUploads(S3Client s3, String path, String objectKey) throws StoreUnavailableException {
        List<MultipartUpload> uploads = call(
                "list the uploads in progress of " + path,
                () -> s3
                        .listMultipartUploadsPaginator(request ->
                                request.bucket(bucket).prefix(objectKey).overrideConfiguration(shortRequest()))
                        .uploads()
                        .stream()
                        // The prefix also finds longer keys, such as replica 10 for replica 1.
                        .filter(upload -> upload.key().equals(objectKey))
                        .toList());
        for (MultipartUpload upload : uploads) {
            try {
                s3.abortMultipartUpload(request -> request.bucket(bucket)
                        .key(objectKey)
                        .uploadId(upload.uploadId())
                        .overrideConfiguration(shortRequest()));
            } catch (SdkException e) {
                if (!S3Failures.isNotFound(e)) {
                    throw S3Failures.store("abort an upload of " + path, endpoint, e);
                }
            }
        }
    }

    /** Aborts an upload, best effort: a cancelled copy comes here on an interrupted thread, where the SDK would refuse to send. */
    private void abortQuietly(S3Client s3, String objectKey, String uploadId) {
        boolean interrupted = Thread.interrupted();
        try {
            s3.abortMultipartUpload(request ->
                    request.bucket(bucket).key(objectKey).uploadId(uploadId).overrideConfiguration(shortRequest()));
        } catch (SdkException e) {
            // The next copy of this replica, or its delete, aborts what is left here.
            LOG.log(
                    Level.WARNING,
                    "could not abort an upload of " + objectKey + " in store " + endpoint + ": "
                            + S3Failures.describe(e));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private <T> T call(String purpose, SdkCall<T> request) throws StoreUnavailableException {
        try {
            return request.call();
        } catch (SdkException e) {
            throw S3Failures.store(purpose, endpoint, e);
        }
    }

    @FunctionalInterface
    private interface SdkCall<T> {
        T call();
    }

    private static Consumer<AwsRequestOverrideConfiguration.Builder> shortRequest() {
        return o -> o.apiCallTimeout(SHORT_REQUEST_TIMEOUT);
    }

    private static Consumer<AwsRequestOverrideConfiguration.Builder> probeRequest() {
        return o -> o.apiCallTimeout(PROBE_TIMEOUT);
    }

    /**
     * A multipart upload whose parts are all uploaded: completed on commit, aborted on close without
     * it. Its client stays lent to it until it is closed ({@link #stage}).
     */
    private final class Upload extends StagedCopy {
        private final S3Client s3;
        private final String path;
        private final String objectKey;
        private final String uploadId;
        private final List<CompletedPart> parts;

        Upload(
                S3Client s3,
                String path,
                String objectKey,
                String uploadId,
                List<CompletedPart> parts,
                Attempt attempt) {
            super(attempt);
            this.s3 = s3;
            this.path = path;
            this.objectKey = objectKey;
            this.uploadId = uploadId;
            this.parts = parts;
        }

        /**
         * The store checked the bytes itself: each part was sent with its SHA-256 checksum, which S3
         * refuses a part without matching, and completing the upload names every part's checksum.
         */
        @Override
        protected void verifyStored(String sha256) {}

        @Override
        protected void removeMarker() throws IOException {
            send(
                    "remove the old marker of " + path,
                    () -> s3.deleteObject(request -> request.bucket(bucket)
                            .key(objectKey + MARKER_SUFFIX)
                            .overrideConfiguration(shortRequest())));
        }

        @Override
        protected void moveIntoPlace() throws IOException {
            send(
                    "complete the upload of " + path,
                    () -> s3.completeMultipartUpload(request -> request.bucket(bucket)
                            .key(objectKey)
                            .uploadId(uploadId)
                            .multipartUpload(upload -> upload.parts(parts))));
        }

        @Override
        protected void writeMarker(String content) throws IOException {
            send(
                    "write the marker of " + path,
                    () -> s3.putObject(
                            request -> request.bucket(bucket)
                                    .key(objectKey + MARKER_SUFFIX)
                                    .contentType("text/plain")
                                    .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                                    .overrideConfiguration(shortRequest()),
                            RequestBody.fromString(content, StandardCharsets.US_ASCII)));
        }

        @Override
        protected void discard() {
            abortQuietly(s3, objectKey, uploadId);
        }

        private void send(String purpose, SdkCall<?> request) throws IOException {
            try {
                request.call();
            } catch (SdkException e) {
                throw S3Failures.storeOrCancelled(purpose, endpoint, e);
            }
        }
    }

    /**
     * The body of one part: the next {@code length} bytes of the copy's stream, read once. The SDK
     * asks for a new stream per attempt; parts are sent without retries ({@link #NO_RETRIES}), and
     * should it ask again all the same, this refuses rather than let it send other bytes as the part.
     */
    private static final class PartBody implements ContentStreamProvider {
        private final InputStream content;
        private final int partNumber;
        private long remaining;
        private boolean opened;
        private IOException contentFailure;

        PartBody(InputStream content, long length, int partNumber) {
            this.content = content;
            this.remaining = length;
            this.partNumber = partNumber;
        }

        @Override
        public InputStream newStream() {
            if (opened) {
                throw new IllegalStateException("part " + partNumber
                        + " cannot be sent again: its bytes were read once from the copy's stream and not kept");
            }
            opened = true;
            return new BlockInputStream() {
                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    if (length == 0) {
                        return 0;
                    }
                    if (remaining == 0) {
                        return -1;
                    }
                    int n;
                    try {
                        n = content.read(buffer, offset, (int) Math.min(length, remaining));
                    } catch (IOException e) {
                        contentFailure = e;
                        throw e;
                    }
                    if (n < 0) {
                        contentFailure = new IOException("the copy's stream ended " + remaining + " bytes before part "
                                + partNumber + " was complete");
                        throw contentFailure;
                    }
                    remaining -= n;
                    return n;
                }

                @Override
                public int available() {
                    return 0;
                }

                @Override
                public void close() {
                    // The copy's stream is the copier's to close, after all parts.
                }
            };
        }

        void rethrowContentFailure() throws IOException {
            if (contentFailure != null) {
                throw contentFailure;
            }
        }
    }
}
