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

        assertThat(StatusWriter.holdsFieldsBeyond(stored, next)).isTrue();
        assertThat(StatusWriter.holdsFieldsBeyond(status(3), next))
                .as("only values differ: the apply sets them")
                .isFalse();
        assertThat(StatusWriter.holdsFieldsBeyond(null, next)).isFalse();
        assertThat(StatusWriter.holdsFieldsBeyond(stored, null)).isTrue();
    }

    private static GalleryStatus status(int versions) {
        GalleryStatus status = new GalleryStatus();
        status.imageVersionCount = versions;
        status.observedGeneration = 1L;
        return status;
    }
}
