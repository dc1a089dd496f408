package dev.imagegallery.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator reads every kind of its API without managedFields, and keeps the rest of the metadata. */
class ApiResourceTest {
    private static final String METADATA = """
            "metadata": {
              "name": "ubuntu-1-0-0", "namespace": "team", "uid": "6d1c4a52", "resourceVersion": "4711",
              "generation": 2, "labels": {"team": "platform"}, "finalizers": ["imageversions.imagegallery.dev/finalizer"],
              "managedFields": [
                {"manager": "kubectl", "operation": "Apply", "fieldsType": "FieldsV1",
                 "fieldsV1": {"f:spec": {"f:version": {}}}},
                {"manager": "image-gallery-operator", "operation": "Apply", "subresource": "status",
                 "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {"f:conditions": {"k:{\\"type\\":\\"Ready\\"}": {}}}}}
              ]
            }""";

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    @Test
    void everyKindIsReadWithoutManagedFieldsAndWithTheRestOfItsMetadata() {
        for (Class<? extends ApiResource<?, ?>> type :
                List.of(ImageVersion.class, ImageDefinition.class, Gallery.class, Region.class)) {
            String kind = type.getSimpleName();
            ApiResource<?, ?> read = serialization.unmarshal(
                    "{\"apiVersion\": \"imagegallery.dev/v1alpha1\", \"kind\": \"" + kind + "\", " + METADATA + "}",
                    type);

            assertThat(read.getKind()).isEqualTo(kind);
            assertThat(read.getMetadata().getManagedFields()).as(kind).isNullOrEmpty();
            assertThat(read.getMetadata().getResourceVersion()).as(kind).isEqualTo("4711");
            assertThat(read.getMetadata().getLabels()).as(kind).containsEntry("team", "platform");
            assertThat(read.getMetadata().getFinalizers())
                    .as(kind)
                    .containsExactly("imageversions.imagegallery.dev/finalizer");
            assertThat(serialization.asJson(read)).as(kind).doesNotContain("managedFields");
        }
    }

    @Test
    void objectsOfAKindShareOneCopyOfTheirTypesNames() {
        ImageVersion one = new ImageVersion();
        ImageVersion other = serialization.unmarshal(
                "{\"apiVersion\": \"imagegallery.dev/v1alpha1\", \"kind\": \"ImageVersion\", " + METADATA + "}",
                ImageVersion.class);

        assertThat(other.getCRDName())
                .isEqualTo("imageversions.imagegallery.dev")
                .isSameAs(one.getCRDName());
        assertThat(other.getPlural()).isEqualTo("imageversions").isSameAs(one.getPlural());
        assertThat(other.getSingular()).isEqualTo("imageversion").isSameAs(one.getSingular());
        assertThat(other.getScope()).isEqualTo("Namespaced").isSameAs(one.getScope());
        assertThat(other.getApiVersion()).isEqualTo("imagegallery.dev/v1alpha1").isSameAs(one.getApiVersion());
        assertThat(other.getKind()).isEqualTo("ImageVersion").isSameAs(one.getKind());
    }
}
