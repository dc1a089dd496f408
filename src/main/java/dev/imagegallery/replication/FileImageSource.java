package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An image in a local file, inside a prefix the admin allows. The policy's check resolves every
 * symbolic link; the file is then opened at that real path without following a link there, so a
 * link swapped in after the check is not followed.
 */
record FileImageSource(SourceAccess access, String url) implements ImageSource {
    @Override
    public URI uri() {
        return URI.create(url);
    }

    @Override
    public long probeSize() throws IOException {
        Path file = checkedPath();
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    @Override
    public InputStream open() throws IOException {
        return from(0);
    }

    @Override
    public Optional<InputStream> openFrom(long offset) throws IOException {
        return Optional.of(from(offset));
    }

    private InputStream from(long offset) throws IOException {
        Path file = checkedPath();
        try {
            SeekableByteChannel channel = Files.newByteChannel(file, LinkOption.NOFOLLOW_LINKS);
            try {
                channel.position(offset);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return MinimumRateInputStream.of(
                    Channels.newInputStream(channel),
                    access.timeouts().minBytesPerSecond(),
                    access.timeouts().read());
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private Path checkedPath() throws IOException {
        return access.allowed(url).file().orElseThrow(() -> new SourceNotAllowedException("not a file source: " + url));
    }

    private SourceUnreachableException unreachable(IOException e) {
        if (e instanceof NoSuchFileException) {
            return new SourceUnreachableException("source " + url + " does not exist", e);
        }
        return new SourceUnreachableException("cannot read source " + url, e);
    }
}
