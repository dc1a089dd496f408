package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The source stream of one copy, as the store reads it: exactly the expected number of bytes,
 * hashed and counted as they pass. It ends only after the digest matched, so a store that reads it
 * to the end has received verified bytes. It remembers its own failure, so that the copier can tell
 * a failing source from a failing store whatever the store made of the exception.
 */
final class VerifyingInputStream extends InputStream {
  private final InputStream source;
  private final URI sourceUri;
  private final String expectedSha256;
  private final long expectedSize;
  private final ProgressReporter progress;
  // Whoever reads (the store may read on its own threads), cancelling the copy means interrupting this one.
  private final Thread copier = Thread.currentThread();
  private final MessageDigest digest;
  private long bytesRead;
  private boolean verified;
  private IOException failure;

  VerifyingInputStream(InputStream source, URI sourceUri, String expectedSha256, long expectedSize, ProgressReporter progress) {
    this.source = source;
    this.sourceUri = sourceUri;
    this.expectedSha256 = expectedSha256;
    this.expectedSize = expectedSize;
    this.progress = progress;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  long bytesRead() {
    return bytesRead;
  }

  /** The failure of the source or of verification, if any happened. */
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
    if (failure != null) {
      throw failure;
    }
    if (copier.isInterrupted()) {
      throw fail(new InterruptedIOException("copy from " + sourceUri + " cancelled"));
    }
    if (length == 0) {
      return 0;
    }
    if (bytesRead == expectedSize) {
      verifyEnd();
      return -1;
    }
    int n;
    try {
      n = source.read(buffer, offset, (int) Math.min(length, expectedSize - bytesRead));
    } catch (IOException e) {
      throw fail(new SourceUnreachableException(
          "reading source " + sourceUri + " failed after " + bytesRead + " bytes: " + e.getMessage(), e));
    }
    if (n < 0) {
      throw fail(new DigestMismatchException("source " + sourceUri + " ended after " + bytesRead
          + " bytes, but " + expectedSize + " bytes with sha256 " + expectedSha256 + " were expected"));
    }
    digest.update(buffer, offset, n);
    bytesRead += n;
    progress.advance(bytesRead);
    return n;
  }

  /**
   * Checks that the source has no more bytes and that the digest matches; a store need not read
   * to the end of a stream whose length it was told, so the copier calls this before committing.
   */
  void verifyEnd() throws IOException {
    if (verified) {
      return;
    }
    if (bytesRead != expectedSize) {
      throw new IllegalStateException("verifyEnd after " + bytesRead + " of " + expectedSize + " bytes");
    }
    int next;
    try {
      next = source.read();
    } catch (IOException e) {
      throw fail(new SourceUnreachableException("reading source " + sourceUri + " failed at its end: " + e.getMessage(), e));
    }
    if (next >= 0) {
      throw fail(new DigestMismatchException("source " + sourceUri + " has more than the expected " + expectedSize
          + " bytes (expected sha256 " + expectedSha256 + ")"));
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(expectedSha256)) {
      throw fail(new DigestMismatchException("digest mismatch for " + sourceUri + ": expected sha256 " + expectedSha256
          + " but read " + actual + " (" + bytesRead + " bytes)"));
    }
    verified = true;
  }

  @Override
  public void close() throws IOException {
    source.close();
  }

  private IOException fail(IOException e) {
    failure = e;
    return e;
  }
}
