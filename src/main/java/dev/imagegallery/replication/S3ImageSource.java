package dev.imagegallery.replication;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * An image in an S3 bucket, {@code s3://bucket/key}, read with the credentials of the store it lies
 * below ({@link S3ObjectStore#source}): HeadObject tells its size, GetObject streams it. Failures
 * name the URL, never the keys; a missing object, a missing bucket and refused keys are all the
 * source being unreachable.
 */
final class S3ImageSource implements ImageSource {
    private final StoreClients clients;
    private final StoreConnection connection;
    private final URI url;
    private final String bucket;
    private final String key;

    S3ImageSource(StoreClients clients, StoreConnection connection, URI url, String bucket, String key) {
        this.clients = clients;
        this.connection = connection;
        this.url = url;
        this.bucket = bucket;
        this.key = key;
    }

    @Override
    public URI uri() {
        return url;
    }

    @Override
    public long probeSize() throws IOException {
        try (S3Clients.Lease lease = clients.s3(connection)) {
            Long length = lease.client()
                    .headObject(request -> request.bucket(bucket).key(key))
                    .contentLength();
            if (length == null) {
                throw new SourceUnreachableException("HEAD " + url + " did not report the size");
            }
            return length;
        } catch (SdkException e) {
            throw S3Failures.source("read the size", url, e);
        }
    }

    /** The object's bytes; closing the stream before its end aborts the connection instead of reading the rest. */
    @Override
    public InputStream open() throws IOException {
        S3Clients.Lease lease = clients.s3(connection);
        ResponseInputStream<GetObjectResponse> body;
        try {
            body = lease.client().getObject(request -> request.bucket(bucket).key(key));
        } catch (SdkException e) {
            lease.close();
            throw S3Failures.source("read the bytes", url, e);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        return new FilterInputStream(body) {
            private boolean ended;
            private boolean closed;

            @Override
            public int read() throws IOException {
                int b = super.read();
                ended |= b < 0;
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                ended |= n < 0;
                return n;
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    if (!ended) {
                        // Closing alone would read a multi-GiB rest to reuse the connection.
                        body.abort();
                    }
                    body.close();
                } finally {
                    lease.close();
                }
            }
        };
    }

    @Override
    public String toString() {
        return "S3ImageSource[" + url + "]";
    }
}
