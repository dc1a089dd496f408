package dev.imagegallery.validation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Reads an endOfLifeDate as admitted by the CRD: a date (midnight UTC) or an RFC 3339 time. */
public final class EndOfLifeDate {
    private EndOfLifeDate() {}

    public static Instant parse(String text) {
        return text.length() == 10
                ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                : OffsetDateTime.parse(text).toInstant();
    }
}
