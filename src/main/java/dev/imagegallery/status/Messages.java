package dev.imagegallery.status;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The one bound on every message the operator writes for people: condition messages, a region's and
 * a pending removal's details, Events. A status holds many of them, and texts from outside (a source
 * URL of 2 KiB, a store's error body) would otherwise repeat into it until the status outgrows what
 * the API server stores, after which every status write fails. Pure.
 */
public final class Messages {
    /** 1 KiB of UTF-8: a few sentences, enough to say what failed and what to do. */
    public static final int MAX_BYTES = 1024;
    /** Ends a cut message, so that nobody mistakes it for the whole. */
    public static final String TRUNCATED = "… (truncated)";

    /**
     * What a status may spend on replica addresses: 1,000 replicas whose stores' endpoints are 2 KiB
     * long would otherwise outgrow what the API server stores.
     */
    public static final int ADDRESS_BUDGET_BYTES = 256 * 1024;

    private Messages() {}

    /** Whether these addresses, together, exceed {@link #ADDRESS_BUDGET_BYTES}; then each group shows its first only. */
    public static boolean overAddressBudget(Stream<String> addresses) {
        return addresses
                        .filter(Objects::nonNull)
                        .mapToLong(Messages::utf8Length)
                        .sum()
                > ADDRESS_BUDGET_BYTES;
    }

    /** The text as it is when it fits in {@link #MAX_BYTES}, else cut on a character boundary and marked; null stays null. */
    public static String bounded(String text) {
        return bounded(text, "");
    }

    /**
     * The text followed by {@code ending}, within {@link #MAX_BYTES}: only the text is cut, so that the
     * ending (what to do about it) always survives.
     *
     * @param ending the operator's own short words, never text from outside
     */
    public static String bounded(String text, String ending) {
        if (text == null) {
            return null;
        }
        if (utf8Length(text) + utf8Length(ending) <= MAX_BYTES) {
            return text + ending;
        }
        int room = MAX_BYTES - utf8Length(TRUNCATED) - utf8Length(ending);
        if (room < 0) {
            throw new IllegalArgumentException(
                    "an ending of " + utf8Length(ending) + " bytes leaves no room for the message");
        }
        return prefix(text, room) + TRUNCATED + ending;
    }

    /** The text within {@code maxBytes} (less than {@link #MAX_BYTES}), cut and marked as {@link #bounded(String)} does. */
    public static String bounded(String text, int maxBytes) {
        if (text == null || utf8Length(text) <= maxBytes) {
            return text;
        }
        return prefix(text, maxBytes - utf8Length(TRUNCATED)) + TRUNCATED;
    }

    /** At most {@code shown} of the items, then how many more: "a, b, c and 4 more". */
    public static String listed(List<String> items, int shown) {
        String named = String.join(", ", items.subList(0, Math.min(shown, items.size())));
        return items.size() <= shown ? named : named + " and " + (items.size() - shown) + " more";
    }

    /** The longest start of the text within {@code maxBytes} of UTF-8 that ends between two characters (never inside a surrogate pair). */
    private static String prefix(String text, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            bytes += utf8Length(codePoint);
            if (bytes > maxBytes) {
                break;
            }
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    private static int utf8Length(String text) {
        return text.codePoints().map(Messages::utf8Length).sum();
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }
}
