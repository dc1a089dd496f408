package dev.imagegallery.placement;

/**
 * Storage redundancy a replica needs. The constants mirror the API's StorageAccountType by name, so
 * the controller maps between them with {@code valueOf(other.name())}.
 */
public enum StorageType {
    Standard_LRS,
    Standard_ZRS,
    Premium_LRS
}
