package dev.imagegallery.replication;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which image sources the operator may read, as the admin allows it: everything a tenant writes in
 * {@code spec.source.url} is untrusted, and the operator reads with its own identity.
 *
 * <ul>
 *   <li>A URL that starts with one of the admin's allowed prefixes ({@value #SETTING}) is allowed,
 *       compared after normalisation: scheme and host in lower case, default ports written out, no
 *       {@code .} or {@code ..} segments, no encoded dot, slash or backslash, no user info. A
 *       {@code file://} source must also lie inside its prefix once every symbolic link is followed.
 *   <li>Without a prefix, no {@code file://}, {@code s3://} or {@code oci://} source at all (they
 *       are read with the operator's own mounts and store credentials), and {@code http(s)://} only to public
 *       addresses ({@link AddressRules}); the host is resolved when checked and again when the
 *       connection is made, and each resolution is checked.
 * </ul>
 * A refusal says which setting decides, never anything found about the target.
 */
public final class SourcePolicy {
    public static final String SETTING = "image-gallery.sources.allowed-url-prefixes";
    private static final Pattern ENCODED_SEPARATOR = Pattern.compile("(?i)%(2e|2f|5c)");

    /** How a host name becomes addresses; the system's resolver outside tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** What the policy says of one URL. */
    public sealed interface Verdict {}

    /** The source may be read; a {@code file://} one at {@code file}, its real path. */
    public record Allowed(URI uri, Optional<Path> file) implements Verdict {}

    /** The source may not be read; the message names the setting and nothing of the target. */
    public record Refused(String message) implements Verdict {}

    /** The host of an http(s) source outside the prefixes has no address now; checked again later. */
    public record Unresolvable(String message) implements Verdict {}

    private final List<URI> prefixes;
    private final AddressRules addresses;
    private final Resolver resolver;

    public SourcePolicy(List<String> allowedUrlPrefixes, AddressRules addresses, Resolver resolver) {
        this.prefixes = allowedUrlPrefixes.stream()
                .map(String::strip)
                .filter(p -> !p.isEmpty())
                .map(SourcePolicy::prefix)
                .toList();
        this.addresses = addresses;
        this.resolver = resolver;
    }

    public Verdict check(String url) {
        Optional<URI> normalized = normalize(url);
        if (normalized.isEmpty()) {
            return refused();
        }
        URI uri = normalized.get();
        Optional<URI> prefix = prefixes.stream()
                .filter(p -> uri.toString().startsWith(p.toString()))
                .findFirst();
        if (uri.getScheme().equals("file")) {
            return prefix.isPresent() ? checkFile(uri, Path.of(prefix.get())) : refused();
        }
        if (!uri.getScheme().startsWith("http")) {
            return prefix.isPresent() ? new Allowed(uri, Optional.empty()) : refused();
        }
        if (prefix.isPresent()) {
            return new Allowed(uri, Optional.empty());
        }
        try {
            return publicAddresses(uri.getHost()) ? new Allowed(uri, Optional.empty()) : refused();
        } catch (UnknownHostException e) {
            return new Unresolvable("the host of spec.source.url has no address now");
        }
    }

    /**
     * Whether a connection to {@code host} may go to these addresses: any, for a host an allowed
     * prefix names (the admin trusts it); public ones only, for every other host.
     */
    public boolean mayConnect(String host, InetAddress[] resolved) {
        String lower = host.toLowerCase(Locale.ROOT);
        return prefixes.stream()
                        .anyMatch(p ->
                                p.getScheme().startsWith("http") && p.getHost().equals(lower))
                || allPublic(resolved);
    }

    private boolean publicAddresses(String host) throws UnknownHostException {
        // Outside every prefix a host is judged by its addresses alone, even one a prefix names for other paths.
        return allPublic(resolver.resolve(host));
    }

    private boolean allPublic(InetAddress[] resolved) {
        for (InetAddress address : resolved) {
            if (!addresses.isPublic(address)) {
                return false;
            }
        }
        return resolved.length > 0;
    }

    private Verdict checkFile(URI uri, Path prefix) {
        Path file = Path.of(uri);
        try {
            Path realPrefix = prefix.toRealPath();
            // The file may not exist (yet): its nearest existing ancestor must not lead out of the prefix.
            Path existing = file;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return refused();
            }
            Path real = existing.toRealPath().resolve(existing.relativize(file));
            return real.startsWith(realPrefix) ? new Allowed(uri, Optional.of(real)) : refused();
        } catch (IOException e) {
            // The prefix itself is unreadable: the admin's mount is missing, which says nothing of the tenant's file.
            return refused();
        }
    }

    /** The refusal, the same for every source: it must not tell one target from another. */
    public static Refused refused() {
        return new Refused(
                "spec.source.url is not an allowed source: the operator reads only URLs that start with a prefix its"
                        + " administrator allows in " + SETTING
                        + ", and without one only http(s) sources at public addresses");
    }

    /** The URL in the form prefixes are compared in, or empty when it has a form the policy never allows. */
    static Optional<URI> normalize(String url) {
        try {
            URI uri = new URI(url);
            if (uri.isOpaque()) {
                return Optional.empty();
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
            if (ENCODED_SEPARATOR.matcher(rawPath).find()
                    || uri.getRawUserInfo() != null
                    || uri.getRawFragment() != null) {
                return Optional.empty();
            }
            URI normal = uri.normalize();
            String path = normal.getRawPath() == null || normal.getRawPath().isEmpty() ? "/" : normal.getRawPath();
            if (!path.startsWith("/") || path.equals("/..") || path.startsWith("/../") || path.contains("/./")) {
                return Optional.empty();
            }
            return switch (scheme) {
                case "file" ->
                    uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()
                            ? Optional.of(URI.create("file://" + path))
                            : Optional.empty();
                case "http", "https" -> {
                    if (uri.getHost() == null) {
                        yield Optional.empty();
                    }
                    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("http") ? 80 : 443;
                    yield Optional.of(new URI(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port
                            + path + (normal.getRawQuery() == null ? "" : "?" + normal.getRawQuery())));
                }
                // A bucket, or a registry host[:port]; an object key or repository@digest, never a query.
                case "s3", "oci" ->
                    uri.getRawAuthority() == null || uri.getRawQuery() != null
                            ? Optional.empty()
                            : Optional.of(new URI(
                                    scheme + "://" + uri.getRawAuthority().toLowerCase(Locale.ROOT) + path));
                default -> Optional.empty();
            };
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static URI prefix(String prefix) {
        return normalize(prefix)
                .orElseThrow(() -> new IllegalArgumentException(SETTING + " holds " + prefix
                        + ", which is not a file:///path, http(s)://host[:port]/path, s3://bucket/prefix or"
                        + " oci://host[:port]/repository prefix"));
    }
}
