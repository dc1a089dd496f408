package dev.imagegallery.api;

/** Storage redundancy of a replica: locally redundant, zone redundant, or premium (SSD) locally redundant. */
public enum StorageAccountType {
    Standard_LRS,
    Standard_ZRS,
    Premium_LRS
}
