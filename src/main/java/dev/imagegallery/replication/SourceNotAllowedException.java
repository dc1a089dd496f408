package dev.imagegallery.replication;

/** The admin's source policy does not let the operator read this source; the message names the setting only. */
public final class SourceNotAllowedException extends ReplicationException {
  public SourceNotAllowedException(String message) {
    super(message, null);
  }

  @Override
  public FailureReason reason() {
    return FailureReason.SourceNotAllowed;
  }
}
