package dev.imagegallery.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SemanticVersionTest {
  @Test
  void ordersByNumberNotByText() {
    List<String> sorted = List.of("1.10.0", "1.9.0", "1.2.10", "1.2.9", "2.0.0", "0.99.99").stream()
        .map(SemanticVersion::parse).sorted().map(SemanticVersion::toString).toList();

    assertThat(sorted).containsExactly("0.99.99", "1.2.9", "1.2.10", "1.9.0", "1.10.0", "2.0.0");
  }

  @Test
  void acceptsThirtyTwoBitParts() {
    assertThat(SemanticVersion.parse("2147483647.0.1")).isEqualTo(new SemanticVersion(2147483647L, 0, 1));
  }

  @Property(tries = 300)
  void orderIsTheLexicographicOrderOfTheNumbers(@ForAll @IntRange(max = 50) int a1, @ForAll @IntRange(max = 50) int b1,
      @ForAll @IntRange(max = 50) int c1, @ForAll @IntRange(max = 50) int a2, @ForAll @IntRange(max = 50) int b2,
      @ForAll @IntRange(max = 50) int c2) {
    int expected = a1 != a2 ? Integer.compare(a1, a2) : b1 != b2 ? Integer.compare(b1, b2) : Integer.compare(c1, c2);
    int actual = SemanticVersion.parse(a1 + "." + b1 + "." + c1).compareTo(SemanticVersion.parse(a2 + "." + b2 + "." + c2));
    assertThat(Integer.signum(actual)).isEqualTo(Integer.signum(expected));
  }
}
