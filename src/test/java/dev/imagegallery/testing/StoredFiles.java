package dev.imagegallery.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a directory store holds, to check that failures leave nothing behind. */
public final class StoredFiles {
    private StoredFiles() {}

    /** The bytes staged so far for the replica at {@code replicaPath} below {@code root}, by every attempt. */
    public static long stagedBytes(Path root, String replicaPath) throws IOException {
        long bytes = 0;
        for (String file : under(root)) {
            if (isStaging(file, replicaPath)) {
                bytes += Files.size(root.resolve(file));
            }
        }
        return bytes;
    }

    /** Whether {@code file} is what an attempt staged for the replica at {@code replicaPath}: {@code <replica>.*.partial}. */
    public static boolean isStaging(String file, String replicaPath) {
        return file.startsWith(replicaPath + ".") && file.endsWith(".partial");
    }

    /** The digest a marker vouches for: its first line; the lines after it say who verified it and when. */
    public static String markedDigest(String marker) {
        return marker.lines().findFirst().orElse("");
    }

    /** The digest the marker file {@code marker} vouches for. */
    public static String markedDigest(Path marker) throws IOException {
        return markedDigest(Files.readString(marker));
    }

    /** The SHA-256 digest of every regular file below {@code root}, by its path relative to it. */
    public static Map<String, String> digests(Path root) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        for (String file : under(root)) {
            digests.put(file, Source.sha256Of(root.resolve(file)));
        }
        return digests;
    }

    /** Paths of the regular files below {@code root}, relative to it, sorted. */
    public static List<String> under(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> root.relativize(file).toString())
                    .sorted()
                    .toList();
        }
    }
}
