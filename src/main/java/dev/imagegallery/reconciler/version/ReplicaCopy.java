package dev.imagegallery.reconciler.version;

import dev.imagegallery.replication.CopyState;

/**
 * One replica's copy as its status shows it.
 *
 * @param copiedFrom what it is (or was) copied from ({@link dev.imagegallery.replication.CopyJob#origin()}); null
 *     while it waits for a replica to copy from, or when a replica found complete after a restart has no record of it
 * @param url where a consumer reads it, once it is complete; null before
 */
record ReplicaCopy(CopyState state, String copiedFrom, String url) {}
