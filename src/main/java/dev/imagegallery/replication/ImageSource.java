package dev.imagegallery.replication;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;

/** Where an image's bytes are read from, as a stream: never the whole image in memory. */
public interface ImageSource {
  URI uri();

  /** The size in bytes, found without reading the image. */
  long probeSize() throws SourceUnreachableException;

  /** A stream of the image's bytes; the caller closes it. */
  InputStream open() throws SourceUnreachableException;

  /**
   * The source at {@code url}: {@code file:///path}, {@code http://} or {@code https://}, the
   * latter read with {@code http}.
   */
  static ImageSource at(String url, HttpClient http) {
    URI uri = URI.create(url);
    return switch (String.valueOf(uri.getScheme())) {
      case "file" -> new FileImageSource(Path.of(uri));
      case "http", "https" -> new HttpImageSource(http, uri);
      default -> throw new IllegalArgumentException("unsupported source URL (want file:///, http:// or https://): " + url);
    };
  }
}
