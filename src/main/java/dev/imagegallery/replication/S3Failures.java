package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.Set;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What the AWS SDK's exceptions mean for a store or a source, in one place: the failure reason, and
 * a message of the form {@code cannot <purpose> in store s3://bucket/prefix: <S3 error code> (HTTP n)}.
 * The message is built from the error code and status only, never from the SDK's own message or the
 * request, so that no header, signature or key can end up in a condition, an Event or a log line.
 */
final class S3Failures {
    private static final int NOT_FOUND = 404;
    private static final int UNAUTHORIZED = 401;
    private static final int FORBIDDEN = 403;

    /** Error codes of S3 and of S3-compatible servers for keys that are unknown, wrong or expired. */
    private static final Set<String> AUTHENTICATION_CODES = Set.of(
            "SignatureDoesNotMatch",
            "InvalidAccessKeyId",
            "AccessDenied",
            "InvalidToken",
            "ExpiredToken",
            "TokenRefreshRequired",
            "InvalidSecurity",
            "AuthorizationHeaderMalformed");

    private S3Failures() {}

    /** The failure of a request on {@code store} made to {@code purpose} (for example "delete team-a/main/ubuntu/1.2.0/0"). */
    static StoreUnavailableException store(String purpose, URI store, SdkException e) {
        return new StoreUnavailableException(
                reasonFor(e), "cannot " + purpose + " in store " + store + ": " + describe(e), e);
    }

    /**
     * As {@link #store}, except that a request the SDK gave up because the calling thread was
     * interrupted comes out as the cancellation it is, not as a failure of the store.
     */
    static IOException storeOrCancelled(String purpose, URI store, SdkException e) {
        if (isCancelled(e)) {
            return (IOException)
                    new InterruptedIOException("cannot " + purpose + " in store " + store + ": cancelled").initCause(e);
        }
        return store(purpose, store, e);
    }

    /** The failure of a request for the source {@code url} made to {@code purpose}: the source is unreachable, whatever the cause. */
    static SourceUnreachableException source(String purpose, URI url, SdkException e) {
        return new SourceUnreachableException("cannot " + purpose + " of source " + url + ": " + describe(e), e);
    }

    /** Whether S3 answered that what was asked for (a key, an upload) does not exist. */
    static boolean isNotFound(SdkException e) {
        return e instanceof SdkServiceException service && service.statusCode() == NOT_FOUND;
    }

    static FailureReason reasonFor(SdkException e) {
        if (e instanceof SdkServiceException service) {
            String code = errorCode(e);
            // A HEAD answer has no body: the SDK names a 404 itself (NoSuchBucket for HeadBucket, NoSuchKey
            // for HeadObject), a 403 it leaves without a code.
            if ("NoSuchBucket".equals(code) || (code == null && service.statusCode() == NOT_FOUND)) {
                return FailureReason.BucketNotFound;
            }
            if ((code != null && AUTHENTICATION_CODES.contains(code))
                    || service.statusCode() == UNAUTHORIZED
                    || service.statusCode() == FORBIDDEN) {
                return FailureReason.AuthenticationFailed;
            }
            return FailureReason.StoreUnavailable;
        }
        return Tls.reasonFor(e);
    }

    /**
     * {@code <code> (HTTP n)} for an answer of the server; for a request that got no answer the
     * innermost cause's type and message (a refused connection, an untrusted certificate, a timeout),
     * which come from the JDK and the HTTP client, not from anything signed.
     */
    static String describe(SdkException e) {
        if (e instanceof SdkServiceException service) {
            String code = errorCode(e);
            return code == null ? "HTTP " + service.statusCode() : code + " (HTTP " + service.statusCode() + ")";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** The SDK gives up with an AbortedException on an interrupted thread; a socket timeout is no cancellation. */
    private static boolean isCancelled(SdkException e) {
        return e instanceof AbortedException || Thread.currentThread().isInterrupted();
    }

    private static String errorCode(SdkException e) {
        if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
            String code = s3.awsErrorDetails().errorCode();
            return code == null || code.isBlank() ? null : code;
        }
        return null;
    }
}
