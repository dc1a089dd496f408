package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** How a store's TLS certificate is checked. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Tls {
    @Required
    @JsonPropertyDescription("Secret key holding the PEM certificates of the CAs that sign the store's certificate;"
            + " only they are trusted for this store, instead of the JVM's default ones.")
    public SecretKeySelector caSecretRef;

    /** One key of a Secret in the operator's own namespace. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SecretKeySelector {
        @Required
        @Size(min = 1, max = 253)
        @JsonPropertyDescription("Name of the Secret, in the operator's namespace.")
        public String name;

        @Size(min = 1, max = 253)
        @Default("ca.crt")
        @JsonPropertyDescription("Key of the Secret that holds the PEM bundle; defaults to ca.crt.")
        public String key;
    }
}
