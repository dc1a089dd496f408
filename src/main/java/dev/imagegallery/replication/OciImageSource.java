package dev.imagegallery.replication;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import land.oras.ContainerRef;
import land.oras.Descriptor;
import land.oras.Layer;
import land.oras.Manifest;
import land.oras.exception.OrasException;
import land.oras.utils.Const;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A KubeVirt containerDisk image in a registry, {@code oci://host[:port]/<repository>@sha256:<digest>},
 * read with the credentials and CA of the {@code oci://} store whose endpoint covers it: the disk is
 * the first regular file under {@code /disk/} in the image's layers, searched from the last layer
 * (where a containerDisk built {@code FROM scratch} or on a base image has it), uncompressed or
 * gzip-compressed tar (OCI and Docker media types). The manifest is fetched by its digest and checked
 * against it, so a moved tag cannot change the bytes; the disk's own SHA-256 is the copy's to verify.
 *
 * <p>The size comes from the manifest's {@value OciObjectStore#SIZE_ANNOTATION} annotation when an
 * {@code oci://} store wrote it, else from the disk's tar header, read without the disk's bytes (the
 * layer's connection is closed after the headers). Failures are {@link SourceUnreachableException}s
 * naming the image as {@code oci://host/repository@digest}, never credentials.
 */
final class OciImageSource implements ImageSource {
    private static final Pattern REFERENCE = Pattern.compile("/([a-z0-9._/-]+)@(sha256:[a-f0-9]{64})");
    private static final Set<String> TAR_LAYERS = Set.of(
            "application/vnd.oci.image.layer.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.docker.image.rootfs.diff.tar");
    private static final Set<String> GZIP_LAYERS = Set.of(
            "application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.docker.image.rootfs.diff.tar.gzip");

    private final RegistryClient client;
    private final URI uri;
    private final ContainerRef ref;
    private final String name;

    private OciImageSource(RegistryClient client, URI uri, ContainerRef ref, String name) {
        this.client = client;
        this.uri = uri;
        this.ref = ref;
        this.name = name;
    }

    /**
     * The image at {@code url}, which must be {@code oci://host[:port]/<prefix>/...@sha256:<digest>}
     * on the registry of {@code client} and below {@code prefix}.
     *
     * @throws IllegalArgumentException for any other URL
     */
    static OciImageSource below(RegistryClient client, URI storeEndpoint, String prefix, URI url) {
        Matcher reference = url.getRawPath() == null ? null : REFERENCE.matcher(url.getRawPath());
        String host;
        try {
            host = "oci".equals(url.getScheme()) ? RegistryClient.hostAndPort(url) : null;
        } catch (StoreUnavailableException e) {
            host = null;
        }
        if (host == null
                || !host.equals(client.host())
                || url.getRawQuery() != null
                || url.getRawFragment() != null
                || reference == null
                || !reference.matches()
                || !reference.group(1).startsWith(prefix + "/")) {
            throw new IllegalArgumentException("source " + url.getScheme() + "://" + url.getRawAuthority()
                    + url.getRawPath() + " is not an image below store " + storeEndpoint
                    + " (want oci://host[:port]/<repository>@sha256:<digest> below the store's prefix)");
        }
        String repository = reference.group(1);
        String digest = reference.group(2);
        ContainerRef ref = client.ref(repository, "latest").withDigest(digest);
        return new OciImageSource(client, url, ref, "oci://" + url.getRawAuthority() + "/" + repository + "@" + digest);
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public long probeSize() throws IOException {
        Manifest manifest = manifest();
        String annotated = manifest.getAnnotations().get(OciObjectStore.SIZE_ANNOTATION);
        if (annotated != null) {
            try {
                return Long.parseLong(annotated);
            } catch (NumberFormatException e) {
                // Not written by us: the tar header tells.
            }
        }
        try (Disk disk = disk(manifest)) {
            return disk.size();
        }
    }

    @Override
    public InputStream open() throws IOException {
        return disk(manifest());
    }

    @Override
    public String toString() {
        return "OciImageSource[" + name + "]";
    }

    /** The manifest the digest names, checked against it. */
    private Manifest manifest() throws SourceUnreachableException {
        Descriptor descriptor;
        try {
            descriptor = client.registry().getDescriptor(ref);
        } catch (OrasException e) {
            throw unreachable("cannot read the manifest of", e);
        }
        String json = descriptor.getJson();
        if (json == null
                || !OciObjectStore.digest(json.getBytes(StandardCharsets.UTF_8)).equals(ref.getDigest())) {
            throw new SourceUnreachableException(
                    "the registry answered for " + name + " with a manifest of another digest");
        }
        String mediaType = descriptor.getMediaType();
        if (Const.DEFAULT_INDEX_MEDIA_TYPE.equals(mediaType) || Const.DOCKER_INDEX_MEDIA_TYPE.equals(mediaType)) {
            throw new SourceUnreachableException(
                    name + " is an image index: name the manifest of one platform's image by its digest");
        }
        try {
            return Manifest.fromJson(json);
        } catch (OrasException e) {
            throw new SourceUnreachableException("the manifest of " + name + " cannot be read: " + e.getMessage());
        }
    }

    /** The disk: the first regular file under disk/ of the last layer that has one, positioned at its first byte. */
    private Disk disk(Manifest manifest) throws IOException {
        List<Layer> layers = manifest.getLayers();
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer layer = layers.get(i);
            boolean gzip = GZIP_LAYERS.contains(layer.getMediaType());
            if (!gzip && !TAR_LAYERS.contains(layer.getMediaType())) {
                continue;
            }
            InputStream blob;
            try {
                blob = client.registry().fetchBlob(ref.withDigest(layer.getDigest()));
            } catch (OrasException e) {
                throw unreachable("cannot read layer " + layer.getDigest() + " of", e);
            }
            TarArchiveInputStream tar = null;
            try {
                InputStream bytes = new BufferedInputStream(blob, 1 << 16);
                tar = new TarArchiveInputStream(gzip ? new GZIPInputStream(bytes, 1 << 16) : bytes);
                for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                    if (entry.isFile() && normalize(entry.getName()).startsWith(ContainerDiskLayer.DIRECTORY)) {
                        return new Disk(tar, entry.getSize());
                    }
                }
                tar.close();
            } catch (IOException e) {
                closeQuietly(tar != null ? tar : blob);
                throw new SourceUnreachableException(
                        "reading layer " + layer.getDigest() + " of " + name + " broke off: " + e, e);
            }
        }
        throw new SourceUnreachableException("no layer of " + name
                + " holds a regular file under /disk/ (layers read: uncompressed or gzip-compressed tar)");
    }

    private SourceUnreachableException unreachable(String what, OrasException e) {
        if (OciObjectStore.interrupted(e)) {
            Thread.currentThread().interrupt();
        }
        return new SourceUnreachableException(what + " " + name + ": " + OciObjectStore.detail(e), e);
    }

    private static String normalize(String entryName) {
        String result = entryName;
        while (result.startsWith("./") || result.startsWith("/")) {
            result = result.substring(result.startsWith("./") ? 2 : 1);
        }
        return result;
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // Failing already.
        }
    }

    /** The disk's bytes: the tar's current entry, ending where the entry ends; closing closes the layer's connection. */
    private static final class Disk extends FilterInputStream {
        private final long size;

        Disk(TarArchiveInputStream tar, long size) {
            super(tar);
            this.size = size;
        }

        long size() {
            return size;
        }
    }
}
