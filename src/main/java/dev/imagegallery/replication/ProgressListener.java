package dev.imagegallery.replication;

/** Told how far a copy is; called at a bounded rate, and always once at the end. */
@FunctionalInterface
public interface ProgressListener {
    void onProgress(long bytesCopied, long totalBytes);
}
