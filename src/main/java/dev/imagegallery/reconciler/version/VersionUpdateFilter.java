package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.Objects;

/**
 * The changes of a version that call for a reconcile: its spec (generation), the retry annotation,
 * its deletion and its finalizers. Not its status, which only the operator writes.
 */
public class VersionUpdateFilter implements OnUpdateFilter<ImageVersion> {
    @Override
    public boolean accept(ImageVersion newer, ImageVersion older) {
        return !Objects.equals(
                        newer.getMetadata().getGeneration(), older.getMetadata().getGeneration())
                || !Objects.equals(retryToken(newer), retryToken(older))
                || newer.isMarkedForDeletion()
                || !Objects.equals(
                        newer.getMetadata().getFinalizers(), older.getMetadata().getFinalizers());
    }

    private static String retryToken(HasMetadata resource) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(ReplicationService.RETRY_ANNOTATION);
    }
}
