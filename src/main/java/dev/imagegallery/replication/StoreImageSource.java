package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * An image in an object store ({@code s3://} or {@code oci://}), read with the credentials of the
 * catalogue store that covers it. The admin's policy is asked first at each probe and open, as for
 * every other source, so a tenant cannot read another tenant's replicas through a shared bucket.
 */
record StoreImageSource(SourceAccess access, String url) implements ImageSource {
    /** Finds the catalogue store whose endpoint covers a source URL and opens the source there. */
    @FunctionalInterface
    public interface Resolver {
        /**
         * @throws SourceNotAllowedException when no store of the catalogue covers {@code url}
         */
        ImageSource source(URI url) throws IOException;
    }

    @Override
    public URI uri() {
        return URI.create(url);
    }

    @Override
    public long probeSize() throws IOException {
        return resolved().probeSize();
    }

    @Override
    public InputStream open() throws IOException {
        return resolved().open();
    }

    private ImageSource resolved() throws IOException {
        return access.storeSources().source(access.allowed(url).uri());
    }
}
