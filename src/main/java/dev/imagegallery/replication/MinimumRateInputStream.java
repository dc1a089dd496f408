package dev.imagegallery.replication;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Fails a source that delivers fewer than a floor of bytes per second, judged over windows of time
 * spent waiting in the source's own reads (time the store makes the copy wait does not count), so
 * that a trickling source cannot hold a copy slot for ever.
 */
final class MinimumRateInputStream extends FilterInputStream {
    private final long minBytesPerSecond;
    private final long windowNanos;
    private long windowBytes;
    private long windowReadNanos;

    private MinimumRateInputStream(InputStream in, long minBytesPerSecond, Duration window) {
        super(in);
        this.minBytesPerSecond = minBytesPerSecond;
        this.windowNanos = window.toNanos();
    }

    /** {@code in} with the floor, or as it is when the floor is 0. */
    static InputStream of(InputStream in, long minBytesPerSecond, Duration window) {
        return minBytesPerSecond <= 0 ? in : new MinimumRateInputStream(in, minBytesPerSecond, window);
    }

    @Override
    public int read() throws IOException {
        long start = System.nanoTime();
        int b = super.read();
        account(start, b < 0 ? 0 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        long start = System.nanoTime();
        int n = super.read(buffer, offset, length);
        account(start, Math.max(n, 0));
        return n;
    }

    /** Counts a read that began at {@code start} and gave {@code bytes}; fails the source at a window's end if it was too slow. */
    private void account(long start, int bytes) throws SourceUnreachableException {
        windowReadNanos += System.nanoTime() - start;
        windowBytes += bytes;
        if (windowReadNanos >= windowNanos) {
            if (windowBytes * 1_000_000_000d / windowReadNanos < minBytesPerSecond) {
                throw new SourceUnreachableException(
                        "the source sent fewer than " + minBytesPerSecond + " bytes per second over "
                                + Duration.ofNanos(windowNanos).toSeconds()
                                + " s (image-gallery.replication.min-bytes-per-second)");
            }
            windowBytes = 0;
            windowReadNanos = 0;
        }
    }
}
