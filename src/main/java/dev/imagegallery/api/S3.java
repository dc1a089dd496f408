package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The S3 service an s3:// store's bucket lives in. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3 {
    @Required
    @Size(min = 1, max = 2048)
    @ValidationRule(
            value = "self.matches('^https?://[^/@]+/?$')",
            message = "must be the service's http(s)://host[:port] URL, without a path or credentials, for example"
                    + " https://s3.eu-west-1.amazonaws.com")
    @JsonPropertyDescription(
            "URL of the S3 service, for example https://s3.eu-west-1.amazonaws.com or" + " http://127.0.0.1:8333.")
    public String url;

    @Size(min = 1, max = 63)
    @Default("us-east-1")
    @JsonPropertyDescription(
            "Region requests are signed for; defaults to us-east-1, which most S3-compatible" + " servers accept.")
    public String region;

    @Default("false")
    @JsonPropertyDescription("Address the bucket as url/bucket (path style, which most S3-compatible servers need)"
            + " instead of bucket.host (virtual-hosted style, AWS's default).")
    public Boolean pathStyle;
}
