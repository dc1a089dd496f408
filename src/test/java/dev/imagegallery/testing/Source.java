package dev.imagegallery.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** An image file of random bytes written for a test, with its digest; and digests of what stores hold. */
public record Source(Path path, long size, String sha256) {
    /**
     * Writes {@code size} random bytes, the same for the same size, in chunks: a 1 GiB image takes no
     * more heap than a small one.
     */
    public static Source of(Path path, long size) throws IOException {
        Random random = new Random(size);
        // A multiple of 4: Random hands out bytes four at a time, so chunks give the bytes one array would.
        byte[] chunk = new byte[1 << 20];
        MessageDigest digest = newDigest();
        Files.createDirectories(path.getParent());
        try (OutputStream out = Files.newOutputStream(path)) {
            for (long left = size; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                int length = (int) Math.min(chunk.length, left);
                out.write(chunk, 0, length);
                digest.update(chunk, 0, length);
            }
        }
        return new Source(path, size, HexFormat.of().formatHex(digest.digest()));
    }

    public static String sha256Of(Path file) {
        MessageDigest digest = newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
