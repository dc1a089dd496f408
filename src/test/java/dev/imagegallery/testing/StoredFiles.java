package dev.imagegallery.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a directory store holds, to check that failures leave nothing behind. */
public final class StoredFiles {
    private StoredFiles() {}

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
