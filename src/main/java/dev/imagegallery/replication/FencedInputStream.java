package dev.imagegallery.replication;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The bytes a store is given, each read only while the writer passes its fence: a writer that was
 * paused past its Lease stops at its next read instead of writing on until its copy ends.
 */
final class FencedInputStream extends FilterInputStream {
    private final WriteFence fence;

    FencedInputStream(InputStream in, WriteFence fence) {
        super(in);
        this.fence = fence;
    }

    @Override
    public int read() throws IOException {
        fence.check();
        return super.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        fence.check();
        return super.read(buffer, offset, length);
    }

    /** The fence's refusal behind {@code failure}, which a store or its HTTP client may have wrapped. */
    static Optional<FencedException> fenced(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FencedException fenced) {
                return Optional.of(fenced);
            }
        }
        return Optional.empty();
    }
}
