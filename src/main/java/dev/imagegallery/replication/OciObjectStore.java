package dev.imagegallery.replication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import land.oras.Config;
import land.oras.ContainerRef;
import land.oras.Descriptor;
import land.oras.Layer;
import land.oras.Manifest;
import land.oras.auth.HttpClient.ResponseWrapper;
import land.oras.auth.Scopes;
import land.oras.exception.OrasException;

/**
 * A store in an OCI registry, {@code oci://host[:port]/<prefix>}, over https with the store's
 * credentials and CA. Each version is one KubeVirt containerDisk image, {@code
 * <prefix>/<namespace>/<gallery>/<definition>:<version>}, whose single layer ({@link
 * ContainerDiskLayer}) holds the image as {@code /disk/<definition>-<version>.img}. A version's data
 * disk k is an image of its own beside it, {@code ...<definition>:<version>-lun<k>} holding {@code
 * /disk/<definition>-<version>-lun<k>.img}, as a KubeVirt machine mounts one containerDisk a disk
 * ({@link ReplicaKey#imageTag}). The manifest's
 * annotations record the disk's SHA-256 ({@value #SHA256_ANNOTATION}), its size in bytes ({@value
 * #SIZE_ANNOTATION}) and the replica's index ({@value #REPLICA_ANNOTATION}), with an {@code
 * org.opencontainers.image.title}; the image config says linux/amd64.
 *
 * <p>A registry store holds at most one replica of a version (placement sees to it): the replica's
 * index is not part of the image's name. It is recorded instead, so that {@link #verify} of one
 * index does not vouch for the image of another and {@link #delete} of one leaves another's image.
 *
 * <p><b>The upload.</b> {@link #stage} streams the layer and {@link StagedObject#commit} pushes the
 * config and the manifest, tagged with the version: only then is the image visible. The layer's
 * digest is known only after its last byte, and the ORAS SDK (0.7.0) pushes a stream only with its
 * digest given first ({@code pushBlob(ref, size, Supplier, ...)}, {@code pushBlobChunked(ref,
 * InputStream, ...)}; the latter also buffers each chunk); jib-core too. Reading the source twice
 * (once to hash, once to send) is not possible for a stream and would double the copy. So the layer
 * goes up as one chunk of the OCI distribution spec's chunked upload, through the SDK's own
 * authenticated HTTP client: POST to open the upload, one PATCH streaming the whole layer (its size
 * is known), PUT with the digest computed meanwhile. The registry checks that digest against what
 * it received and refuses the upload on a mismatch; a HEAD of the blob then checks the digest and
 * size the registry reports. A layer that fails midway leaves at most an upload the registry
 * expires; an uploaded layer whose copy is not committed is a blob no manifest refers to, which the
 * registry's garbage collection removes. A restarted registry keeps its images; {@link #verify}
 * reads them from the manifests.
 *
 * <p><b>Reading a replica back</b> ({@link #replica}, {@link #location}): the version's tag is
 * resolved to the digest of the manifest it names, as the registry reports it ({@code
 * Docker-Content-Digest}, checked against the manifest's bytes), and the image is read by that
 * digest, so a tag moved meanwhile cannot change the bytes of a copy; the location is {@code
 * <namespace>/<gallery>/<definition>:<version>@<digest>}.
 *
 * <p><b>The moving tag {@value #LATEST_TAG}</b> of each definition's repository ({@link #moveLatest}),
 * for KubeVirt's {@code containerDisk: {image: <repository>:latest}} and CDI's {@code DataImportCron},
 * which polls the tag's digest. Registries delete manifests by digest only, and deleting one removes
 * every tag naming it (distribution 2.8, Debian's {@code docker-registry}, answers a DELETE by tag
 * with 400 {@code DIGEST_INVALID}); were {@code latest} the version's own manifest, removing it would
 * remove the version's tag, and deleting the version would leave no {@code latest}. So {@code latest}
 * names a manifest of its own: the version's manifest, byte for byte, with the annotation {@value
 * #LATEST_OF_ANNOTATION}{@code : <version>} added. It shares the version's config and layer (nothing
 * is uploaded again), has a digest of its own, and is made from the version's manifest as stored, so
 * the same version always makes the same bytes: a tag already naming them is left alone, with no
 * push. Moving is a PUT of the new manifest under the tag, then the DELETE of the previous latest
 * manifest by its digest, so the tag never names nothing. Removing the tag deletes the latest
 * manifest by its digest, which no version tag names; a manifest without the annotation (tagged
 * {@code latest} by someone else) is overwritten by a move but never deleted, since another tag may
 * share it. Before the tag moves, the version's manifest is checked as {@link #verify} checks it
 * (sha256, size and replica index), and the latest manifest is made from exactly the bytes checked.
 * Deleting the version ({@link #delete}) leaves {@code latest} naming its image, whose blobs the
 * latest manifest keeps from garbage collection, until the tag is moved.
 *
 * <p>Failures say what could not be done in which store, never with credentials: 401 and 403 are
 * {@link FailureReason#AuthenticationFailed}, a failed TLS handshake {@link
 * FailureReason#CertificateInvalid}, anything else {@link FailureReason#StoreUnavailable}.
 */
final class OciObjectStore implements ObjectStore {
    static final String SHA256_ANNOTATION = "imagegallery.dev/sha256";
    static final String SIZE_ANNOTATION = "imagegallery.dev/size";
    static final String REPLICA_ANNOTATION = "imagegallery.dev/replica-index";
    static final String TITLE_ANNOTATION = "org.opencontainers.image.title";
    static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
    /** On the manifest the tag {@value #LATEST_TAG} names: the version it is the image of. */
    static final String LATEST_OF_ANNOTATION = "imagegallery.dev/latest-of";

    static final String LATEST_TAG = "latest";
    /** What this store's version manifests are (ORAS pushes them so), and so the latest manifests made from them. */
    private static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";

    private static final ObjectMapper MANIFEST_JSON = new ObjectMapper();

    private static final System.Logger LOG = System.getLogger(OciObjectStore.class.getName());
    /** A path component of an OCI repository name (distribution spec, "Pulling manifests"). */
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    /** A Region's reconcile waits on the probe of each of its stores; a token exchange takes two requests more. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private static final String OCTET_STREAM = "application/octet-stream";
    private static final int NOT_FOUND = 404;
    private static final int UNAUTHORIZED = 401;
    private static final int FORBIDDEN = 403;

    private final RegistryClient client;
    private final URI endpoint;
    private final String prefix;

    OciObjectStore(RegistryClient client, URI endpoint) throws StoreUnavailableException {
        this.client = client;
        this.endpoint = endpoint;
        this.prefix = prefix(endpoint);
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public StagedObject stage(ReplicaKey key, Attempt attempt, InputStream content, long size) throws IOException {
        ContainerRef image = image(key);
        ContainerDiskLayer layer = ContainerDiskLayer.of(key, size);
        String layerDigest;
        try {
            layerDigest = pushLayer(image, layer, content);
        } catch (OrasException e) {
            StoreUnavailableException failure = failure("push the layer of " + name(image), e);
            if (Thread.currentThread().isInterrupted()) {
                throw (IOException) new InterruptedIOException("copy of " + key + " to " + endpoint + " cancelled")
                        .initCause(failure);
            }
            throw failure;
        }
        return new StagedImage(key, image, layer, layerDigest, attempt);
    }

    @Override
    public boolean verify(ReplicaKey key, String sha256, long size) throws StoreUnavailableException {
        ContainerRef image = image(key);
        return stored("read the manifest of " + name(image), image)
                .map(stored -> holds(stored.manifest(), key, sha256, size))
                .orElse(false);
    }

    /**
     * {@code <namespace>/<gallery>/<definition>:<version>@<digest>}: the digest of the manifest the
     * version's tag names now, so that the location keeps naming these bytes should the tag move.
     */
    @Override
    public String location(ReplicaKey key) throws StoreUnavailableException {
        VersionKey version = key.version();
        StoredManifest stored = replicaManifest(key);
        return String.join("/", version.namespace(), version.gallery(), version.definition()) + ":" + key.imageTag()
                + "@" + stored.digest();
    }

    /**
     * The version's containerDisk image in this store, read by the digest its tag names now (so a tag
     * moved during the copy cannot change the bytes), after checking that the manifest is the one of
     * replica {@code key} with a disk of {@code size} bytes. The disk's sha256 is the copy's to verify.
     */
    @Override
    public ImageSource replica(ReplicaKey key, long size) throws StoreUnavailableException {
        StoredManifest stored = replicaManifest(key);
        ContainerRef image = image(key);
        if (!holdsReplica(stored.manifest(), key, size)) {
            throw new StoreUnavailableException("replica " + key + " in store " + endpoint + " is not the complete"
                    + " replica: " + name(image) + " is no containerDisk image of a " + size + "-byte disk as this"
                    + " store writes one (its size annotation says "
                    + stored.manifest().getAnnotations().get(SIZE_ANNOTATION) + ")");
        }
        URI url = URI.create("oci://" + client.host() + "/" + image.getFullRepository() + "@" + stored.digest());
        return OciImageSource.below(client, endpoint, prefix, url);
    }

    /**
     * Points {@code <repository>:latest} at the image of {@code latest}'s version, once that image's
     * manifest is the verified replica (as {@link #verify} checks it): the tag names a manifest of
     * its own, the version's with {@value #LATEST_OF_ANNOTATION} added (see the class Javadoc). A tag
     * that names it already is left alone; the previous latest manifest is deleted after the move.
     * Empty removes the tag by deleting the latest manifest, which no version tag names.
     *
     * @throws StoreUnavailableException when the version's image is not in this store or is not the
     *     verified replica (the tag is then left as it was), when the tag names a manifest this store
     *     did not write and should be removed, or when the registry fails
     */
    @Override
    public void moveLatest(DefinitionKey definition, Optional<LatestImage> latest) throws StoreUnavailableException {
        ContainerRef tag = client.ref(repository(definition), LATEST_TAG);
        String purpose = "move " + name(tag);
        Optional<StoredManifest> current = stored("read the manifest of " + name(tag), tag);
        if (latest.isEmpty()) {
            if (current.isPresent()) {
                requireLatestManifest(current.get(), "remove " + name(tag));
                deleteManifest("remove " + name(tag), tag, current.get().digest());
            }
            return;
        }
        LatestImage image = latest.get();
        ReplicaKey key = image.replica();
        if (!key.version().definitionKey().equals(definition)) {
            throw new IllegalArgumentException(
                    "the latest image " + key + " is no version of " + repository(definition));
        }
        StoredManifest version = replicaManifest(key);
        if (!holds(version.manifest(), key, image.sha256(), image.sizeBytes())) {
            throw new StoreUnavailableException("cannot " + purpose + " to "
                    + key.version().version() + " in store "
                    + endpoint + ": the image tagged " + key.version().version() + " is not the verified replica "
                    + key + " (sha256 " + image.sha256() + ", " + image.sizeBytes() + " bytes); latest left as it was");
        }
        byte[] wanted = latestManifest(version.json(), key.version().version());
        String wantedDigest = digest(wanted);
        if (current.isPresent() && current.get().digest().equals(wantedDigest)) {
            return;
        }
        try {
            ResponseWrapper<String> pushed = client.http()
                    .put(
                            client.url(tag.getManifestsPath(client.registry())),
                            wanted,
                            Map.of("Content-Type", MANIFEST_MEDIA_TYPE),
                            Scopes.of(tag),
                            client.auth());
            expect(pushed, 201, "PUT of the latest manifest " + wantedDigest);
            String reported = caseInsensitive(pushed.headers()).get("Docker-Content-Digest");
            if (reported != null && !reported.equals(wantedDigest)) {
                throw new OrasException("the registry stored the latest manifest " + wantedDigest + " as " + reported);
            }
        } catch (OrasException e) {
            throw failure(purpose, e);
        }
        // Only now: latest never names nothing. A manifest someone else tagged latest may be a version's.
        if (current.isPresent() && isLatestManifest(current.get())) {
            try {
                deleteManifest(purpose, tag, current.get().digest());
            } catch (StoreUnavailableException e) {
                // Untagged, it does no harm: only its bytes stay until the registry's garbage collection.
                LOG.log(Level.WARNING, "moved " + name(tag) + " but could not delete its previous manifest: " + e);
            }
        }
    }

    @Override
    public void delete(ReplicaKey key) throws StoreUnavailableException {
        ContainerRef image = image(key);
        String purpose = "delete " + name(image);
        Optional<StoredManifest> stored = stored(purpose, image);
        if (stored.isEmpty()) {
            return;
        }
        String index = stored.get().manifest().getAnnotations().get(REPLICA_ANNOTATION);
        if (index != null && !index.equals(String.valueOf(key.index()))) {
            LOG.log(Level.DEBUG, () -> name(image) + " holds replica " + index + ", not " + key + ": left in place");
            return;
        }
        // The tag goes with its manifest; latest names a manifest of its own, which stays.
        deleteManifest(purpose, image, stored.get().digest());
    }

    /** Deletes the manifest {@code digest} of {@code image}'s repository, and with it every tag naming it; gone already is no error. */
    private void deleteManifest(String purpose, ContainerRef image, String digest) throws StoreUnavailableException {
        // Registries delete manifests by digest only (distribution 2.8 answers a tag with 400 DIGEST_INVALID).
        try {
            client.registry().deleteManifest(image.withDigest(digest));
        } catch (OrasException e) {
            if (e.getStatusCode() != NOT_FOUND) {
                throw failure(purpose, e);
            }
        }
    }

    /**
     * Lists the tags of the repository prefix, which proves that the registry answers over TLS and
     * takes the credentials (200, or 404 while the prefix is no repository of its own). Not {@code
     * GET /v2/}: a registry with bearer tokens answers it with a challenge that names no scope, which
     * the ORAS SDK cannot answer, and it would report good credentials as refused.
     */
    @Override
    public void probe() throws StoreUnavailableException {
        ContainerRef repository = client.ref(prefix, "latest");
        URI tags = client.url(repository.getTagsPath(client.registry(), 1, null));
        ResponseWrapper<String> answer = bounded(
                "list the tags of " + prefix,
                PROBE_TIMEOUT,
                () -> client.http().get(tags, Map.of(), Scopes.of(repository), client.auth()));
        int status = answer.statusCode();
        if (!Http.isSuccess(status) && status != NOT_FOUND) {
            throw failure(
                    "list the tags of " + prefix, new OrasException(status, "GET " + tags + " answered " + status));
        }
    }

    @Override
    public ImageSource source(URI url) {
        return OciImageSource.below(client, endpoint, prefix, url);
    }

    @Override
    public String toString() {
        return "OciObjectStore[" + endpoint + "]";
    }

    /** Streams the layer of {@code image} and returns its digest, once the registry holds it under that digest. */
    private String pushLayer(ContainerRef image, ContainerDiskLayer layer, InputStream content) {
        Scopes scopes = Scopes.of(image);
        ResponseWrapper<String> started = client.http()
                .post(
                        client.url(image.getBlobsUploadPath(client.registry())),
                        new byte[0],
                        Map.of(),
                        scopes,
                        client.auth());
        String location = location(expect(started, 202, "POST blobs/uploads/"), null);
        try {
            ContainerDiskLayer.LayerStream stream = layer.stream(content);
            AtomicBoolean given = new AtomicBoolean();
            Supplier<InputStream> once = () -> {
                // The SDK sends a body again after a challenge or a redirect; a stream cannot be.
                if (given.getAndSet(true)) {
                    throw new IllegalStateException("the registry asked for the layer twice: it can be streamed once");
                }
                return stream;
            };
            ResponseWrapper<String> patched = client.http()
                    .patch(
                            URI.create(location),
                            layer.size(),
                            Map.of("Content-Type", OCTET_STREAM, "Content-Range", "0-" + (layer.size() - 1)),
                            once,
                            scopes,
                            client.auth());
            location = location(expect(patched, 202, "PATCH with the layer"), location);
            String digest = stream.digest();
            ResponseWrapper<String> finished = client.http()
                    .put(
                            withDigest(location, digest),
                            new byte[0],
                            Map.of("Content-Type", OCTET_STREAM),
                            scopes,
                            client.auth());
            expect(finished, 201, "PUT of the layer's digest " + digest);
            requireBlob(image, digest, layer.size());
            return digest;
        } catch (RuntimeException e) {
            cancelQuietly(location, scopes);
            throw e;
        }
    }

    /** Checks that the registry reports the blob {@code digest} with {@code size} bytes, as streamed. */
    private void requireBlob(ContainerRef image, String digest, long size) {
        ContainerRef blob = image.withDigest(digest);
        ResponseWrapper<String> head = client.http()
                .head(client.url(blob.getBlobsPath(client.registry())), Map.of(), Scopes.of(image), client.auth());
        expect(head, 200, "HEAD of the layer " + digest);
        Map<String, String> headers = caseInsensitive(head.headers());
        String reportedDigest = headers.get("Docker-Content-Digest");
        String reportedSize = headers.get("Content-Length");
        if (!digest.equals(reportedDigest) || !String.valueOf(size).equals(reportedSize)) {
            throw new OrasException("the registry reports the layer as " + reportedDigest + " of " + reportedSize
                    + " bytes; streamed were " + digest + " of " + size + " bytes");
        }
    }

    /** Abandons an upload that failed; best effort, the registry expires abandoned uploads by itself. */
    private void cancelQuietly(String location, Scopes scopes) {
        // A cancelled copy comes here on an interrupted thread, where the client would refuse to send.
        boolean interrupted = Thread.interrupted();
        try {
            client.http().delete(URI.create(location), Map.of(), scopes, client.auth());
        } catch (OrasException e) {
            LOG.log(Level.DEBUG, () -> "could not cancel an upload to " + endpoint + ": " + detail(e));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The image of a staged layer: the manifest pushed on commit makes it visible. */
    private final class StagedImage implements StagedObject {
        private final ReplicaKey key;
        private final ContainerRef image;
        private final ContainerDiskLayer layer;
        private final String layerDigest;
        private final Attempt attempt;

        StagedImage(ReplicaKey key, ContainerRef image, ContainerDiskLayer layer, String layerDigest, Attempt attempt) {
            this.key = key;
            this.image = image;
            this.layer = layer;
            this.layerDigest = layerDigest;
            this.attempt = attempt;
        }

        /**
         * The registry checked the layer's bytes against its digest when it took them; the manifest,
         * pushed only while the writer still holds the Lease, makes the image visible.
         */
        @Override
        public void commit() throws IOException {
            attempt.fence().check();
            // An uncompressed layer's diff_id is its digest.
            byte[] config =
                    ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                                    + layerDigest + "\"]}}")
                            .getBytes(StandardCharsets.UTF_8);
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put(SHA256_ANNOTATION, attempt.sha256());
            annotations.put(SIZE_ANNOTATION, String.valueOf(layer.diskSize()));
            annotations.put(REPLICA_ANNOTATION, String.valueOf(key.index()));
            annotations.put(TITLE_ANNOTATION, key.version().objectPrefix());
            Manifest manifest = Manifest.empty()
                    .withConfig(Config.fromBlob(CONFIG_MEDIA_TYPE, Layer.fromDigest(digest(config), config.length)))
                    .withLayers(List.of(
                            Layer.fromDigest(layerDigest, layer.size()).withMediaType(ContainerDiskLayer.MEDIA_TYPE)))
                    .withAnnotations(annotations);
            try {
                client.registry().pushBlob(image, config);
                client.registry().pushManifest(image, manifest);
            } catch (OrasException e) {
                throw failure("tag " + name(image), e);
            }
        }

        /** Nothing to discard: an uncommitted layer is a blob no manifest refers to, for the registry's garbage collection. */
        @Override
        public void close() {}
    }

    /** Whether {@code manifest} is the image of replica {@code key} with the disk {@code sha256} of {@code size} bytes. */
    private static boolean holds(Manifest manifest, ReplicaKey key, String sha256, long size) {
        return sha256.equals(manifest.getAnnotations().get(SHA256_ANNOTATION)) && holdsReplica(manifest, key, size);
    }

    /** Whether {@code manifest} is the image of replica {@code key} with a disk of {@code size} bytes, whatever its digest. */
    private static boolean holdsReplica(Manifest manifest, ReplicaKey key, long size) {
        Map<String, String> annotations = manifest.getAnnotations();
        List<Layer> layers = manifest.getLayers();
        return String.valueOf(size).equals(annotations.get(SIZE_ANNOTATION))
                && String.valueOf(key.index()).equals(annotations.get(REPLICA_ANNOTATION))
                && layers.size() == 1
                && Long.valueOf(ContainerDiskLayer.of(key, size).size())
                        .equals(layers.get(0).getSize());
    }

    /** A manifest as the registry stores it: its digest, its bytes as text, and what they say. */
    private record StoredManifest(String digest, String json, Manifest manifest) {}

    /**
     * The manifest {@code ref} names, or none when the registry has none by that name. Its digest is
     * the sha256 of its bytes, which the registry's {@code Docker-Content-Digest} must agree with.
     */
    private Optional<StoredManifest> stored(String purpose, ContainerRef ref) throws StoreUnavailableException {
        Descriptor descriptor;
        try {
            descriptor = client.registry().getDescriptor(ref);
        } catch (OrasException e) {
            if (e.getStatusCode() == NOT_FOUND) {
                return Optional.empty();
            }
            throw failure(purpose, e);
        }
        String json = descriptor.getJson();
        String digest = json == null ? null : digest(json.getBytes(StandardCharsets.UTF_8));
        if (digest == null
                || (descriptor.getDigest() != null && !descriptor.getDigest().equals(digest))) {
            throw new StoreUnavailableException("cannot " + purpose + " in store " + endpoint
                    + ": the registry reports the digest " + descriptor.getDigest() + " for other bytes");
        }
        try {
            return Optional.of(new StoredManifest(digest, json, Manifest.fromJson(json)));
        } catch (OrasException e) {
            throw new StoreUnavailableException(
                    "cannot " + purpose + " in store " + endpoint + ": its manifest cannot be read: " + e.getMessage());
        }
    }

    /** The manifest of the image of replica {@code key}'s version, which must hold that replica. */
    private StoredManifest replicaManifest(ReplicaKey key) throws StoreUnavailableException {
        ContainerRef image = image(key);
        StoredManifest stored =
                stored("find replica " + key, image).orElseThrow(() -> ReplicaImageSource.missing(key, endpoint));
        String index = stored.manifest().getAnnotations().get(REPLICA_ANNOTATION);
        if (!String.valueOf(key.index()).equals(index)) {
            throw new StoreUnavailableException("replica " + key + " is not in store " + endpoint + ": " + name(image)
                    + " holds replica " + index + " of the version");
        }
        return stored;
    }

    /**
     * The manifest {@code latest} names for the version whose manifest is {@code versionJson}: those
     * bytes with the annotation {@value #LATEST_OF_ANNOTATION} added, and nothing else changed. It is
     * made from the version's bytes as stored, so the same version always makes the same manifest
     * (and digest), and its digest is never a version tag's.
     */
    private static byte[] latestManifest(String versionJson, String version) {
        JsonNode tree;
        try {
            tree = MANIFEST_JSON.readTree(versionJson);
        } catch (IOException e) {
            throw new IllegalStateException("the manifest of version " + version + " is no JSON: " + e, e);
        }
        if (!(tree instanceof ObjectNode manifest)) {
            throw new IllegalStateException("the manifest of version " + version + " is no JSON object");
        }
        ObjectNode annotations = manifest.get("annotations") instanceof ObjectNode existing
                ? existing
                : manifest.putObject("annotations");
        annotations.put(LATEST_OF_ANNOTATION, version);
        try {
            return MANIFEST_JSON.writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new IllegalStateException("writing a JSON tree to memory failed", e);
        }
    }

    private static boolean isLatestManifest(StoredManifest stored) {
        return stored.manifest().getAnnotations().containsKey(LATEST_OF_ANNOTATION);
    }

    /** Refuses to delete a manifest this store did not write as latest: deleting it by digest could remove a version's tag. */
    private void requireLatestManifest(StoredManifest stored, String purpose) throws StoreUnavailableException {
        if (!isLatestManifest(stored)) {
            throw new StoreUnavailableException("cannot " + purpose + " in store " + endpoint
                    + ": the tag names a manifest without " + LATEST_OF_ANNOTATION + " (" + stored.digest()
                    + "), which the operator did not write and which another tag may share; delete it by hand");
        }
    }

    /** The image of {@code version}: {@code <prefix>/<namespace>/<gallery>/<definition>:<version>}. */
    private ContainerRef image(ReplicaKey disk) {
        if (!TAG.matcher(disk.imageTag()).matches()) {
            throw new IllegalArgumentException("version '" + disk.version().version() + "' cannot be an OCI tag");
        }
        return client.ref(repository(disk.version().definitionKey()), disk.imageTag());
    }

    /** The repository of {@code definition}'s images: {@code <prefix>/<namespace>/<gallery>/<definition>}. */
    private String repository(DefinitionKey definition) {
        return String.join(
                "/",
                prefix,
                component(definition.namespace(), "namespace"),
                component(definition.gallery(), "gallery"),
                component(definition.definition(), "definition"));
    }

    /** {@code repository:tag} of an image, for messages. */
    private static String name(ContainerRef image) {
        return image.getFullRepository() + ":" + image.getTag();
    }

    private static String component(String value, String what) {
        if (!COMPONENT.matcher(value).matches()) {
            // Kubernetes names always are; VersionKey alone allows more.
            throw new IllegalArgumentException(what + " '" + value + "' cannot be part of an OCI repository name:"
                    + " lower-case letters and digits, separated by '.', '_', '__' or '-'");
        }
        return value;
    }

    /** The repository prefix of an {@code oci://} endpoint: one or more components, without slashes around. */
    private static String prefix(URI endpoint) throws StoreUnavailableException {
        RegistryClient.hostAndPort(endpoint);
        String path = endpoint.getPath() == null ? "" : endpoint.getPath();
        String prefix = path.replaceAll("^/+|/+$", "");
        if (prefix.isEmpty()
                || endpoint.getRawQuery() != null
                || endpoint.getRawFragment() != null
                || !List.of(prefix.split("/")).stream()
                        .allMatch(part -> COMPONENT.matcher(part).matches())) {
            throw new StoreUnavailableException("store endpoint " + endpoint
                    + " is no oci://host[:port]/prefix: the prefix must be one or more lower-case path components"
                    + " of an OCI repository name (letters and digits, separated by '.', '_', '__' or '-')");
        }
        return prefix;
    }

    /** The response, when it has {@code status}; a failure otherwise. */
    private static ResponseWrapper<String> expect(ResponseWrapper<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new OrasException(response.statusCode(), what + " answered " + response.statusCode());
        }
        return response;
    }

    /** The upload's next URL: the Location of {@code response}, made absolute, or {@code previous} when it has none. */
    private String location(ResponseWrapper<String> response, String previous) {
        String location = caseInsensitive(response.headers()).get("Location");
        if (location == null || location.isBlank()) {
            if (previous == null) {
                throw new OrasException(response.statusCode(), "the registry opened an upload without a Location");
            }
            return previous;
        }
        return URI.create("https://" + client.host() + "/").resolve(location).toString();
    }

    private static URI withDigest(String location, String digest) {
        return URI.create(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
    }

    private static Map<String, String> caseInsensitive(Map<String, String> headers) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.putAll(headers);
        return map;
    }

    static String digest(byte[] content) {
        return "sha256:" + HexFormat.of().formatHex(ContainerDiskLayer.sha256().digest(content));
    }

    /** Runs {@code call} on a thread of its own for at most {@code timeout}: the SDK's requests have no timeout. */
    private <T> T bounded(String purpose, Duration timeout, Supplier<T> call) throws StoreUnavailableException {
        FutureTask<T> task = new FutureTask<>(call::get);
        Thread thread =
                new Thread(task, "registry-probe-" + Thread.currentThread().getName());
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new StoreUnavailableException(
                    "cannot " + purpose + " in store " + endpoint + ": no answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("cannot " + purpose + " in store " + endpoint + ": interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OrasException oras) {
                throw failure(purpose, oras);
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The one place a failure of the registry becomes the exception a store throws. */
    private StoreUnavailableException failure(String purpose, OrasException e) {
        int status = e.getStatusCode();
        FailureReason reason =
                status == UNAUTHORIZED || status == FORBIDDEN ? FailureReason.AuthenticationFailed : Tls.reasonFor(e);
        if (interrupted(e)) {
            Thread.currentThread().interrupt();
        }
        return new StoreUnavailableException(
                reason, "cannot " + purpose + " in store " + endpoint + ": " + detail(e), e);
    }

    /**
     * What went wrong, in words that hold no credentials: the HTTP status and the registry's error
     * code, or the exception the connection failed with. The SDK's own words for a refused login
     * ("Invalid WWW-Authenticate header" when the registry asks for basic authentication) are replaced.
     */
    static String detail(OrasException e) {
        int status = e.getStatusCode();
        String error = e.getError() == null ? "" : " " + e.getError().code();
        if (status == UNAUTHORIZED || status == FORBIDDEN) {
            return "HTTP " + status + error + ": the registry refused the credentials";
        }
        if (status > 0) {
            return e.getMessage().startsWith("Response code") ? "HTTP " + status + error : e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.getMessage() : root.toString();
    }

    /** Whether the calling thread was interrupted while the SDK waited (it swallows the interrupt). */
    static boolean interrupted(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException
                    || (cause instanceof InterruptedIOException && !(cause instanceof SocketTimeoutException))) {
                return true;
            }
        }
        return false;
    }
}
