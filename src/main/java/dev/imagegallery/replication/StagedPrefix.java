package dev.imagegallery.replication;

import java.security.MessageDigest;

/**
 * The first {@code length} bytes of a replica that an earlier attempt staged and this attempt took
 * over, with the SHA-256 state of those bytes as the store holds them: the copy goes on from there,
 * and its digest covers every byte of the replica.
 */
public record StagedPrefix(long length, MessageDigest digest) {
    public static StagedPrefix none() {
        return new StagedPrefix(0, ContainerDiskLayer.sha256());
    }
}
