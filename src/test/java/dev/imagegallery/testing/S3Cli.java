package dev.imagegallery.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A second S3 client, independent of the operator's AWS SDK for Java: the real {@code aws} CLI
 * (pip's awscli 1.x or Debian's 2.x), run against an S3 endpoint with a CA bundle and keys. Tests
 * read back with it what the operator wrote, so that a bug shared by the operator's writing and
 * reading cannot hide itself.
 *
 * <p>The keys go to the CLI in its environment only, never on its command line nor in a message;
 * the user's own AWS configuration and credentials files are not read.
 */
public final class S3Cli {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGION = "us-east-1";

    private final URI endpoint;
    private final Path caBundle;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final Path workDir;

    /**
     * A client of {@code endpoint} that trusts only the CA certificates in {@code caBundle} (null:
     * the system's CAs), signing with the given keys; {@code workDir} holds its downloads and logs.
     */
    public S3Cli(URI endpoint, Path caBundle, String accessKeyId, String secretAccessKey, Path workDir) {
        this.endpoint = endpoint;
        this.caBundle = caBundle;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.workDir = workDir;
    }

    /** The same client trusting {@code otherCaBundle} instead (null: the system's CAs only). */
    public S3Cli trusting(Path otherCaBundle) {
        return new S3Cli(endpoint, otherCaBundle, accessKeyId, secretAccessKey, workDir);
    }

    /** The same client signing with other keys. */
    public S3Cli withKeys(String otherAccessKeyId, String otherSecretAccessKey) {
        return new S3Cli(endpoint, caBundle, otherAccessKeyId, otherSecretAccessKey, workDir);
    }

    /** Runs {@code aws <args>} against the endpoint and returns how it went; for the tests of failures. */
    public Commands.Result run(String... args) {
        return Commands.run(command(args), environment(), workDir, Duration.ofSeconds(120));
    }

    public void createBucket(String bucket) {
        succeed("create-bucket " + bucket, "s3api", "create-bucket", "--bucket", bucket);
    }

    /** Uploads {@code file} as {@code key}, with user metadata ({@code x-amz-meta-*}, names without the prefix). */
    public void putObject(String bucket, String key, Path file, Map<String, String> metadata) {
        List<String> args = new ArrayList<>(List.of(
                "s3api",
                "put-object",
                "--bucket",
                bucket,
                "--key",
                key,
                "--body",
                file.toAbsolutePath().toString()));
        if (!metadata.isEmpty()) {
            args.add("--metadata");
            args.add(json(metadata));
        }
        succeed("put-object " + bucket + "/" + key, args.toArray(String[]::new));
    }

    /** The keys in {@code bucket} that start with {@code prefix}, sorted (every page of the listing). */
    public List<String> listKeys(String bucket, String prefix) {
        JsonNode keys = parse(succeed(
                "list-objects-v2 " + bucket + "/" + prefix,
                "s3api",
                "list-objects-v2",
                "--bucket",
                bucket,
                "--prefix",
                prefix,
                "--query",
                "Contents[].Key",
                "--output",
                "json"));
        List<String> result = new ArrayList<>();
        if (keys != null && keys.isArray()) {
            keys.forEach(key -> result.add(key.asText()));
        }
        result.sort(null);
        return result;
    }

    /** The sha256 (lower-case hex) of the object's content, downloaded to a temporary file and hashed as a stream. */
    public String sha256(String bucket, String key) {
        return downloaded(bucket, key, S3Cli::sha256);
    }

    /** The object's content as text (a marker, say). */
    public String text(String bucket, String key) {
        return downloaded(bucket, key, file -> {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** What {@code read} makes of the object's content, downloaded to a temporary file. */
    private <T> T downloaded(String bucket, String key, Function<Path, T> read) {
        try {
            Files.createDirectories(workDir);
            Path download = Files.createTempFile(workDir, "get-object-", ".bin");
            try {
                succeed(
                        "get-object " + bucket + "/" + key,
                        "s3api",
                        "get-object",
                        "--bucket",
                        bucket,
                        "--key",
                        key,
                        download.toString());
                return read.apply(download);
            } finally {
                Files.deleteIfExists(download);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object's user metadata (HeadObject's {@code x-amz-meta-*}, names without the prefix, as S3 returns them). */
    public Map<String, String> metadata(String bucket, String key) {
        JsonNode head = parse(succeed(
                "head-object " + bucket + "/" + key,
                "s3api",
                "head-object",
                "--bucket",
                bucket,
                "--key",
                key,
                "--output",
                "json"));
        Map<String, String> metadata = new TreeMap<>();
        JsonNode fields = head == null ? null : head.get("Metadata");
        if (fields != null) {
            fields.fields()
                    .forEachRemaining(field ->
                            metadata.put(field.getKey(), field.getValue().asText()));
        }
        return metadata;
    }

    /** The sha256 (lower-case hex) of a file, read as a stream. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String succeed(String what, String... args) {
        return Commands.succeed("aws s3api " + what, command(args), environment(), workDir)
                .out();
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Commands.find(
                                "aws",
                                "install the aws CLI with `apt-get install -y awscli` or `pip install awscli`"
                                        + " (hack/install-deps.sh does)")
                        .toString(),
                "--endpoint-url",
                endpoint.toString()));
        if (caBundle != null) {
            command.add("--ca-bundle");
            command.add(caBundle.toAbsolutePath().toString());
        }
        command.addAll(List.of(args));
        return command;
    }

    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        // Only what this client says: no profile, no session token, no CA bundle of the user's.
        for (String inherited : System.getenv().keySet()) {
            if (inherited.startsWith("AWS_")) {
                env.put(inherited, null);
            }
        }
        Path none = workDir.resolve("no-aws-config");
        env.put("AWS_CONFIG_FILE", none.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", none.toString());
        env.put("AWS_ACCESS_KEY_ID", accessKeyId);
        env.put("AWS_SECRET_ACCESS_KEY", secretAccessKey);
        env.put("AWS_DEFAULT_REGION", REGION);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        // One attempt: the server is on loopback, and a refusal (an untrusted certificate) should
        // fail at once rather than after the CLI's retries and back-off.
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.put("AWS_PAGER", "");
        env.put("AWS_CLI_AUTO_PROMPT", "off");
        return env;
    }

    private static JsonNode parse(String json) {
        if (json.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("aws printed what is not JSON: " + json, e);
        }
    }

    private static String json(Map<String, String> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
