package dev.imagegallery.stores;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.Store;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.VersionKey;
import org.junit.jupiter.api.Test;

class ReplicaUrlsTest {
    private static final ReplicaKey KEY = new ReplicaKey(new VersionKey("team", "main", "ubuntu", "1.2.0"), "west", 1);
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void aReplicaIsReadBelowTheReadEndpointWhenTheStoreHasOne() {
        Store bucket = store("s3://images/gallery");
        assertThat(ReplicaUrls.of(bucket, KEY.objectPath())).isEqualTo("s3://images/gallery/team/main/ubuntu/1.2.0/1");

        bucket.readEndpoint = "https://cdn.example.com/gallery/";
        assertThat(ReplicaUrls.of(bucket, KEY.objectPath()))
                .isEqualTo("https://cdn.example.com/gallery/team/main/ubuntu/1.2.0/1");
        assertThat(ReplicaUrls.isAddressOf(bucket, KEY, "https://cdn.example.com/gallery/team/main/ubuntu/1.2.0/1"))
                .isTrue();
        assertThat(ReplicaUrls.isAddressOf(bucket, KEY, "s3://images/gallery/team/main/ubuntu/1.2.0/1"))
                .as("the write endpoint, once a read endpoint is set")
                .isFalse();
    }

    @Test
    void aRegistryAddressIsTheVersionsImagePinnedByADigest() {
        Store registry = store("oci://registry.example.com:5000/gallery");
        String image = "oci://registry.example.com:5000/gallery/team/main/ubuntu:1.2.0@";

        assertThat(ReplicaUrls.isAddressOf(registry, KEY, image + DIGEST)).isTrue();
        assertThat(ReplicaUrls.isAddressOf(registry, KEY, image + "sha256:abc")).isFalse();
        assertThat(ReplicaUrls.isAddressOf(
                        registry, KEY, "oci://registry.example.com:5000/gallery/team/main/ubuntu:1.1.0@" + DIGEST))
                .as("another version's image")
                .isFalse();
        assertThat(ReplicaUrls.isAddressOf(
                        registry, KEY, "oci://evil.example.com/gallery/team/main/ubuntu:1.2.0@" + DIGEST))
                .isFalse();
    }

    private static Store store(String endpoint) {
        Store store = new Store();
        store.name = "s";
        store.endpoint = endpoint;
        return store;
    }
}
