package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class S3PartsTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final long TIB = 1L << 40;

    @Test
    void anEmptyObjectIsOneEmptyPart() {
        S3Parts parts = S3Parts.of(0, S3Parts.DEFAULT_MIN_PART_SIZE);

        assertThat(parts.count()).isEqualTo(1);
        assertThat(parts.length(1)).isZero();
    }

    @Test
    void oneByteIsOnePart() {
        S3Parts parts = S3Parts.of(1, S3Parts.DEFAULT_MIN_PART_SIZE);

        assertThat(parts.count()).isEqualTo(1);
        assertThat(parts.length(1)).isEqualTo(1);
    }

    @Test
    void sixteenMibAreOnePartAndOneByteMoreTwo() {
        assertThat(S3Parts.of(16 * MIB, S3Parts.DEFAULT_MIN_PART_SIZE).count()).isEqualTo(1);

        S3Parts parts = S3Parts.of(16 * MIB + 1, S3Parts.DEFAULT_MIN_PART_SIZE);
        assertThat(parts.count()).isEqualTo(2);
        assertThat(parts.length(1)).isEqualTo(16 * MIB);
        assertThat(parts.length(2)).isEqualTo(1);
    }

    @Test
    void fiveTibFitInTenThousandPartsWithinS3sLimits() {
        S3Parts parts = S3Parts.of(5 * TIB, S3Parts.DEFAULT_MIN_PART_SIZE);

        assertThat(parts.partSize()).isEqualTo(525 * MIB);
        assertThat(parts.count()).isEqualTo(9_987).isLessThanOrEqualTo(10_000);
        assertWithinS3Limits(parts);
    }

    @Test
    void everySizeUpToFiveTibKeepsWithinS3sLimits() {
        // Around the sizes where the part size grows past the floor, and spread over the whole range.
        LongStream.concat(
                        LongStream.of(5 * MIB, 156 * GIB, 160 * GIB - 1, 160 * GIB, 160 * GIB + 1, 5 * TIB - 1),
                        LongStream.rangeClosed(1, 200).map(i -> i * (5 * TIB / 200) - 7))
                .forEach(size -> {
                    S3Parts parts = S3Parts.of(size, S3Parts.DEFAULT_MIN_PART_SIZE);
                    assertThat(parts.size()).isEqualTo(size);
                    assertWithinS3Limits(parts);
                });
    }

    @Test
    void testsMayCutSmallerPartsButNotBelowS3sLeast() {
        S3Parts parts = S3Parts.of(64 * MIB, 5 * MIB);

        assertThat(parts.count()).isEqualTo(13);
        assertThat(parts.length(13)).isEqualTo(4 * MIB);
        assertThatThrownBy(() -> S3Parts.of(64 * MIB, MIB)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void moreThanFiveTibIsRefused() {
        assertThatThrownBy(() -> S3Parts.of(5 * TIB + 1, S3Parts.DEFAULT_MIN_PART_SIZE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 TiB");
    }

    private static void assertWithinS3Limits(S3Parts parts) {
        assertThat(parts.count()).isBetween(1, 10_000);
        long total = 0;
        for (int number = 1; number <= parts.count(); number++) {
            long length = parts.length(number);
            assertThat(length).isLessThanOrEqualTo(5 * GIB);
            if (number < parts.count()) {
                assertThat(length).isGreaterThanOrEqualTo(5 * MIB);
            } else {
                assertThat(length).isPositive();
            }
            total += length;
        }
        assertThat(total).isEqualTo(parts.size());
    }
}
