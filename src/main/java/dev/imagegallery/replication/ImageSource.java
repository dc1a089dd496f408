package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/** Where an image's bytes are read from, as a stream: never the whole image in memory. {@link SourceAccess} makes them. */
public interface ImageSource {
    URI uri();

    /** The size in bytes, found without reading the image. */
    long probeSize() throws IOException;

    /** A stream of the image's bytes; the caller closes it. */
    InputStream open() throws IOException;
}
