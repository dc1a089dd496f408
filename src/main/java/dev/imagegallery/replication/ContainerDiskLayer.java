package dev.imagegallery.replication;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The one layer of a KubeVirt containerDisk image as an {@code oci://} store writes it: an
 * uncompressed tar of two entries, the directory {@code disk/} (mode 0555) and the image as
 * {@code disk/<definition>-<version>.img} (mode 0444), both owned by 107:107 (the qemu user of
 * KubeVirt's launcher, which reads the disk) with numeric owners only and modified at the epoch.
 * The modes are those of kubevirt/containerdisks' own layer builder (pkg/build/tar.go); the fixed
 * owner and time make one disk always the same layer, whose digest a registry then stores once.
 *
 * <p>Uncompressed, because then the layer's size follows from the disk's before the first byte is
 * read (the upload's Content-Length, and the size the registry must report after it), its digest is
 * the SHA-256 of the bytes as they are sent (and is also the {@code diff_id} the image config
 * names), the copy threads spend no CPU on compression, and KubeVirt (through the container
 * runtime) and CDI's registry import unpack plain tar layers as well as compressed ones.
 *
 * <p>The tar is made while it is read: its headers by commons-compress, the disk's bytes passed
 * through untouched, then the zeros that pad the file to a 512-byte record and the two zero records
 * that end an archive. A disk of 8 GiB or more gets a PAX header for its size, as
 * {@link TarArchiveOutputStream#BIGNUMBER_POSIX} writes it.
 */
final class ContainerDiskLayer {
    /** The OCI media type of an uncompressed tar layer. */
    static final String MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar";
    /** The directory KubeVirt takes a containerDisk's image from. */
    static final String DIRECTORY = "disk/";
    /** uid and gid of KubeVirt's qemu user. */
    static final int QEMU = 107;

    static final int DIRECTORY_MODE = 0555;
    static final int FILE_MODE = 0444;

    private static final int RECORD = 512;
    private static final int END_OF_ARCHIVE = 2 * RECORD;

    private final String path;
    private final long diskSize;
    private final byte[] headers;

    /** The layer holding a disk of {@code diskSize} bytes as {@code disk/<fileName>}. */
    ContainerDiskLayer(String fileName, long diskSize) {
        if (fileName.isEmpty() || fileName.contains("/")) {
            throw new IllegalArgumentException("not a file name: '" + fileName + "'");
        }
        if (diskSize < 0) {
            throw new IllegalArgumentException("negative disk size: " + diskSize);
        }
        this.path = DIRECTORY + fileName;
        this.diskSize = diskSize;
        this.headers = headers(path, diskSize);
    }

    /**
     * The layer of the image of {@code disk}: {@code disk/<definition>-<version>.img} for an OS disk,
     * {@code disk/<definition>-<version>-lun<k>.img} for data disk k (its {@link ReplicaKey#imageTag tag}).
     */
    static ContainerDiskLayer of(ReplicaKey disk, long diskSize) {
        return new ContainerDiskLayer(disk.version().definition() + "-" + disk.imageTag() + ".img", diskSize);
    }

    /** The disk's path in the layer, such as {@code disk/ubuntu-1.0.0.img}. */
    String path() {
        return path;
    }

    long diskSize() {
        return diskSize;
    }

    /** The layer's size in bytes: every byte {@link #stream} gives. */
    long size() {
        return headers.length + diskSize + padding(diskSize) + END_OF_ARCHIVE;
    }

    /**
     * The layer, made while it is read from {@code disk}, which must give {@link #diskSize()} bytes;
     * the caller closes {@code disk}. Memory is bounded: nothing but the headers is held.
     */
    LayerStream stream(InputStream disk) {
        return new LayerStream(disk);
    }

    /** The headers of the two entries, up to the first byte of the disk, as commons-compress writes them. */
    private static byte[] headers(String path, long diskSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 * RECORD);
        // Not closed: it would want the disk's bytes. Its block size is one record, so every header
        // record has reached `out` once putArchiveEntry returns.
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        try {
            tar.putArchiveEntry(entry(DIRECTORY, TarArchiveEntry.DEFAULT_DIR_MODE, DIRECTORY_MODE, 0));
            tar.closeArchiveEntry();
            tar.putArchiveEntry(entry(path, TarArchiveEntry.DEFAULT_FILE_MODE, FILE_MODE, diskSize));
        } catch (IOException e) {
            throw new UncheckedIOException("writing tar headers to memory failed", e);
        }
        if (out.size() % RECORD != 0) {
            throw new IllegalStateException("tar headers of " + out.size() + " bytes, not whole records");
        }
        return out.toByteArray();
    }

    /** An entry with the type bits of {@code typeMode} and the permissions {@code permissions}. */
    static TarArchiveEntry entry(String name, int typeMode, int permissions, long size) {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setMode((typeMode & ~07777) | permissions);
        entry.setIds(QEMU, QEMU);
        entry.setNames("", "");
        entry.setModTime(0);
        entry.setSize(size);
        return entry;
    }

    private static long padding(long size) {
        long partial = size % RECORD;
        return partial == 0 ? 0 : RECORD - partial;
    }

    /**
     * The layer's bytes, and their digest once all were read. The disk must end exactly at its size:
     * an end before it is an {@link EOFException}, more bytes an IOException, and a failure of the
     * disk stream (such as a digest mismatch found at its end) comes out as it is, all before the
     * layer's last bytes, so that no upload of a wrong disk can complete.
     */
    final class LayerStream extends BlockInputStream {
        private final InputStream disk;
        private final MessageDigest digest = sha256();
        private final long diskStart = headers.length;
        private final long diskEnd = diskStart + diskSize;
        private final long end = size();
        private long position;
        private boolean diskEnded;
        private String result;

        private LayerStream(InputStream disk) {
            this.disk = disk;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (position == end) {
                return -1;
            }
            int n;
            if (position < diskStart) {
                n = (int) Math.min(length, diskStart - position);
                System.arraycopy(headers, (int) position, buffer, offset, n);
            } else if (position < diskEnd) {
                n = disk.read(buffer, offset, (int) Math.min(length, diskEnd - position));
                if (n < 0) {
                    throw new EOFException(
                            "the disk ended after " + (position - diskStart) + " of its " + diskSize + " bytes");
                }
            } else {
                if (!diskEnded) {
                    requireDiskEnd();
                    diskEnded = true;
                }
                n = (int) Math.min(length, end - position);
                Arrays.fill(buffer, offset, offset + n, (byte) 0);
            }
            digest.update(buffer, offset, n);
            position += n;
            return n;
        }

        /**
         * Reads the disk's end, where a verifying stream tells whether its bytes were right, so that
         * a wrong disk fails the layer before its last record and no registry completes the upload.
         */
        private void requireDiskEnd() throws IOException {
            if (disk.read() >= 0) {
                throw new IOException("the disk has more than its " + diskSize + " bytes");
            }
        }

        /** Bytes given so far. */
        long position() {
            return position;
        }

        /** {@code sha256:<hex>} of the whole layer; only once every byte was read. */
        String digest() {
            if (position != end) {
                throw new IllegalStateException("the layer was read to " + position + " of " + end + " bytes");
            }
            if (result == null) {
                result = "sha256:" + HexFormat.of().formatHex(digest.digest());
            }
            return result;
        }

        /** Leaves the disk open: it belongs to the caller. */
        @Override
        public void close() {}
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
