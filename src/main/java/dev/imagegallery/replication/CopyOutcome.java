package dev.imagegallery.replication;

/** How a replica came to be complete. */
public enum CopyOutcome {
  /** The bytes were copied and verified. */
  Copied,
  /** The store already held the replica, with a marker of the expected digest and the expected size. */
  AlreadyPresent
}
