package dev.imagegallery.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An OCI registry client independent of the operator: the real {@code skopeo} (Debian), trusting
 * the CA certificates of a directory that holds only the given CA (plus the system's), logged in
 * with {@code --creds} or anonymous. Tests read back with it what the operator pushed; references
 * are {@code host/repository:tag} or {@code host/repository@sha256:...}, without a transport.
 */
public final class Skopeo {
    /** An image pushed without the operator: its reference, manifest digest, layer digest and the disk's sha256. */
    public record PushedImage(String reference, String digest, String layerDigest, String diskSha256) {
        /** The reference by digest, {@code host/repository@sha256:...}. */
        public String byDigest() {
            int tag = reference.lastIndexOf(':');
            return reference.substring(0, tag) + "@" + digest;
        }
    }

    /** A file found in a layer: the sha256 (lower-case hex) and size of its content, its owner and permission bits. */
    public record LayerFile(String sha256, long size, long uid, long gid, int mode) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path caCertificate;
    private final String username;
    private final String password;
    private final Path workDir;

    /**
     * A client trusting {@code caCertificate} (null: the system's CAs only), logged in as {@code
     * username} (null: anonymous); {@code workDir} holds its certificate directory and temporary files.
     */
    public Skopeo(Path caCertificate, String username, String password, Path workDir) {
        this.caCertificate = caCertificate;
        this.username = username;
        this.password = password;
        this.workDir = workDir;
    }

    /** The same client trusting {@code otherCa} instead (null: the system's CAs only). */
    public Skopeo trusting(Path otherCa) {
        return new Skopeo(otherCa, username, password, workDir);
    }

    /** The same client with other credentials (null username: anonymous). */
    public Skopeo withCredentials(String otherUsername, String otherPassword) {
        return new Skopeo(caCertificate, otherUsername, otherPassword, workDir);
    }

    /** Runs {@code skopeo <args>} as given (global options first) and returns how it went; for tests of failures. */
    public Commands.Result run(String... args) {
        List<String> command = new ArrayList<>(global());
        command.addAll(List.of(args));
        return Commands.run(command, Map.of(), workDir, Duration.ofSeconds(120));
    }

    /**
     * {@code skopeo inspect --raw} of {@code ref} with this client's CA and credentials, however it
     * went; for tests of refusals (wrong password, untrusted certificate).
     */
    public Commands.Result tryInspectRaw(String ref) {
        List<String> command = new ArrayList<>(global());
        command.addAll(args("inspect", "--raw", "--cert-dir", certDir(), credentials(""), "docker://" + ref));
        return Commands.run(command, Map.of(), workDir, Duration.ofSeconds(120));
    }

    /** The manifest of {@code ref} as stored, byte for byte ({@code skopeo inspect --raw}). */
    public byte[] inspectRawBytes(String ref) {
        return succeed(
                        "inspect --raw " + ref,
                        args("inspect", "--raw", "--cert-dir", certDir(), credentials(""), "docker://" + ref))
                .stdout();
    }

    /** The manifest of {@code ref} as JSON text. */
    public String inspectRaw(String ref) {
        return new String(inspectRawBytes(ref), StandardCharsets.UTF_8);
    }

    /** The digest ({@code sha256:...}) of the manifest {@code ref} names: the sha256 of its bytes as stored. */
    public String digest(String ref) {
        return "sha256:" + HexFormat.of().formatHex(OciLayout.sha256().digest(inspectRawBytes(ref)));
    }

    /** The tags of {@code repository} ({@code host/name}), sorted. */
    public List<String> tags(String repository) {
        JsonNode listing = parse(succeed(
                        "list-tags " + repository,
                        args("list-tags", "--cert-dir", certDir(), credentials(""), "docker://" + repository))
                .out());
        List<String> tags = new ArrayList<>();
        JsonNode array = listing.get("Tags");
        if (array != null) {
            array.forEach(tag -> tags.add(tag.asText()));
        }
        tags.sort(null);
        return tags;
    }

    /**
     * Copies {@code ref} into directory {@code dir} (skopeo's {@code dir:} transport: {@code
     * manifest.json} and one file per blob, named by its hex digest), digests preserved.
     */
    public Path copyToDir(String ref, Path dir) {
        copyImage("docker://" + ref, "dir:" + dir.toAbsolutePath());
        return dir;
    }

    /** Pushes the image tagged {@code tag} in the OCI layout {@code layout} as {@code ref}, digests preserved. */
    public void copyFromLayout(Path layout, String tag, String ref) {
        copyImage("oci:" + layout.toAbsolutePath() + ":" + tag, "docker://" + ref);
    }

    /** Copies {@code sourceRef} to {@code destinationRef} of the same registry, digests preserved: the same manifest under another name. */
    public void copy(String sourceRef, String destinationRef) {
        copyImage("docker://" + sourceRef, "docker://" + destinationRef);
    }

    /** {@code skopeo copy --preserve-digests}, with this client's CA and credentials on each side that is a registry. */
    private void copyImage(String source, String destination) {
        List<Object> parts = new ArrayList<>(List.of("copy", "--preserve-digests"));
        if (source.startsWith("docker://")) {
            parts.addAll(List.of("--src-cert-dir", certDir(), credentials("src-")));
        }
        if (destination.startsWith("docker://")) {
            parts.addAll(List.of("--dest-cert-dir", certDir(), credentials("dest-")));
        }
        parts.add(source);
        parts.add(destination);
        succeed("copy " + source + " to " + destination, args(parts.toArray()));
    }

    /** Deletes the manifest {@code ref} names, and with it its tags ({@code skopeo delete}); its blobs stay. */
    public void delete(String ref) {
        succeed("delete " + ref, args("delete", "--cert-dir", certDir(), credentials(""), "docker://" + ref));
    }

    /** Copies {@code ref} and returns {@code path} as found in its layer {@code layer} (0 for the first). */
    public LayerFile fileInImage(String ref, int layer, String path) {
        try {
            Files.createDirectories(workDir);
            Path dir = Files.createTempDirectory(workDir, "image-");
            try {
                copyToDir(ref, dir);
                return fileInLayer(layerBlob(dir, layer), path);
            } finally {
                Commands.deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The blob file of layer {@code index} of an image {@link #copyToDir copied to a directory}. */
    public static Path layerBlob(Path copiedDir, int index) {
        try {
            JsonNode layers =
                    JSON.readTree(copiedDir.resolve("manifest.json").toFile()).get("layers");
            if (layers == null || index >= layers.size()) {
                throw new AssertionError("the image in " + copiedDir + " has no layer " + index);
            }
            String digest = layers.get(index).get("digest").asText();
            return copiedDir.resolve(digest.substring(digest.indexOf(':') + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Finds {@code path} (with or without a leading {@code /} or {@code ./}) in an uncompressed tar
     * layer and returns its content's sha256 and size, read as a stream, with its owner and mode.
     */
    public static LayerFile fileInLayer(Path layerTar, String path) {
        String wanted = normalize(path);
        List<String> seen = new ArrayList<>();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(layerTar));
                TarArchiveInputStream tar = new TarArchiveInputStream(file)) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = normalize(entry.getName());
                if (!name.equals(wanted)) {
                    if (seen.size() < 20) {
                        seen.add(name);
                    }
                    continue;
                }
                if (!entry.isFile()) {
                    throw new AssertionError(path + " in the layer is not a regular file");
                }
                MessageDigest digest = OciLayout.sha256();
                byte[] buffer = new byte[1 << 16];
                long size = 0;
                for (int n; (n = tar.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    size += n;
                }
                return new LayerFile(
                        HexFormat.of().formatHex(digest.digest()),
                        size,
                        entry.getLongUserId(),
                        entry.getLongGroupId(),
                        entry.getMode() & 07777);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + layerTar + " as an uncompressed tar", e);
        }
        throw new AssertionError("no " + path + " in the layer; it holds " + seen);
    }

    private static String normalize(String name) {
        String result = name;
        while (result.startsWith("./") || result.startsWith("/")) {
            result = result.substring(result.startsWith("./") ? 2 : 1);
        }
        return result;
    }

    private List<String> global() {
        Path policy = workDir.resolve("policy.json");
        try {
            if (!Files.exists(policy)) {
                Files.createDirectories(workDir);
                // The images are the tests' own: no signature policy (and no dependence on /etc/containers).
                Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path skopeo =
                Commands.find("skopeo", "install it with `apt-get install -y skopeo` (hack/install-deps.sh does)");
        return List.of(skopeo.toString(), "--policy", policy.toString(), "--tmpdir", workDir.toString());
    }

    /** A directory holding only this client's CA as {@code ca.crt} (empty when it trusts the system's CAs only). */
    private String certDir() {
        try {
            String name =
                    caCertificate == null ? "certs-none" : "certs-" + Integer.toHexString(caCertificate.hashCode());
            Path dir = Files.createDirectories(workDir.resolve(name));
            if (caCertificate != null) {
                Files.copy(caCertificate, dir.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
            }
            return dir.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code --creds user:password} (with the option's prefix, {@code src-} or {@code dest-}), or {@code --no-creds}. */
    private List<String> credentials(String prefix) {
        return username == null
                ? List.of("--" + prefix + "no-creds")
                : List.of("--" + prefix + "creds", username + ":" + password);
    }

    /** The arguments, lists among them flattened. */
    private static List<String> args(Object... parts) {
        List<String> args = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof List<?> list) {
                list.forEach(item -> args.add((String) item));
            } else {
                args.add((String) part);
            }
        }
        return args;
    }

    private Commands.Result succeed(String what, List<String> args) {
        List<String> command = new ArrayList<>(global());
        command.addAll(args);
        // The message names what failed, never the command line: it holds the password.
        return Commands.succeed("skopeo " + what, command, Map.of(), workDir);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("skopeo printed what is not JSON: " + json, e);
        }
    }
}
