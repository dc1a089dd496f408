package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReplicaKeyTest {
    @Test
    void theObjectPathIsNamespaceGalleryDefinitionVersionIndex() {
        ReplicaKey key =
                new ReplicaKey(new VersionKey("team-a", "main.gallery", "ubuntu_22", "1.2.0"), "westeurope", 3);

        assertThat(key.objectPath()).isEqualTo("team-a/main.gallery/ubuntu_22/1.2.0/3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", ".hidden", "a/b", "a b", "-x"})
    void partsThatCouldEscapeOrBreakThePathAreRefused(String part) {
        assertThatThrownBy(() -> new VersionKey("team-a", part, "ubuntu", "1.0.0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gallery '" + part + "'");
    }

    @Test
    void aNegativeIndexIsRefused() {
        assertThatThrownBy(() -> new ReplicaKey(new VersionKey("a", "b", "c", "1.0.0"), "r", -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDataDiskLiesBesideItsReplicasOsDiskNamedByItsLun() {
        ReplicaKey os = new ReplicaKey(new VersionKey("team-a", "main.gallery", "ubuntu_22", "1.2.0"), "westeurope", 3);

        assertThat(os.isOsDisk()).isTrue();
        assertThat(os.dataDisk(7).objectPath()).isEqualTo("team-a/main.gallery/ubuntu_22/1.2.0/3-lun7");
        assertThat(os.dataDisk(7).isOsDisk()).isFalse();
        assertThat(os.imageTag()).as("in a registry").isEqualTo("1.2.0");
        assertThat(os.dataDisk(7).imageTag()).isEqualTo("1.2.0-lun7");
    }

    @ParameterizedTest
    @ValueSource(ints = {-2, 64})
    void aLunOutside0To63IsRefused(int lun) {
        assertThatThrownBy(() -> new ReplicaKey(new VersionKey("a", "b", "c", "1.0.0"), "r", 0, lun))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..63");
    }
}
