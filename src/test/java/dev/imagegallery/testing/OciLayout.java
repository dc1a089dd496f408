package dev.imagegallery.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an OCI image layout on disk (image-spec's {@code oci-layout}, {@code index.json} and
 * {@code blobs/sha256/}) holding one image: an uncompressed tar layer with a disk as {@code
 * disk/x.img}, the KubeVirt containerDisk shape, and a minimal image config. skopeo pushes it from
 * there ({@code oci:DIR:TAG}), so a registry holds an image the operator had no part in.
 */
public final class OciLayout {
    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar";
    /** Where the disk is in the layer, as KubeVirt's containerDisk expects it. */
    static final String DISK_PATH = "disk/x.img";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The digests of the image written: its manifest's and its one layer's ({@code sha256:...}). */
    public record Written(String manifestDigest, String layerDigest) {}

    private OciLayout() {}

    /** Writes the layout into the empty directory {@code dir}, with the image tagged {@code tag}. */
    public static Written write(Path dir, String tag, Path disk, int uid, int gid, Map<String, String> annotations)
            throws IOException {
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        Path layer = Files.createTempFile(dir, "layer-", ".tar");
        MessageDigest layerDigest = sha256();
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(layer));
                DigestOutputStream digesting = new DigestOutputStream(file, layerDigest);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(digesting)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry directory = entry("disk/", uid, gid, 0755);
            tar.putArchiveEntry(directory);
            tar.closeArchiveEntry();
            TarArchiveEntry image = entry(DISK_PATH, uid, gid, 0644);
            image.setSize(Files.size(disk));
            tar.putArchiveEntry(image);
            Files.copy(disk, tar);
            tar.closeArchiveEntry();
            tar.finish();
        }
        String layerHex = HexFormat.of().formatHex(layerDigest.digest());
        long layerSize = Files.size(layer);
        Files.move(layer, blobs.resolve(layerHex), StandardCopyOption.REPLACE_EXISTING);

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        // An uncompressed layer's diff ID is its digest.
        config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of("sha256:" + layerHex)));
        Descriptor configBlob = blob(blobs, JSON.writeValueAsBytes(config), CONFIG_TYPE);

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MANIFEST_TYPE);
        manifest.put("config", configBlob.asMap());
        manifest.put("layers", List.of(new Descriptor(LAYER_TYPE, "sha256:" + layerHex, layerSize).asMap()));
        if (!annotations.isEmpty()) {
            manifest.put("annotations", annotations);
        }
        Descriptor manifestBlob = blob(blobs, JSON.writeValueAsBytes(manifest), MANIFEST_TYPE);

        Map<String, Object> indexEntry = new LinkedHashMap<>(manifestBlob.asMap());
        indexEntry.put("annotations", Map.of("org.opencontainers.image.ref.name", tag));
        Files.write(
                dir.resolve("index.json"),
                JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "manifests", List.of(indexEntry))));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}", StandardCharsets.UTF_8);
        return new Written(manifestBlob.digest(), "sha256:" + layerHex);
    }

    private record Descriptor(String mediaType, String digest, long size) {
        Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("mediaType", mediaType);
            map.put("digest", digest);
            map.put("size", size);
            return map;
        }
    }

    private static Descriptor blob(Path blobs, byte[] content, String mediaType) throws IOException {
        String hex = HexFormat.of().formatHex(sha256().digest(content));
        Files.write(blobs.resolve(hex), content);
        return new Descriptor(mediaType, "sha256:" + hex, content.length);
    }

    /** A reproducible entry: numeric owner only, modified at the epoch. */
    private static TarArchiveEntry entry(String name, int uid, int gid, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setUserId(uid);
        entry.setGroupId(gid);
        entry.setUserName("");
        entry.setGroupName("");
        entry.setModTime(0);
        entry.setMode((name.endsWith("/")
                        ? TarArchiveEntry.DEFAULT_DIR_MODE & ~0777
                        : TarArchiveEntry.DEFAULT_FILE_MODE & ~0777)
                | mode);
        return entry;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
