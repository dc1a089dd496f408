package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An image source in memory that can misbehave on purpose: refuse its first opens, break off after
 * some bytes, or hold every open until a gate opens. It counts its opens and the bytes it served,
 * and serves ranges when asked to.
 */
final class TestSource implements ImageSource {
    private final byte[] content;
    private final AtomicInteger opens = new AtomicInteger();
    private final AtomicInteger refusalsLeft = new AtomicInteger();
    private volatile long breakAfterBytes = -1;
    private volatile CountDownLatch gate;
    private final List<Long> openMillis = new CopyOnWriteArrayList<>();
    private volatile long stallAtBytes = -1;
    private volatile CountDownLatch stalled;
    private volatile ConcurrentReads reads = new ConcurrentReads();
    private volatile boolean ranged;
    private final AtomicLong bytesServed = new AtomicLong();

    private TestSource(byte[] content) {
        this.content = content;
    }

    static TestSource random(int size, long seed) {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        return new TestSource(content);
    }

    /** The first {@code count} opens fail as an unreachable source would. */
    TestSource refusingFirstOpens(int count) {
        refusalsLeft.set(count);
        return this;
    }

    /** Every stream fails after {@code bytes} bytes, like a source that vanished. */
    TestSource breakingAfter(long bytes) {
        breakAfterBytes = bytes;
        return this;
    }

    /** Every stream stops at {@code bytes}, counts {@code reached} down and waits there until interrupted. */
    TestSource stallingAt(long bytes, CountDownLatch reached) {
        stalled = reached;
        stallAtBytes = bytes;
        return this;
    }

    /** Serves {@link #openFrom} ranges, as an HTTP server that takes {@code Range} does. */
    TestSource ranged() {
        ranged = true;
        return this;
    }

    /** The bytes this source streamed so far, over all its opens. */
    long bytesServed() {
        return bytesServed.get();
    }

    /** Every open waits until {@code gate} opens. */
    TestSource heldBy(CountDownLatch gate) {
        this.gate = gate;
        return this;
    }

    /** Counts this source's reads, from the open until the stream is closed, in {@code reads}. */
    TestSource countedBy(ConcurrentReads reads) {
        this.reads = reads;
        return this;
    }

    byte[] content() {
        return content.clone();
    }

    String sha256() {
        return sha256(content);
    }

    int size() {
        return content.length;
    }

    int opens() {
        return opens.get();
    }

    /** When each open happened, in milliseconds of a monotonic clock. */
    List<Long> openMillis() {
        return List.copyOf(openMillis);
    }

    /** The sha256 of every byte {@code source} streams, read in blocks as a copy reads it. */
    static String sha256(ImageSource source) throws IOException {
        MessageDigest digest = ContainerDiskLayer.sha256();
        try (InputStream in = source.open()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public URI uri() {
        return URI.create("test:source-" + System.identityHashCode(this));
    }

    @Override
    public long probeSize() {
        return content.length;
    }

    @Override
    public InputStream open() throws SourceUnreachableException {
        return startReading(0);
    }

    @Override
    public Optional<InputStream> openFrom(long offset) throws SourceUnreachableException {
        if (!ranged) {
            return Optional.empty();
        }
        if (offset >= content.length) {
            // As an HTTP server answers a range that starts at or after the end.
            throw new SourceUnreachableException(uri() + " answered HTTP 416");
        }
        return Optional.of(startReading(offset));
    }

    /** Opens a stream from {@code offset} on, counted, after the gate and the refusals. */
    private InputStream startReading(long offset) throws SourceUnreachableException {
        opens.incrementAndGet();
        ConcurrentReads counted = reads;
        counted.started();
        try {
            waitAndMaybeRefuse();
        } catch (SourceUnreachableException e) {
            counted.ended();
            throw e;
        }
        return new MisbehavingStream(counted, (int) offset);
    }

    /** Waits at the gate, then refuses while refusals are left. */
    private void waitAndMaybeRefuse() throws SourceUnreachableException {
        openMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
        CountDownLatch held = gate;
        if (held != null) {
            try {
                if (!held.await(30, TimeUnit.SECONDS)) {
                    throw new SourceUnreachableException("test gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceUnreachableException("interrupted while held", e);
            }
        }
        if (refusalsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new SourceUnreachableException("test source refused to open");
        }
    }

    private final class MisbehavingStream extends BlockInputStream {
        private final ConcurrentReads reads;
        private boolean closed;
        private int position;

        MisbehavingStream(ConcurrentReads reads, int position) {
            this.reads = reads;
            this.position = position;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                reads.ended();
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            long limit = content.length;
            if (breakAfterBytes >= 0) {
                if (position >= breakAfterBytes) {
                    throw new IOException("connection reset by test");
                }
                limit = Math.min(limit, breakAfterBytes);
            }
            if (position == stallAtBytes) {
                stall();
            }
            if (position == content.length) {
                return -1;
            }
            int n = (int) Math.min(length, limit - position);
            if (stallAtBytes > position) {
                n = (int) Math.min(n, stallAtBytes - position);
            }
            System.arraycopy(content, position, buffer, offset, n);
            position += n;
            bytesServed.addAndGet(n);
            return n;
        }

        private void stall() throws InterruptedIOException {
            stalled.countDown();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                throw new InterruptedIOException("test source interrupted while stalled");
            }
        }
    }
}
