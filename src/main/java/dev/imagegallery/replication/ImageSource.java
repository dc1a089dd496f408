package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;

/** Where an image's bytes are read from, as a stream: never the whole image in memory. {@link SourceAccess} makes them. */
public interface ImageSource {
    URI uri();

    /** The size in bytes, found without reading the image. */
    long probeSize() throws IOException;

    /** A stream of the image's bytes; the caller closes it. */
    InputStream open() throws IOException;

    /**
     * A stream of the image's bytes from {@code offset} on, where the source can start there without
     * sending what comes before; empty where it cannot, and the copy then starts over.
     */
    default Optional<InputStream> openFrom(long offset) throws IOException {
        return Optional.empty();
    }
}
