package io.qeventd.runtime.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, a plain number
 * of seconds, or ISO-8601 ({@code PT30S}).
 */
public final class DurationSyntax {
    /** What the error message says is accepted. */
    public static final String EXPECTED = "a duration (e.g. 30s, 500ms, 2m, 1h, PT30S, or a number of seconds)";

    private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Pattern SECONDS = Pattern.compile("\\d+");

    private DurationSyntax() {
    }

    /** Parses {@code text}; throws IllegalArgumentException naming what was wrong. */
    public static Duration parse(String text) {
        String t = text.strip();
        try {
            if (SECONDS.matcher(t).matches()) {
                return Duration.ofSeconds(Long.parseLong(t));
            }
            Matcher m = WITH_UNIT.matcher(t);
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            if (t.startsWith("P") || t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected " + EXPECTED + ", got '" + text + "'");
        }
        throw new IllegalArgumentException("expected " + EXPECTED + ", got '" + text + "'");
    }
}
