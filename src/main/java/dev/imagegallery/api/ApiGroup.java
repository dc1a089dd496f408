package dev.imagegallery.api;

/** The API group and version every custom resource of this operator is served under. */
public final class ApiGroup {
    public static final String GROUP = "imagegallery.dev";
    public static final String VERSION = "v1alpha1";
    /** `kubectl get imagegallery` lists every kind of this operator. */
    public static final String CATEGORY = "imagegallery";

    private ApiGroup() {}
}
