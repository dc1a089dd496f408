package dev.imagegallery.validation;

import dev.imagegallery.status.Reason;

/** A rule an object breaks: its reason (for conditions and Events) and a message naming the field or region. */
public record Violation(Reason reason, String message) {}
