package dev.imagegallery.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Requests the API server refuses with 403, as admission policies do: their message is what the user reads. */
public final class Refusals {
    private Refusals() {}

    /** The message of the 403 the request met; fails the test if it went through. */
    public static String forbidden(ThrowingCallable request) {
        String message = forbiddenOrNull(request);
        assertThat(message).as("the request was refused").isNotNull();
        return message;
    }

    /** The message of the 403 the request met, or null if it went through; fails the test on any other error. */
    public static String forbiddenOrNull(ThrowingCallable request) {
        KubernetesClientException refusal = catchThrowableOfType(KubernetesClientException.class, request);
        if (refusal == null) {
            return null;
        }
        assertThat(refusal.getCode()).as(refusal.getMessage()).isEqualTo(403);
        return refusal.getMessage();
    }
}
