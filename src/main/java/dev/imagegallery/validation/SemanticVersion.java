package dev.imagegallery.validation;

import java.util.Comparator;

/** A version Major.Minor.Patch, ordered by Major, then Minor, then Patch (as numbers, not text). */
public record SemanticVersion(long major, long minor, long patch) implements Comparable<SemanticVersion> {
    private static final Comparator<SemanticVersion> ORDER = Comparator.comparingLong(SemanticVersion::major)
            .thenComparingLong(SemanticVersion::minor)
            .thenComparingLong(SemanticVersion::patch);

    /** Parses a version the API server already accepted; anything else is a programming error. */
    public static SemanticVersion parse(String text) {
        String[] parts = text.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not Major.Minor.Patch: " + text);
        }
        return new SemanticVersion(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
    }

    /**
     * Whether {@code text} is a version number as admission takes one (no sign, no leading zero, no
     * suffix), for names read from a status a tenant may edit.
     */
    public static boolean isVersionNumber(String text) {
        try {
            return text != null && parse(text).toString().equals(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public int compareTo(SemanticVersion other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
