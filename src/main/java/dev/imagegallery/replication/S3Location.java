package dev.imagegallery.replication;

import java.net.URI;

/**
 * The bucket and key of an {@code s3://bucket/key} URL: a store's endpoint (the key is its prefix)
 * or a source's object.
 *
 * @param key the path without its leading slash, possibly empty
 */
record S3Location(String bucket, String key) {
    /** @throws IllegalArgumentException when {@code url} is no {@code s3://bucket[/key]} URL */
    static S3Location of(URI url) {
        // The authority, not the host: a bucket such as 1-images is no host name to java.net.URI.
        String bucket = url.getRawAuthority();
        if (url.getRawUserInfo() != null || (bucket != null && bucket.contains("@"))) {
            // Not echoed: what precedes the @ may be a credential.
            throw new IllegalArgumentException("an s3:// URL carries no user information");
        }
        if (!"s3".equals(url.getScheme())
                || bucket == null
                || bucket.isEmpty()
                || url.getRawQuery() != null
                || url.getRawFragment() != null) {
            throw new IllegalArgumentException("not an s3://bucket/key URL: " + url);
        }
        String path = url.getPath() == null ? "" : url.getPath();
        return new S3Location(bucket, path.startsWith("/") ? path.substring(1) : path);
    }
}
