package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The source stream of one copy, as the store reads it: exactly the expected number of bytes, and
 * an end only after the digest matched, so a store that reads it to the end has received verified
 * bytes. A reader thread reads and hashes the source a few chunks ahead of the store, so that
 * hashing and writing share the time instead of adding up. The stream remembers its own failure, so
 * that the copier can tell a failing source from a failing store whatever the store made of the
 * exception.
 */
final class VerifyingInputStream extends InputStream {
  private static final int CHUNK_SIZE = 1 << 20;
  // Enough to ride out a stall on either side; more only costs memory per running copy.
  private static final int CHUNKS_AHEAD = 4;
  // How often a side waiting for the other looks whether the copy was closed or cancelled.
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Chunk END = new Chunk(new byte[0], 0);
  private static final Chunk FAILED = new Chunk(new byte[0], 0);

  private final InputStream source;
  private final URI sourceUri;
  private final String expectedSha256;
  private final long expectedSize;
  private final ProgressReporter progress;
  // Whoever reads (the store may read on its own threads), cancelling the copy means interrupting this one.
  private final Thread copier = Thread.currentThread();
  private final Thread reader;
  private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(CHUNKS_AHEAD + 1);
  private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
  private volatile IOException failure;
  private volatile boolean closed;
  private Chunk current;
  private int position;
  private long bytesDelivered;

  private VerifyingInputStream(InputStream source, URI sourceUri, String expectedSha256, long expectedSize, ProgressReporter progress) {
    this.source = source;
    this.sourceUri = sourceUri;
    this.expectedSha256 = expectedSha256;
    this.expectedSize = expectedSize;
    this.progress = progress;
    for (int i = 0; i < CHUNKS_AHEAD; i++) {
      empty.add(new byte[CHUNK_SIZE]);
    }
    this.reader = new Thread(this::readAhead, "replica-reader-" + copier.getName());
    reader.setDaemon(true);
  }

  /** Starts reading {@code source} ahead; the caller closes the stream, which closes the source. */
  static VerifyingInputStream start(InputStream source, URI sourceUri, String expectedSha256, long expectedSize,
      ProgressReporter progress) {
    VerifyingInputStream stream = new VerifyingInputStream(source, sourceUri, expectedSha256, expectedSize, progress);
    stream.reader.start();
    return stream;
  }

  /** Bytes handed to the store so far. */
  long bytesRead() {
    return bytesDelivered;
  }

  /** The failure of the source or of verification, or the cancellation, if any happened. */
  Optional<IOException> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (current == END) {
      return -1;
    }
    if (current == null || position == current.length) {
      nextChunk();
      if (current == END) {
        return -1;
      }
    }
    int n = Math.min(length, current.length - position);
    System.arraycopy(current.data, position, buffer, offset, n);
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
    if (current != END && read() >= 0) {
      throw new IllegalStateException("the store stopped reading after " + bytesDelivered + " of " + expectedSize + " bytes");
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    reader.interrupt();
    // Closing the source also frees a reader blocked in a read that ignores interrupts.
    source.close();
    try {
      reader.join(POLL.toMillis() * 50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void nextChunk() throws IOException {
    if (current != null && current.length > 0) {
      empty.add(current.data);
    }
    current = null;
    position = 0;
    try {
      while (current == null) {
        if (copier.isInterrupted() || closed) {
          throw fail(new InterruptedIOException("copy from " + sourceUri + " cancelled"));
        }
        current = filled.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fail(new InterruptedIOException("copy from " + sourceUri + " cancelled"));
    }
    if (current == FAILED) {
      throw failure;
    }
  }

  /** The reader thread: reads and hashes the source, hands it over in chunks, then END or FAILED. */
  private void readAhead() {
    MessageDigest digest = sha256();
    long hashed = 0;
    try {
      while (hashed < expectedSize) {
        byte[] buffer = await(empty);
        int wanted = (int) Math.min(buffer.length, expectedSize - hashed);
        int n = fill(buffer, wanted);
        if (n < wanted) {
          // Neither the count read nor anything else of unverified bytes is told: the source may not be the tenant's to know.
          throw new DigestMismatchException("source " + sourceUri + " ended before the expected " + expectedSize
              + " bytes with sha256 " + expectedSha256);
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
        throw new DigestMismatchException("the bytes of " + sourceUri + " do not have the expected sha256 " + expectedSha256);
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
      throw new SourceUnreachableException("reading source " + sourceUri + " broke off: " + e.getClass().getSimpleName(), e);
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

  private synchronized IOException fail(IOException e) {
    if (failure == null) {
      failure = e;
    }
    return failure;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private record Chunk(byte[] data, int length) {}
}
