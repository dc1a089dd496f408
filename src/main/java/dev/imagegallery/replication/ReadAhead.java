package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The reader side of a {@link VerifyingInputStream}: a thread that reads and hashes the source a few
 * chunks ahead of the store, then hands over the end only once the size and the digest matched.
 * It remembers the first failure of the copy, the source's or the cancellation.
 */
final class ReadAhead {
    private static final int CHUNK_SIZE = 1 << 20;
    // Enough to ride out a stall on either side; more only costs memory per running copy.
    private static final int CHUNKS_AHEAD = 4;
    // How often a side waiting for the other looks whether the copy was closed or cancelled.
    private static final Duration POLL = Duration.ofMillis(100);
    /** Handed over after the last chunk once every byte verified. */
    static final Chunk END = new Chunk(new byte[0], 0);

    private static final Chunk FAILED = new Chunk(new byte[0], 0);

    /** {@code length} bytes of the source, in a buffer to hand back with {@link #recycle}. */
    record Chunk(byte[] data, int length) {}

    private final InputStream source;
    private final URI sourceUri;
    private final String expectedSha256;
    private final long expectedSize;
    private final StagedPrefix prefix;
    private final Thread thread;
    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(CHUNKS_AHEAD + 1);
    private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
    private volatile IOException failure;
    private volatile boolean closed;

    /**
     * @param source the image's bytes after {@code prefix}, which a store holds already
     * @param expectedSize the image's size, {@code prefix} included
     */
    ReadAhead(
            InputStream source,
            URI sourceUri,
            String expectedSha256,
            long expectedSize,
            StagedPrefix prefix,
            String threadName) {
        this.source = source;
        this.sourceUri = sourceUri;
        this.expectedSha256 = expectedSha256;
        this.expectedSize = expectedSize;
        this.prefix = prefix;
        // A small image needs no megabyte buffers: many small copies at once then cost little heap.
        int chunkSize = (int) Math.max(1, Math.min(CHUNK_SIZE, expectedSize - prefix.length()));
        for (int i = 0; i < CHUNKS_AHEAD; i++) {
            empty.add(new byte[chunkSize]);
        }
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The next chunk or {@link #END}, waiting at most one poll interval; null when none came. */
    Chunk poll() throws IOException, InterruptedException {
        Chunk chunk = filled.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
        if (chunk == FAILED) {
            throw failure;
        }
        return chunk;
    }

    /** Gives a chunk's buffer back for the reader to fill again. */
    void recycle(Chunk chunk) {
        if (chunk.length() > 0) {
            empty.add(chunk.data());
        }
    }

    /** The copy's first failure, if any happened. */
    Optional<IOException> failure() {
        return Optional.ofNullable(failure);
    }

    /** Records {@code e} unless the copy failed already; returns the failure that stands. */
    synchronized IOException fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return failure;
    }

    boolean isClosed() {
        return closed;
    }

    /** Stops the reader and closes the source. */
    void close() throws IOException {
        closed = true;
        thread.interrupt();
        // Closing the source also frees a reader blocked in a read that ignores interrupts.
        source.close();
        try {
            thread.join(POLL.toMillis() * 50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The reader thread: reads and hashes the source, hands it over in chunks, then END or FAILED. */
    private void run() {
        MessageDigest digest = prefix.digest();
        long hashed = prefix.length();
        try {
            while (hashed < expectedSize) {
                byte[] buffer = await(empty);
                int wanted = (int) Math.min(buffer.length, expectedSize - hashed);
                int n = fill(buffer, wanted);
                if (n < wanted) {
                    // Neither the count read nor anything else of unverified bytes is told: the source may not be the
                    // tenant's to know.
                    throw new DigestMismatchException("source " + sourceUri + " ended before the expected "
                            + expectedSize + " bytes with sha256 " + expectedSha256);
                }
                digest.update(buffer, 0, n);
                hashed += n;
                handOver(new Chunk(buffer, n));
            }
            if (readSource(new byte[1], 0, 1) > 0) {
                throw new DigestMismatchException("source " + sourceUri + " has more than the expected " + expectedSize
                        + " bytes (expected sha256 " + expectedSha256 + ")");
            }
            if (!HexFormat.of().formatHex(digest.digest()).equals(expectedSha256)) {
                throw new DigestMismatchException(
                        "the bytes of " + sourceUri + " do not have the expected sha256 " + expectedSha256);
            }
            handOver(END);
        } catch (InterruptedException e) {
            // Closed: nobody reads any more.
        } catch (IOException e) {
            fail(e);
            try {
                handOver(FAILED);
            } catch (InterruptedException closedMeanwhile) {
                // Nobody reads any more.
            }
        }
    }

    /** Reads until {@code wanted} bytes are in {@code buffer} or the source ends; returns how many are. */
    private int fill(byte[] buffer, int wanted) throws IOException {
        int n = 0;
        while (n < wanted) {
            int read = readSource(buffer, n, wanted - n);
            if (read < 0) {
                break;
            }
            n += read;
        }
        return n;
    }

    private int readSource(byte[] buffer, int offset, int length) throws IOException {
        try {
            return source.read(buffer, offset, length);
        } catch (ReplicationException e) {
            throw e;
        } catch (IOException e) {
            if (closed) {
                throw new InterruptedIOException("copy from " + sourceUri + " closed");
            }
            throw new SourceUnreachableException(
                    "reading source " + sourceUri + " broke off: "
                            + e.getClass().getSimpleName(),
                    e);
        }
    }

    private <T> T await(BlockingQueue<T> queue) throws InterruptedException {
        T item = null;
        while (item == null && !closed) {
            item = queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (item == null) {
            throw new InterruptedException("closed");
        }
        return item;
    }

    private void handOver(Chunk chunk) throws InterruptedException {
        while (!filled.offer(chunk, POLL.toMillis(), TimeUnit.MILLISECONDS)) {
            if (closed) {
                throw new InterruptedException("closed");
            }
        }
    }
}
