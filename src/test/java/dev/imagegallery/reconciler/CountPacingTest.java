package dev.imagegallery.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.Condition;
import dev.imagegallery.api.Gallery;
import dev.imagegallery.api.GalleryStatus;
import dev.imagegallery.status.StatusWriter;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CountPacingTest {
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Consumer<Map<String, Object>> COUNTS = CountPacing.counts("imageVersionCount");

    private final MutableClock clock = new MutableClock();
    private final CountPacing pacing = new CountPacing(INTERVAL, clock);
    private final Gallery gallery = gallery();

    @Test
    void theFirstCountChangeIsWrittenAtOnceAndTheNextOnlyWhenTheIntervalEnds() {
        assertThat(publish(status(1, "Available")).isPatchStatus()).isTrue();

        clock.advance(Duration.ofSeconds(10));
        UpdateControl<Gallery> held = publish(status(2, "Available"));
        assertThat(held.isPatchStatus()).isFalse();
        assertThat(held.getScheduleDelay()).contains(Duration.ofSeconds(20).toMillis());
        assertThat(gallery.getStatus().imageVersionCount).isEqualTo(1);

        clock.advance(Duration.ofSeconds(20));
        assertThat(publish(status(3, "Available")).isPatchStatus()).isTrue();
        assertThat(gallery.getStatus().imageVersionCount).isEqualTo(3);
    }

    @Test
    void aChangeBesidesTheCountsIsWrittenAtOnceWithTheCountsOfTheMoment() {
        publish(status(1, "Available"));

        clock.advance(Duration.ofSeconds(1));
        UpdateControl<Gallery> control = publish(status(2, "QuotaExceeded"));

        assertThat(control.isPatchStatus()).isTrue();
        assertThat(gallery.getStatus().imageVersionCount).isEqualTo(2);
    }

    @Test
    void anUnchangedStatusIsNeitherWrittenNorLookedAtAgain() {
        publish(status(1, "Available"));

        clock.advance(Duration.ofSeconds(1));
        UpdateControl<Gallery> control = publish(status(1, "Available"));

        assertThat(control.isPatchStatus()).isFalse();
        assertThat(control.getScheduleDelay()).isEmpty();
    }

    @Test
    void aForgottenObjectsNextCountChangeIsWrittenAtOnce() {
        publish(status(1, "Available"));
        pacing.forget(gallery);

        clock.advance(Duration.ofSeconds(1));
        assertThat(publish(status(2, "Available")).isPatchStatus()).isTrue();
    }

    private UpdateControl<Gallery> publish(GalleryStatus next) {
        // Statuses of one shape: each is applied, never replaced with a request of the writer's own (no context).
        UpdateControl<Gallery> control =
                pacing.publish(gallery, next, COUNTS, () -> StatusWriter.patchIfChanged(null, gallery, next));
        control.getResource().ifPresent(written -> gallery.setStatus(written.getStatus()));
        return control;
    }

    private static Gallery gallery() {
        Gallery gallery = new Gallery();
        gallery.setMetadata(new ObjectMetaBuilder()
                .withName("images")
                .withNamespace("team-a")
                .build());
        return gallery;
    }

    private static GalleryStatus status(int versions, String readyReason) {
        GalleryStatus status = new GalleryStatus();
        status.imageVersionCount = versions;
        Condition ready = new Condition();
        ready.type = "Ready";
        ready.reason = readyReason;
        // The message says the count too, as the gallery's does.
        ready.message = "The gallery holds " + versions + " versions";
        status.conditions = List.of(ready);
        return status;
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
