package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Sending with the JDK client from code whose callers expect only IOException. */
final class Http {
    private Http() {}

    static <T> HttpResponse<T> send(HttpClient http, HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException {
        try {
            return http.send(request, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw (IOException)
                    new InterruptedIOException(request.method() + " " + request.uri() + " interrupted").initCause(e);
        }
    }

    static boolean isSuccess(int status) {
        return status / 100 == 2;
    }
}
