package dev.imagegallery.validation;

/** A rule an object breaks: a one-word CamelCase reason (for conditions and Events) and a message naming the field or region. */
public record Violation(String reason, String message) {}
