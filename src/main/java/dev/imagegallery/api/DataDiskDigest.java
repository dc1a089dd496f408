package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A data disk of a version as a status names it: its LUN and the bytes its copies were verified against. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DataDiskDigest {
    @JsonPropertyDescription("LUN of the data disk.")
    public Integer lun;

    @JsonPropertyDescription(
            "SHA-256 digest of the disk's bytes (its source.sha256); every copy was verified against it.")
    public String sha256;

    @JsonPropertyDescription("Size of the disk in bytes.")
    public Long sizeBytes;
}
