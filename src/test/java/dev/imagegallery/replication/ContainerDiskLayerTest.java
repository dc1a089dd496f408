package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContainerDiskLayerTest {
    private static final ReplicaKey VERSION =
            new ReplicaKey(new VersionKey("team-a", "main", "ubuntu", "1.2.0"), "westeurope", 0);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 511, 512, 513, 1024, 10_000, (1 << 20) + 7})
    void theComputedSizeIsEveryByteTheStreamGivesAndTheBytesAreWhatCommonsCompressWrites(int diskSize)
            throws IOException {
        byte[] disk = random(diskSize);
        ContainerDiskLayer layer = ContainerDiskLayer.of(VERSION, diskSize);

        ContainerDiskLayer.LayerStream stream = layer.stream(new ByteArrayInputStream(disk));
        byte[] streamed = readInSmallPieces(stream);

        assertThat(streamed).hasSize(Math.toIntExact(layer.size()));
        assertThat(streamed).isEqualTo(writtenWholeByCommonsCompress(disk));
        assertThat(stream.digest()).isEqualTo("sha256:" + TestSource.sha256(streamed));
        assertThat(stream.read()).isEqualTo(-1);
    }

    @Test
    void theLayerHoldsTheDiskDirectoryAndTheImageOwnedByQemuReadOnlyModifiedAtTheEpoch() throws IOException {
        byte[] disk = random(70_000);
        ContainerDiskLayer layer = ContainerDiskLayer.of(VERSION, disk.length);
        assertThat(layer.path()).isEqualTo("disk/ubuntu-1.2.0.img");

        try (TarArchiveInputStream tar = new TarArchiveInputStream(layer.stream(new ByteArrayInputStream(disk)))) {
            TarArchiveEntry directory = tar.getNextEntry();
            assertThat(directory.getName()).isEqualTo("disk/");
            assertThat(directory.isDirectory()).isTrue();
            assertThat(directory.getMode() & 07777).isEqualTo(0555);
            assertOwnedByQemuAtTheEpoch(directory);

            TarArchiveEntry image = tar.getNextEntry();
            assertThat(image.getName()).isEqualTo("disk/ubuntu-1.2.0.img");
            assertThat(image.isFile()).isTrue();
            assertThat(image.getMode() & 07777).isEqualTo(0444);
            assertThat(image.getSize()).isEqualTo(disk.length);
            assertOwnedByQemuAtTheEpoch(image);
            assertThat(tar.readAllBytes()).isEqualTo(disk);

            assertThat(tar.getNextEntry()).isNull();
        }
    }

    @Test
    void aDiskOf8GiBOrMoreGetsAPaxSizeHeaderAndTheSizeStillAddsUp() throws IOException {
        long diskSize = 8L << 30; // one more than the 11 octal digits of a plain header hold
        ContainerDiskLayer layer = ContainerDiskLayer.of(VERSION, diskSize);

        try (TarArchiveInputStream tar = new TarArchiveInputStream(layer.stream(new ZeroStream(diskSize)))) {
            assertThat(tar.getNextEntry().getName()).isEqualTo("disk/");
            TarArchiveEntry image = tar.getNextEntry();
            assertThat(image.getName()).isEqualTo("disk/ubuntu-1.2.0.img");
            assertThat(image.getSize()).isEqualTo(diskSize);
            assertThat(image.getLongUserId()).isEqualTo(107);
            // The disk starts right after the headers: directory, PAX header and its record, file.
            assertThat(tar.getBytesRead()).isEqualTo(4 * 512);
            assertThat(layer.size()).isEqualTo(4 * 512 + diskSize + 2 * 512);
        }
        // Below the limit, no PAX header: two header records.
        assertThat(ContainerDiskLayer.of(VERSION, diskSize - 1).size()).isEqualTo(2 * 512 + diskSize + 2 * 512);
    }

    @Test
    void aDiskThatEndsEarlyFailsTheLayerInsteadOfPaddingIt() {
        ContainerDiskLayer layer = ContainerDiskLayer.of(VERSION, 1000);
        ContainerDiskLayer.LayerStream stream = layer.stream(new ByteArrayInputStream(random(999)));

        assertThatThrownBy(stream::readAllBytes)
                .isInstanceOf(EOFException.class)
                .hasMessage("the disk ended after 999 of its 1000 bytes");
        assertThatThrownBy(stream::digest).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDiskLongerThanItsSizeFailsTheLayer() {
        ContainerDiskLayer layer = ContainerDiskLayer.of(VERSION, 1000);

        assertThatThrownBy(() ->
                        layer.stream(new ByteArrayInputStream(random(1001))).readAllBytes())
                .isInstanceOf(IOException.class)
                .hasMessage("the disk has more than its 1000 bytes");
    }

    @Test
    void aFailureAtTheEndOfTheDiskFailsTheLayerBeforeItsLastBytes() throws IOException {
        IOException mismatch = new DigestMismatchException("wrong bytes");
        byte[] disk = random(1000);
        // Like a verifying stream: every byte, then the mismatch where the end would be.
        InputStream failingAtItsEnd = new InputStream() {
            private int next;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (next == disk.length) {
                    throw mismatch;
                }
                int n = Math.min(length, disk.length - next);
                System.arraycopy(disk, next, buffer, offset, n);
                next += n;
                return n;
            }
        };
        ContainerDiskLayer layer = ContainerDiskLayer.of(VERSION, disk.length);
        ContainerDiskLayer.LayerStream stream = layer.stream(failingAtItsEnd);
        byte[] buffer = new byte[(int) layer.size()];
        int read = stream.readNBytes(buffer, 0, 1024 + disk.length);
        assertThat(read).isEqualTo(1024 + disk.length);

        assertThatThrownBy(() -> stream.read(buffer, read, buffer.length - read))
                .isSameAs(mismatch);
        assertThat(stream.position()).isLessThan(layer.size());
    }

    @Test
    void aFailureOfTheDiskComesOutAsItIs() {
        IOException mismatch = new DigestMismatchException("wrong bytes");
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw mismatch;
            }
        };

        assertThatThrownBy(
                        () -> ContainerDiskLayer.of(VERSION, 10).stream(failing).readAllBytes())
                .isSameAs(mismatch);
    }

    /** The same archive written by commons-compress alone, disk bytes included. */
    private static byte[] writtenWholeByCommonsCompress(byte[] disk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.putArchiveEntry(ContainerDiskLayer.entry("disk/", TarArchiveEntry.DEFAULT_DIR_MODE, 0555, 0));
            tar.closeArchiveEntry();
            tar.putArchiveEntry(ContainerDiskLayer.entry(
                    "disk/ubuntu-1.2.0.img", TarArchiveEntry.DEFAULT_FILE_MODE, 0444, disk.length));
            tar.write(disk);
            tar.closeArchiveEntry();
            tar.finish();
        }
        return out.toByteArray();
    }

    private static void assertOwnedByQemuAtTheEpoch(TarArchiveEntry entry) {
        assertThat(entry.getLongUserId()).isEqualTo(107);
        assertThat(entry.getLongGroupId()).isEqualTo(107);
        assertThat(entry.getUserName()).isEmpty();
        assertThat(entry.getGroupName()).isEmpty();
        assertThat(entry.getModTime().getTime()).isZero();
    }

    /** Reads in pieces of odd sizes, so that reads straddle the headers, the disk and the padding. */
    private static byte[] readInSmallPieces(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[333];
        for (int n; (n = in.read(buffer, 0, 1 + out.size() % buffer.length)) >= 0; ) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** {@code size} zero bytes, made as they are read. */
    private static final class ZeroStream extends InputStream {
        private long left;

        ZeroStream(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            return read(new byte[1], 0, 1) < 0 ? -1 : 0;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            Arrays.fill(buffer, offset, offset + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
