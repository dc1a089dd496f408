package dev.imagegallery.replication;

/**
 * How a multipart upload cuts an object of {@code size} bytes into parts: every part {@code
 * partSize} bytes but the last, which holds the rest. S3 allows at most {@value #MAX_PARTS} parts of
 * 5 MiB to 5 GiB each (the last part may be smaller) and objects of at most 5 TiB, so the part size
 * is the larger of a floor and the size over 10,000 rounded up to a MiB: 16 MiB parts up to 156 GiB,
 * 525 MiB parts for 5 TiB (9,987 parts; 512 MiB parts would reach only 5,000 GiB).
 *
 * @param size the object's size in bytes
 * @param partSize the size of every part but the last
 * @param count how many parts: at least one, since an empty object is one empty part
 */
record S3Parts(long size, long partSize, int count) {
    static final int MAX_PARTS = 10_000;
    static final long MIB = 1L << 20;
    /** S3's least part size, for every part but the last. */
    static final long MIN_PART_SIZE = 5 * MIB;
    /** S3's greatest part size. */
    static final long MAX_PART_SIZE = 5L << 30;
    /** S3's greatest object size. */
    static final long MAX_OBJECT_SIZE = 5L << 40;
    /**
     * The usual floor: few enough requests for small images, and a part in flight is never held in
     * memory (the body streams), so larger parts cost nothing but the bytes a failed part wastes.
     */
    static final long DEFAULT_MIN_PART_SIZE = 16 * MIB;

    /**
     * The parts of an object of {@code size} bytes, each at least {@code minPartSize} bytes but the last.
     *
     * @throws IllegalArgumentException when S3 cannot hold an object of that size (above 5 TiB) or the
     *     floor lies outside S3's part sizes
     */
    static S3Parts of(long size, long minPartSize) {
        if (size < 0 || size > MAX_OBJECT_SIZE) {
            throw new IllegalArgumentException("an S3 object holds 0 to 5 TiB, not " + size + " bytes");
        }
        if (minPartSize < MIN_PART_SIZE || minPartSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("S3 parts hold 5 MiB to 5 GiB, not " + minPartSize + " bytes");
        }
        long perPart = ceilDiv(size, MAX_PARTS);
        long partSize = Math.max(minPartSize, ceilDiv(perPart, MIB) * MIB);
        int count = (int) Math.max(1, ceilDiv(size, partSize));
        return new S3Parts(size, partSize, count);
    }

    /** The size of part {@code number}, counted from 1 as S3 does. */
    long length(int number) {
        if (number < 1 || number > count) {
            throw new IllegalArgumentException("no part " + number + " of " + count);
        }
        return number < count ? partSize : size - (long) (count - 1) * partSize;
    }

    private static long ceilDiv(long dividend, long divisor) {
        return (dividend + divisor - 1) / divisor;
    }
}
