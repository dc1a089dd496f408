package dev.imagegallery.replication;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * A store in a local directory (a mounted volume). Copies are written to the staging name, synced
 * to disk and renamed atomically, so a crash leaves either the old state or the complete object.
 */
final class FileObjectStore implements ObjectStore {
    private static final System.Logger LOG = System.getLogger(FileObjectStore.class.getName());
    // Large enough that system calls cost nothing next to the bytes moved.
    private static final int BUFFER_SIZE = 1 << 20;
    // Often enough that the final sync finds little left, rarely enough that syncing costs no throughput.
    private static final long FLUSH_BEHIND_BYTES = 64L << 20;
    private static final ExecutorService FLUSHERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "file-store-flush");
        thread.setDaemon(true);
        return thread;
    });

    private final Path root;

    FileObjectStore(Path root) {
        this.root = root;
    }

    @Override
    public URI endpoint() {
        return root.toUri();
    }

    @Override
    public StagedObject stage(ReplicaKey key, Attempt attempt, InputStream content, long size) throws IOException {
        String path = key.objectPath();
        // A missing root is an unmounted volume, which must not be papered over by creating it.
        probe();
        Path object = root.resolve(path);
        Path staging = sibling(object, attempt.stagingSuffix());
        Files.createDirectories(object.getParent());
        // Only the Lease holder copies: what other attempts left (a killed or fenced leader's) is dead. Removing a
        // file another process still has open leaves that process writing into a file no name leads to.
        for (Path other : staged(object)) {
            if (!other.equals(staging)) {
                Files.deleteIfExists(other);
            }
        }
        // The attempt's own file holds what it took over; cut to its offset, it is empty when it goes from the start.
        try (FileChannel out = FileChannel.open(staging, CREATE, WRITE)) {
            if (out.size() < attempt.offset()) {
                throw new IllegalStateException("attempt " + staging + " holds " + out.size()
                        + " bytes where it took over " + attempt.offset());
            }
            out.truncate(attempt.offset());
            out.position(attempt.offset());
            FlushBehind flushBehind = new FlushBehind(out);
            byte[] buffer = new byte[BUFFER_SIZE];
            ByteBuffer chunk = ByteBuffer.wrap(buffer);
            for (int n; (n = content.read(buffer)) >= 0; ) {
                chunk.clear().limit(n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                flushBehind.written(n);
            }
            flushBehind.await();
            out.force(true);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(staging);
            throw e;
        }
        Path marker = sibling(object, MARKER_SUFFIX);
        return new StagedCopy(attempt) {
            @Override
            protected void verifyStored(String sha256) throws IOException {
                checkDigest(Files.newInputStream(staging), sha256, path);
            }

            @Override
            protected void removeMarker() throws IOException {
                Files.deleteIfExists(marker);
            }

            @Override
            protected void moveIntoPlace() throws IOException {
                Files.move(staging, object, ATOMIC_MOVE, REPLACE_EXISTING);
            }

            @Override
            protected void writeMarker(String content) throws IOException {
                writeDurably(marker, content);
                syncDirectory(object.getParent());
            }

            @Override
            protected void discard() {
                deleteQuietly(staging);
            }
        };
    }

    /** Copies the longest prefix an earlier attempt staged, as it stands now: a writer only ever appends to it. */
    @Override
    public StagedPrefix takeOver(ReplicaKey key, Attempt attempt) throws IOException {
        probe();
        Path object = root.resolve(key.objectPath());
        Path own = sibling(object, attempt.stagingSuffix());
        String markerStaging = object.getFileName() + MARKER_SUFFIX + STAGING_SUFFIX;
        Path longest = null;
        long length = 0;
        for (Path other : staged(object)) {
            long size = Files.size(other);
            if (!other.getFileName().toString().equals(markerStaging) && size > length) {
                longest = other;
                length = size;
            }
        }
        StagedPrefix prefix = StagedPrefix.none();
        if (longest != null) {
            try (InputStream in = new DigestInputStream(Files.newInputStream(longest), prefix.digest());
                    OutputStream out = Files.newOutputStream(own, CREATE_NEW, WRITE)) {
                long copied = copy(in, out, length);
                prefix = new StagedPrefix(copied, prefix.digest());
            } catch (IOException e) {
                throw new StoreUnavailableException(
                        "cannot take over what was staged for " + key.objectPath() + " in store " + endpoint() + ": "
                                + e,
                        e);
            }
        }
        for (Path other : staged(object)) {
            if (!other.equals(own)) {
                Files.deleteIfExists(other);
            }
        }
        return prefix;
    }

    /** Copies at most {@code limit} bytes; returns how many there were. */
    private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        long copied = 0;
        for (int n; copied < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - copied))) >= 0; ) {
            out.write(buffer, 0, n);
            copied += n;
        }
        return copied;
    }

    @Override
    public boolean verify(ReplicaKey key, String sha256, long size) throws StoreUnavailableException {
        String path = key.objectPath();
        Path object = root.resolve(path);
        try {
            String marker = Files.readString(sibling(object, MARKER_SUFFIX), StandardCharsets.US_ASCII);
            return Attempt.digestOf(marker).equals(sha256) && Files.size(object) == size;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot verify " + path + " in store " + endpoint() + ": " + e, e);
        }
    }

    @Override
    public ImageSource replica(ReplicaKey key, long size) throws StoreUnavailableException {
        Path object = root.resolve(key.objectPath());
        long actual = readReplica(key, () -> Files.size(object));
        if (actual != size) {
            throw ReplicaImageSource.ofOtherSize(key, endpoint(), actual, size);
        }
        return new ReplicaImageSource(object.toUri(), size, () -> readReplica(key, () -> Files.newInputStream(object)));
    }

    /** What {@code read} gives of the replica {@code key}, its failures named as the replica's in this store. */
    private <T> T readReplica(ReplicaKey key, ReplicaRead<T> read) throws StoreUnavailableException {
        try {
            return read.read();
        } catch (NoSuchFileException e) {
            throw ReplicaImageSource.missing(key, endpoint());
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read replica " + key + " in store " + endpoint() + ": " + e, e);
        }
    }

    @FunctionalInterface
    private interface ReplicaRead<T> {
        T read() throws IOException;
    }

    @Override
    public void delete(ReplicaKey key) throws StoreUnavailableException {
        String path = key.objectPath();
        Path object = root.resolve(path);
        try {
            // The marker goes first, so that an interrupted delete never leaves a marker without its object.
            Files.deleteIfExists(sibling(object, MARKER_SUFFIX));
            Files.deleteIfExists(object);
            for (Path staging : staged(object)) {
                Files.deleteIfExists(staging);
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot delete " + path + " from store " + endpoint() + ": " + e, e);
        }
    }

    @Override
    public Optional<List<StoredObject>> list() throws StoreUnavailableException {
        try (Stream<Path> files = Files.walk(root)) {
            return Optional.of(files.filter(Files::isRegularFile)
                    .map(file -> new StoredObject(
                            root.relativize(file).toString(), file.toFile().length()))
                    .toList());
        } catch (IOException | UncheckedIOException e) {
            throw new StoreUnavailableException("cannot list store " + endpoint() + ": " + e, e);
        }
    }

    @Override
    public void probe() throws StoreUnavailableException {
        if (!Files.isDirectory(root)) {
            throw new StoreUnavailableException("store " + endpoint() + " is not an existing directory");
        }
        if (!Files.isWritable(root)) {
            throw new StoreUnavailableException("store " + endpoint() + " is not writable");
        }
    }

    /** Every staged file of {@code object} and of its marker: {@code <object>.*.partial}. */
    private static List<Path> staged(Path object) throws IOException {
        String prefix = object.getFileName() + ".";
        List<Path> staged = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(
                object.getParent(),
                file -> file.getFileName().toString().startsWith(prefix)
                        && file.getFileName().toString().endsWith(STAGING_SUFFIX))) {
            files.forEach(staged::add);
        } catch (NoSuchFileException e) {
            // No directory, nothing staged.
        }
        return staged;
    }

    private static Path sibling(Path object, String suffix) {
        return object.resolveSibling(object.getFileName() + suffix);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The next attempt at this replica or its delete removes what is left here.
            LOG.log(Level.WARNING, "could not remove " + file + ": " + e);
        }
    }

    private static void writeDurably(Path file, String text) throws IOException {
        Path staging = sibling(file, STAGING_SUFFIX);
        try (FileChannel out = FileChannel.open(staging, CREATE, WRITE, TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        }
        Files.move(staging, file, ATOMIC_MOVE, REPLACE_EXISTING);
    }

    /** Makes the renames themselves durable, which syncing the files does not. */
    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /**
     * Syncs what a copy has written so far on another thread while the copy goes on, so that the disk
     * writes back during the copy instead of all at its end.
     */
    private static final class FlushBehind {
        private final FileChannel out;
        private long unflushed;
        private CompletableFuture<Void> flushing = CompletableFuture.completedFuture(null);

        FlushBehind(FileChannel out) {
            this.out = out;
        }

        void written(long bytes) {
            unflushed += bytes;
            if (unflushed >= FLUSH_BEHIND_BYTES && flushing.isDone()) {
                unflushed = 0;
                flushing = CompletableFuture.runAsync(
                        () -> {
                            try {
                                out.force(false);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        FLUSHERS);
            }
        }

        void await() throws IOException {
            try {
                flushing.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof UncheckedIOException io ? io.getCause() : new IOException(e.getCause());
            }
        }
    }
}
