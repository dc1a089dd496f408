package dev.imagegallery.replication;

import java.io.IOException;

/** A replication failure whose {@link #reason()} a controller can report as it is. */
public abstract class ReplicationException extends IOException {
  protected ReplicationException(String message, Throwable cause) {
    super(message, cause);
  }

  public abstract FailureReason reason();
}
