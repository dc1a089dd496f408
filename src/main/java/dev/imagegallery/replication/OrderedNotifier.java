package dev.imagegallery.replication;

import java.lang.System.Logger.Level;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Tells a {@link CopyListener} of state changes on one thread of its own: in the order they were
 * handed in (under the executor's lock), and with the listener outside that lock.
 */
final class OrderedNotifier implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OrderedNotifier.class.getName());

    private final CopyListener listener;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(DaemonThreads.named("replication-notify"));

    OrderedNotifier(CopyListener listener) {
        this.listener = listener;
    }

    void tell(ReplicaKey key, CopyState state) {
        thread.execute(() -> {
            try {
                listener.onStateChange(key, state);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "replication listener failed on " + key + " " + state, e);
            }
        });
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
