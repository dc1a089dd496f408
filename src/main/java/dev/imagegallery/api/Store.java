package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One storage endpoint of a region, in one of its zones. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.s3) == self.endpoint.startsWith('s3://')",
        message = "s3 (the service url and region) is required for an s3:// endpoint, and only for one")
@ValidationRule(
        value = "!has(self.credentialsSecretRef) || !self.endpoint.startsWith('file:')",
        message = "credentialsSecretRef does not apply to a file:/// store: the operator writes it as itself")
@ValidationRule(
        value = "!has(self.tls) || self.endpoint.startsWith('https://') || self.endpoint.startsWith('oci://')"
                + " || (has(self.s3) && self.s3.url.startsWith('https://'))",
        message = "tls applies only to a store reached over https: an https:// or oci:// endpoint, or an https s3.url")
@ValidationRule(
        value =
                "!has(self.readEndpoint) || self.endpoint.startsWith('oci://') == self.readEndpoint.startsWith('oci://')",
        message = "readEndpoint of an oci:// store must be an oci:// registry path, and only of one: images are"
                + " pulled from registries, other replicas fetched as objects")
public class Store {
    /** file:///path, http(s)://host..., s3://bucket[/prefix] (S3 bucket naming), oci://host[:port]/prefix. */
    static final String ENDPOINT_PATTERN =
            "^(file:///|https?://[^/]+|s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$|oci://[^/]+/[a-z0-9])";
    /** A user-info part before the host: {@code scheme://user[:password]@host}. */
    static final String USER_INFO_PATTERN = "^[a-z0-9]+://[^/]*@";

    @Required
    @Size(min = 1, max = 63)
    @ValidationRule(
            value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
            message = "must be lower-case letters, digits and '-', starting and ending with a letter or digit")
    @JsonPropertyDescription("Name of the store, unique within the region.")
    public String name;

    @Size(max = 63)
    @JsonPropertyDescription(
            "Zone of the region the store lies in: one of the region's zones, or empty when the region has none.")
    public String zone;

    @Required
    @Size(min = 1, max = 2048)
    @ValidationRule(
            value = "self.matches('" + ENDPOINT_PATTERN + "')",
            message = "must be a file:///path, an http(s)://host URL, an s3://bucket/prefix (bucket: 3 to 63 lower-case"
                    + " letters, digits, '.' and '-') or an oci://host[:port]/repository-prefix")
    @ValidationRule(
            value = "!self.matches('" + USER_INFO_PATTERN + "')",
            message = "must not hold credentials (user:password@host): put them in a Secret and name it in"
                    + " credentialsSecretRef")
    @JsonPropertyDescription("Where replicas are written: a file:///directory; an http(s):// server that accepts PUT,"
            + " MOVE and DELETE (WebDAV); s3://bucket/prefix in the S3 service of s3; or oci://host[:port]/prefix,"
            + " a registry that gets one KubeVirt containerDisk image per version, tagged with the version."
            + " Never credentials: see credentialsSecretRef.")
    public String endpoint;

    @Size(min = 1, max = 512)
    @ValidationRule(
            value =
                    "self.matches('^(https?://[^/]+|s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$|oci://[^/]+/[a-z0-9]|file:///)')",
            message = "must be an http(s)://host URL, an s3://bucket/prefix, an oci://host[:port]/repository-prefix"
                    + " or a file:///path")
    @ValidationRule(
            value = "!self.matches('" + USER_INFO_PATTERN + "')",
            message = "must not hold credentials (user:password@host): consumers read with credentials of their own")
    @JsonPropertyDescription("Where consumers read what the store holds, when not at endpoint: a public https base or"
            + " CDN in front of a bucket or WebDAV server, or a registry mirror. A replica's url in status is this"
            + " (or endpoint), '/', and the replica's path below it; the operator never reads from it.")
    public String readEndpoint;

    @JsonPropertyDescription("The S3 service of an s3:// endpoint; required for one, refused for others.")
    public S3 s3;

    @JsonPropertyDescription("Secret with the store's credentials, in the operator's own namespace (the platform"
            + " admin's, never a tenant's): accessKeyId, secretAccessKey and optionally sessionToken for S3;"
            + " username and password, or token, for WebDAV and registries. Read at each use: a rotated Secret"
            + " takes effect without a restart.")
    public SecretReference credentialsSecretRef;

    @JsonPropertyDescription("TLS settings of a store reached over https.")
    public Tls tls;

    @Size(max = 40)
    // A bounded string rather than int-or-string: CEL needs the length bound to stay within its cost budget.
    @ValidationRule(
            value = "isQuantity(self) && quantity(self).isGreaterThan(quantity('0'))",
            message = "must be a positive Kubernetes quantity of bytes, for example \"500Gi\"")
    @JsonPropertyDescription(
            "Bytes the store may hold, as a quoted Kubernetes quantity such as \"500Gi\"; unlimited when omitted.")
    public String capacity;

    @Size(min = 1, max = 3)
    @Default("[\"Standard_LRS\"]")
    @JsonPropertyDescription("Storage account types this store offers; defaults to Standard_LRS.")
    public List<StorageAccountType> storageAccountTypes;
}
