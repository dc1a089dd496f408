package dev.imagegallery.reconciler.region;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Probes file:// stores (a writable directory) and http(s):// stores (any answer below 500). */
@ApplicationScoped
public class EndpointProbe implements StoreProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  @Override
  public Result probe(String endpoint) {
    URI uri = URI.create(endpoint);
    return "file".equals(uri.getScheme()) ? probeDirectory(Path.of(uri)) : probeHttp(uri);
  }

  private static Result probeDirectory(Path directory) {
    if (!Files.isDirectory(directory)) {
      return Result.unreachable("directory " + directory + " does not exist");
    }
    return Files.isWritable(directory) ? Result.ok() : Result.unreachable("directory " + directory + " is not writable");
  }

  private Result probeHttp(URI uri) {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
          .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() < 500 ? Result.ok() : Result.unreachable("answered HTTP " + response.statusCode());
    } catch (IOException e) {
      return Result.unreachable("no answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.unreachable("probe interrupted");
    }
  }
}
