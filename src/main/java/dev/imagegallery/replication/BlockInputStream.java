package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;

/** A stream whose bytes come only in blocks: its one-byte read goes through {@link #read(byte[], int, int)}. */
abstract class BlockInputStream extends InputStream {
    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] buffer, int offset, int length) throws IOException;
}
