package dev.imagegallery.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesTest {
    @Test
    void aMessageThatFitsIsLeftAsItIs() {
        String full = "x".repeat(Messages.MAX_BYTES);

        assertThat(Messages.bounded("replica 0 failed")).isEqualTo("replica 0 failed");
        assertThat(Messages.bounded(full)).isEqualTo(full);
        assertThat(Messages.bounded(null)).isNull();
    }

    @Test
    void aLongerMessageIsCutToOneKibAndSaysSo() {
        String bounded = Messages.bounded("source file:///" + "d".repeat(2048) + " is unreadable");

        assertThat(bytes(bounded)).isEqualTo(Messages.MAX_BYTES);
        assertThat(bounded).startsWith("source file:///ddd").endsWith("ddd" + Messages.TRUNCATED);
    }

    @Test
    void theCutNeverSplitsACharacter() {
        // Two-byte and four-byte (surrogate pair) characters, placed so that a cut by bytes or by chars would fall
        // inside one.
        for (String text :
                List.of("é".repeat(700), "x" + "\uD83D\uDCBF".repeat(300), "xy" + "\uD83D\uDCBF".repeat(300))) {
            String bounded = Messages.bounded(text);

            assertThat(bytes(bounded)).isLessThanOrEqualTo(Messages.MAX_BYTES);
            assertThat(new String(bounded.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                    .as("round trip")
                    .isEqualTo(bounded);
            String kept = bounded.substring(0, bounded.length() - Messages.TRUNCATED.length());
            assertThat(text).startsWith(kept);
            assertThat(kept.codePoints())
                    .as("no lone surrogate")
                    .noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
        }
    }

    @Test
    void theEndingSurvivesAndOnlyTheTextIsCut() {
        String hint = "; fix the cause, then annotate the version to retry";

        assertThat(Messages.bounded("digest mismatch", hint)).isEqualTo("digest mismatch" + hint);
        String bounded = Messages.bounded("digest mismatch for file:///" + "d".repeat(2048), hint);
        assertThat(bounded).startsWith("digest mismatch for file:///").endsWith("d" + Messages.TRUNCATED + hint);
        assertThat(bytes(bounded)).isEqualTo(Messages.MAX_BYTES);
        assertThatThrownBy(() -> Messages.bounded("text", "e".repeat(Messages.MAX_BYTES)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aListNamesAFewItemsAndCountsTheRest() {
        assertThat(Messages.listed(List.of("east", "west"), 3)).isEqualTo("east, west");
        assertThat(Messages.listed(List.of("r1", "r2", "r3"), 3)).isEqualTo("r1, r2, r3");
        assertThat(Messages.listed(List.of("r1", "r2", "r3", "r4", "r5"), 3)).isEqualTo("r1, r2, r3 and 2 more");
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
