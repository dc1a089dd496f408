package dev.imagegallery.replication;

/** A store cannot be reached, or refused an operation such as a write. */
public final class StoreUnavailableException extends ReplicationException {
  public StoreUnavailableException(String message) {
    super(message, null);
  }

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public FailureReason reason() {
    return FailureReason.StoreUnavailable;
  }
}
