package dev.imagegallery.replication;

import dev.imagegallery.replication.ReadAhead.Chunk;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.Optional;

/**
 * The source stream of one copy, as the store reads it: exactly the expected number of bytes, and
 * an end only after the digest matched, so a store that reads it to the end has received verified
 * bytes. A {@link ReadAhead} thread reads and hashes the source a few chunks ahead of the store, so
 * that hashing and writing share the time instead of adding up. The stream remembers its own
 * failure, so that the copier can tell a failing source from a failing store whatever the store
 * made of the exception.
 */
final class VerifyingInputStream extends BlockInputStream {
    private final ReadAhead reader;
    private final URI sourceUri;
    private final long expectedSize;
    private final ProgressReporter progress;
    // Whoever reads (the store may read on its own threads), cancelling the copy means interrupting this one.
    private final Thread copier = Thread.currentThread();
    private Chunk current;
    private int position;
    private long bytesDelivered;

    private VerifyingInputStream(ReadAhead reader, URI sourceUri, long expectedSize, ProgressReporter progress) {
        this.reader = reader;
        this.sourceUri = sourceUri;
        this.expectedSize = expectedSize;
        this.progress = progress;
    }

    /**
     * Starts reading {@code source}, the image's bytes after {@code prefix}, ahead; the caller closes
     * the stream, which closes the source. The digest checked at the end covers the prefix too.
     */
    static VerifyingInputStream start(
            InputStream source,
            URI sourceUri,
            String expectedSha256,
            long expectedSize,
            StagedPrefix prefix,
            ProgressReporter progress) {
        ReadAhead reader = new ReadAhead(
                source,
                sourceUri,
                expectedSha256,
                expectedSize,
                prefix,
                "replica-reader-" + Thread.currentThread().getName());
        VerifyingInputStream stream = new VerifyingInputStream(reader, sourceUri, expectedSize, progress);
        reader.start();
        return stream;
    }

    /** Bytes handed to the store so far. */
    long bytesRead() {
        return bytesDelivered;
    }

    /** The failure of the source or of verification, or the cancellation, if any happened. */
    Optional<IOException> failure() {
        return reader.failure();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (current == ReadAhead.END) {
            return -1;
        }
        if (current == null || position == current.length()) {
            nextChunk();
            if (current == ReadAhead.END) {
                return -1;
            }
        }
        int n = Math.min(length, current.length() - position);
        System.arraycopy(current.data(), position, buffer, offset, n);
        position += n;
        bytesDelivered += n;
        progress.advance(bytesDelivered);
        return n;
    }

    /**
     * Checks that the source ended where expected and its digest matched. A store need not read to
     * the end of a stream whose length it was told, so the copier calls this before committing.
     */
    void verifyEnd() throws IOException {
        if (current != ReadAhead.END && read() >= 0) {
            throw new IllegalStateException(
                    "the store stopped reading after " + bytesDelivered + " of " + expectedSize + " bytes");
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    private void nextChunk() throws IOException {
        if (current != null) {
            reader.recycle(current);
        }
        current = null;
        position = 0;
        try {
            while (current == null) {
                if (copier.isInterrupted() || reader.isClosed()) {
                    throw reader.fail(new InterruptedIOException("copy from " + sourceUri + " cancelled"));
                }
                current = reader.poll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw reader.fail(new InterruptedIOException("copy from " + sourceUri + " cancelled"));
        }
    }
}
