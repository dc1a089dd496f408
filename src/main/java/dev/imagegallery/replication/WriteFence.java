package dev.imagegallery.replication;

/**
 * Who writes replicas, and whether it still may. With several operator replicas only the Lease
 * holder copies; one that lost the Lease without knowing it yet (paused, cut off) must not write a
 * byte more into a store, nor make anything visible there.
 */
public interface WriteFence {
    /** Names the writer in staging names and markers: this process's Lease identity. */
    String writer();

    /** Returns while this process may write; throws once it cannot show that it still holds the Lease. */
    void check() throws FencedException;

    /** A fence that always lets {@code writer} write: one process alone, without leader election. */
    static WriteFence open(String writer) {
        return new WriteFence() {
            @Override
            public String writer() {
                return writer;
            }

            @Override
            public void check() {}
        };
    }
}
