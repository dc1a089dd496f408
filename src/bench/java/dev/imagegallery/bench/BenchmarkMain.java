package dev.imagegallery.bench;

/** How a benchmark's main method ends: 0 after a run, 1 with the stack trace after a failure. */
final class BenchmarkMain {
    /** A benchmark's run, which may throw anything. */
    @FunctionalInterface
    interface Run {
        void run() throws Exception;
    }

    private BenchmarkMain() {}

    /** Runs {@code run} and exits: the control plane's shutdown hook and the clients' threads would keep a failed run alive. */
    static void runAndExit(Run run) {
        try {
            run.run();
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }
}
