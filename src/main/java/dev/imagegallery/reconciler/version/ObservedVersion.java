package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec;
import dev.imagegallery.replication.VersionKey;
import dev.imagegallery.validation.FirstClaim.Claimant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one reconcile reads of a version, once, before deciding anything.
 *
 * @param key where its replicas live in the stores; empty while its definition does not exist
 * @param record its replicas as its status records them
 * @param catalogue the Region catalogue
 * @param sameNumber the versions of its definition with its version number, itself included
 * @param sameNamespaceByTarget for each of its target regions, the versions of its namespace that
 *     target it, itself included
 */
record ObservedVersion(
        ImageVersion version,
        Optional<VersionKey> key,
        ReplicaRecord record,
        RegionCatalogue catalogue,
        List<Claimant> sameNumber,
        Map<String, Collection<ImageVersion>> sameNamespaceByTarget) {

    ImageVersionSpec spec() {
        return version.getSpec();
    }

    String namespace() {
        return version.getMetadata().getNamespace();
    }

    /** The version's folder in every store, or null without a definition (never the status's). */
    String storagePath() {
        return key.map(VersionKey::objectPrefix).orElse(null);
    }
}
