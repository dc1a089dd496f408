package dev.imagegallery.replication;

import java.util.Objects;

/**
 * What a store is signed in with, read from the Secret its Region names. Never printed: every
 * {@code toString} says only which kind of credentials it is, so a log line, an exception or a
 * status message that mentions one cannot leak it.
 */
public sealed interface StoreCredentials {
    /** No credentials: anonymous access, or a {@code file://} store. */
    None NONE = new None();

    record None() implements StoreCredentials {}

    /** S3 access keys; {@code sessionToken} is null unless the keys are temporary. */
    record AccessKeys(String accessKeyId, String secretAccessKey, String sessionToken) implements StoreCredentials {
        public AccessKeys {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        }

        @Override
        public String toString() {
            return "AccessKeys[redacted]";
        }
    }

    /** A user name and password, sent as HTTP basic authentication (WebDAV) or to a registry's token service. */
    record UsernamePassword(String username, String password) implements StoreCredentials {
        public UsernamePassword {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "UsernamePassword[redacted]";
        }
    }

    /** A bearer token. */
    record Token(String token) implements StoreCredentials {
        public Token {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "Token[redacted]";
        }
    }
}
