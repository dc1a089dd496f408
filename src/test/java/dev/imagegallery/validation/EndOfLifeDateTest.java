package dev.imagegallery.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EndOfLifeDateTest {
    @Test
    void aPlainDateMeansMidnightUtc() {
        assertThat(EndOfLifeDate.parse("2027-12-31")).isEqualTo(Instant.parse("2027-12-31T00:00:00Z"));
    }

    @Test
    void anRfc3339TimeKeepsItsOffset() {
        assertThat(EndOfLifeDate.parse("2027-12-31T02:00:00+02:00")).isEqualTo(Instant.parse("2027-12-31T00:00:00Z"));
    }
}
