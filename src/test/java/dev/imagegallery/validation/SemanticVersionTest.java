package dev.imagegallery.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.testing.Draw;
import dev.imagegallery.testing.Property;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SemanticVersionTest {
    @Test
    void ordersByNumberNotByText() {
        List<String> sorted = List.of("1.10.0", "1.9.0", "1.2.10", "1.2.9", "2.0.0", "0.99.99").stream()
                .map(SemanticVersion::parse)
                .sorted()
                .map(SemanticVersion::toString)
                .toList();

        assertThat(sorted).containsExactly("0.99.99", "1.2.9", "1.2.10", "1.9.0", "1.10.0", "2.0.0");
    }

    @Test
    void acceptsThirtyTwoBitParts() {
        assertThat(SemanticVersion.parse("2147483647.0.1")).isEqualTo(new SemanticVersion(2147483647L, 0, 1));
    }

    @Test
    void orderIsTheLexicographicOrderOfTheNumbers() {
        Property.check(300, random -> {
            int a1 = part(random), b1 = part(random), c1 = part(random);
            int a2 = partAgainst(random, a1), b2 = partAgainst(random, b1), c2 = partAgainst(random, c1);
            int expected =
                    a1 != a2 ? Integer.compare(a1, a2) : b1 != b2 ? Integer.compare(b1, b2) : Integer.compare(c1, c2);
            int actual = SemanticVersion.parse(a1 + "." + b1 + "." + c1)
                    .compareTo(SemanticVersion.parse(a2 + "." + b2 + "." + c2));
            assertThat(Integer.signum(actual)).isEqualTo(Integer.signum(expected));
        });
    }

    private static int part(Random random) {
        return Draw.between(random, 0, 50);
    }

    /** Half the time the same part, so that ties are common and the later parts decide the order. */
    private static int partAgainst(Random random, int part) {
        return random.nextBoolean() ? part : part(random);
    }
}
