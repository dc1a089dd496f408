package dev.imagegallery.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed CRDs are exactly what the build generates from the Java model. */
class CrdDriftTest {
    private static final Path GENERATED = Path.of("target/generated-crds");

    @ParameterizedTest
    @ValueSource(strings = {"deploy/crds", "deploy/helm/image-gallery-operator/crds"})
    void committedCrdsAreByteIdenticalToGeneratedOnes(String committedDir) throws IOException {
        List<String> generated = fileNames(GENERATED);
        assertThat(generated).as("the build generates one CRD per kind").hasSize(4);
        assertThat(fileNames(Path.of(committedDir)))
                .as("CRD files in %s (run hack/update-crds.sh after changing the model)", committedDir)
                .containsExactlyElementsOf(generated);
        for (String name : generated) {
            assertThat(Files.readString(Path.of(committedDir, name)))
                    .as(
                            "%s/%s differs from the generated CRD: run hack/update-crds.sh and commit the result",
                            committedDir, name)
                    .isEqualTo(Files.readString(GENERATED.resolve(name)));
        }
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
