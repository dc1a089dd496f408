package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;

/** An image served over HTTP(S): HEAD tells its size, GET streams it. */
final class HttpImageSource implements ImageSource {
  private final HttpClient http;
  private final URI uri;

  HttpImageSource(HttpClient http, URI uri) {
    this.http = http;
    this.uri = uri;
  }

  @Override
  public URI uri() {
    return uri;
  }

  @Override
  public long probeSize() throws SourceUnreachableException {
    HttpResponse<Void> response = send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        BodyHandlers.discarding());
    requireOk("HEAD", response);
    return response.headers().firstValueAsLong("Content-Length").orElseThrow(() -> new SourceUnreachableException(
        "HEAD " + uri + " did not report the size (no Content-Length); declare the size of the source instead"));
  }

  @Override
  public InputStream open() throws SourceUnreachableException {
    // An error page is dropped as it arrives, so that nothing is left to close when the status fails.
    HttpResponse<InputStream> response = send(HttpRequest.newBuilder(uri).GET().build(),
        info -> info.statusCode() == 200 ? BodyHandlers.ofInputStream().apply(info) : BodySubscribers.replacing(null));
    requireOk("GET", response);
    return response.body();
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws SourceUnreachableException {
    try {
      return Http.send(http, request, body);
    } catch (IOException e) {
      throw new SourceUnreachableException("cannot reach source " + uri + ": " + e, e);
    }
  }

  private void requireOk(String method, HttpResponse<?> response) throws SourceUnreachableException {
    if (response.statusCode() != 200) {
      throw new SourceUnreachableException(method + " " + uri + " answered HTTP " + response.statusCode());
    }
  }
}
