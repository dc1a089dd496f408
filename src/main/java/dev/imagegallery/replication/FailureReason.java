package dev.imagegallery.replication;

/** Why a replica could not be copied, in words a controller can use as a condition reason. */
public enum FailureReason {
    /** The admin's source policy does not allow the source (image-gallery.sources.allowed-url-prefixes). */
    SourceNotAllowed,
    /** The source is missing, refused the request, or broke off while being read. */
    SourceUnreachable,
    /** The store cannot be reached or refuses to write. */
    StoreUnavailable,
    /** The store refused the credentials of its Secret, or the Secret is missing or lacks a key. */
    AuthenticationFailed,
    /** The store's TLS certificate is not vouched for by its CA bundle, or the bundle is missing or unreadable. */
    CertificateInvalid,
    /** The bucket of an s3:// store does not exist. */
    BucketNotFound,
    /** The bytes read do not have the expected SHA-256 digest or size. */
    DigestMismatch,
    /** Anything else: a defect, not a condition of the source or store. */
    Internal
}
