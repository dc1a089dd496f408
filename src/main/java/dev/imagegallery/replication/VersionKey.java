package dev.imagegallery.replication;

import dev.imagegallery.validation.SemanticVersion;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One image version: namespace, gallery, image definition and version number. Each part is a
 * single path segment of the store layout (see {@link ObjectStore}), so it may hold only letters,
 * digits, '.', '_' and '-', starting with a letter or digit (Kubernetes names and Major.Minor.Patch
 * all do).
 */
public record VersionKey(String namespace, String gallery, String definition, String version) {
    // No '/', and no leading '.', so that no part can climb out of the store ("..") or hide itself.
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

    public VersionKey {
        requireSegment(namespace, "namespace");
        requireSegment(gallery, "gallery");
        requireSegment(definition, "definition");
        requireSegment(version, "version");
        // Admission takes nothing else; names read back from a store or a status must not pass for other objects
        // either (1.0.0-lun0 is 1.0.0's LUN 0 in a registry).
        if (!SemanticVersion.isVersionNumber(version)) {
            throw new IllegalArgumentException("version '" + version + "' is not Major.Minor.Patch");
        }
    }

    /** The folder of this version's replicas in a store: {@code namespace/gallery/definition/version}. */
    public String objectPrefix() {
        return String.join("/", namespace, gallery, definition, version);
    }

    /** The definition this is a version of. */
    public DefinitionKey definitionKey() {
        return new DefinitionKey(namespace, gallery, definition);
    }

    @Override
    public String toString() {
        return objectPrefix();
    }

    static void requireSegment(String value, String what) {
        Objects.requireNonNull(value, what);
        if (!SEGMENT.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value
                    + "' must be 1..253 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }
}
