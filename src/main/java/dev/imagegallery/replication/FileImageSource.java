package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** An image in a local file. */
final class FileImageSource implements ImageSource {
  private final Path file;

  FileImageSource(Path file) {
    this.file = file;
  }

  @Override
  public URI uri() {
    return file.toUri();
  }

  @Override
  public long probeSize() throws SourceUnreachableException {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  @Override
  public InputStream open() throws SourceUnreachableException {
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  private SourceUnreachableException unreachable(IOException e) {
    if (e instanceof NoSuchFileException) {
      return new SourceUnreachableException("source " + uri() + " does not exist", e);
    }
    return new SourceUnreachableException("cannot read source " + uri() + ": " + e, e);
  }
}
