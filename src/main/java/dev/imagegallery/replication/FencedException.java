package dev.imagegallery.replication;

import java.io.InterruptedIOException;

/**
 * This process no longer holds the Lease: the copy stops where it is and commits nothing. It is no
 * failure of the replica, which the new leader copies; like a cancelled copy it changes no state.
 */
public final class FencedException extends InterruptedIOException {
    public FencedException(String message) {
        super(message);
    }
}
