package dev.imagegallery.replication;

/**
 * Told of every change of a replica's state, including throttled progress while it is copied, in
 * the order they happened; for a controller to trigger a reconcile. Called on one notifying thread,
 * never under the executor's lock, so it may query the executor.
 */
@FunctionalInterface
public interface CopyListener {
    void onStateChange(ReplicaKey key, CopyState state);
}
