package dev.imagegallery.replication;

/**
 * One image definition: namespace, gallery and name, each a single path segment as in a {@link
 * VersionKey}. The part of the store layout its versions share.
 */
public record DefinitionKey(String namespace, String gallery, String definition) {
    public DefinitionKey {
        VersionKey.requireSegment(namespace, "namespace");
        VersionKey.requireSegment(gallery, "gallery");
        VersionKey.requireSegment(definition, "definition");
    }

    /** The key of this definition's version {@code version}. */
    public VersionKey version(String version) {
        return new VersionKey(namespace, gallery, definition, version);
    }
}
