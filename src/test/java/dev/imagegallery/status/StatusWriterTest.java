package dev.imagegallery.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.GalleryStatus;
import dev.imagegallery.api.GalleryStatus.SoftDeletedVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusWriterTest {
    @Test
    void aStoredStatusWithAFieldTheNextLacksIsOneAnApplyWouldNotClean() {
        GalleryStatus stored = status(3);
        stored.softDeletedVersions = List.of(new SoftDeletedVersion());
        GalleryStatus next = status(4);

        assertThat(StatusWriter.writeFor(stored, next)).isEqualTo(StatusWriter.Write.REPLACE);
        assertThat(StatusWriter.writeFor(status(3), next))
                .as("only values differ: the apply sets them")
                .isEqualTo(StatusWriter.Write.APPLY);
        assertThat(StatusWriter.writeFor(null, next)).isEqualTo(StatusWriter.Write.APPLY);
        assertThat(StatusWriter.writeFor(stored, null)).isEqualTo(StatusWriter.Write.REPLACE);
        assertThat(StatusWriter.writeFor(status(4), next)).isEqualTo(StatusWriter.Write.NONE);
    }

    private static GalleryStatus status(int versions) {
        GalleryStatus status = new GalleryStatus();
        status.imageVersionCount = versions;
        status.observedGeneration = 1L;
        return status;
    }
}
