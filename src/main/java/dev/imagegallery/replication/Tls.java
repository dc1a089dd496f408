package dev.imagegallery.replication;

import javax.net.ssl.SSLHandshakeException;

/** Telling a certificate the store's CA does not vouch for from other failures to reach a store. */
final class Tls {
    private Tls() {}

    /** {@link FailureReason#CertificateInvalid} when {@code failure} is a failed TLS handshake, else StoreUnavailable. */
    static FailureReason reasonFor(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLHandshakeException) {
                return FailureReason.CertificateInvalid;
            }
        }
        return FailureReason.StoreUnavailable;
    }
}
