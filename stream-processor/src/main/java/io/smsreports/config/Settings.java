package io.smsreports.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads settings from environment variables and system properties. A setting named {@code SMS_RECEIPT_TIMEOUT}
 * is the environment variable of that name or the system property {@code sms.receipt.timeout}; the system
 * property wins. Problems are collected rather than thrown one by one, so that {@link #validate()} reports
 * every invalid setting at once.
 */
public final class Settings {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final Map<String, String> values;
    /** How the user gave a setting, when not by its own name (a command-line option): problems name it that way. */
    private final Map<String, String> labels;
    private final List<String> problems = new ArrayList<>();

    private Settings(final Map<String, String> values) {
        this(values, Map.of());
    }

    private Settings(final Map<String, String> values, final Map<String, String> labels) {
        this.values = values;
        this.labels = labels;
    }

    /** The process environment overlaid with the JVM's system properties. */
    public static Settings fromEnvironment() {
        final Map<String, String> values = new HashMap<>(System.getenv());
        System.getProperties().forEach((key, value) -> values.put(envName(key.toString()), value.toString()));
        return new Settings(values);
    }

    /** Explicit values, keyed by environment-variable name (for tests and embedding). */
    public static Settings of(final Map<String, String> values) {
        return new Settings(Map.copyOf(values));
    }

    /** This settings' values overlaid with {@code overrides}. */
    public Settings with(final Map<String, String> overrides) {
        final Map<String, String> merged = new HashMap<>(values);
        merged.putAll(overrides);
        return new Settings(merged, labels);
    }

    /**
     * This settings with {@code name} set by a command-line {@code option} (when {@code value} is not null): the option
     * wins over the environment, and a problem with the value names the option.
     */
    public Settings withOption(final String name, final String option, final Object value) {
        if (value == null) {
            return this;
        }
        final Map<String, String> merged = new HashMap<>(values);
        merged.put(name, value.toString());
        final Map<String, String> named = new HashMap<>(labels);
        named.put(name, option);
        return new Settings(merged, named);
    }

    /** How a problem names a setting: the option it came from, else its name. */
    public String label(final String name) {
        return labels.getOrDefault(name, name);
    }

    /** The system property that also sets {@code name}. */
    public static String propertyName(final String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private static String envName(final String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public boolean isSet(final String name) {
        final String value = values.get(name);
        return value != null && !value.isBlank();
    }

    public String string(final String name, final String fallback) {
        final String value = values.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** A required string; a missing one is recorded as a problem, with {@code hint}. */
    public String required(final String name, final String hint) {
        final String value = string(name, null);
        if (value == null) {
            problems.add(label(name) + " is required: " + hint);
        }
        return value;
    }

    public int integer(final String name, final int fallback, final int min, final int max) {
        return parse(name, fallback, raw -> {
            final int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return value;
        }, "a whole number");
    }

    public boolean bool(final String name, final boolean fallback) {
        return parse(name, fallback, raw -> switch (raw.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
        }, "true or false");
    }

    public double decimal(final String name, final double fallback) {
        return parse(name, fallback, Double::parseDouble, "a number");
    }

    public long longValue(final String name, final long fallback, final long min) {
        return parse(name, fallback, raw -> {
            final long value = Long.parseLong(raw.replace("_", ""));
            if (value < min) {
                throw new IllegalArgumentException("must be at least " + min);
            }
            return value;
        }, "a whole number");
    }

    public Duration duration(final String name, final Duration fallback) {
        return parse(name, fallback, Settings::parseDuration, "a duration like 4d, 12h, 30m, 10s, 250ms or P4D");
    }

    /** A comma-separated list of durations, e.g. {@code 5s,30s,300s}. */
    public List<Duration> durations(final String name, final List<Duration> fallback) {
        return parse(name, fallback, raw -> java.util.Arrays.stream(raw.split(",")).map(String::trim).map(Settings::parseDuration)
                .toList(), "durations separated by commas, like 5s,30s,300s");
    }

    public <E extends Enum<E>> E choice(final String name, final E fallback, final Class<E> type) {
        return parse(name, fallback, raw -> Enum.valueOf(type, raw.toUpperCase(Locale.ROOT).replace('-', '_')),
                "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
    }

    /** Records a problem found by a cross-setting check. */
    public void problem(final String problem) {
        problems.add(problem);
    }

    /** @throws ConfigException listing every problem recorded so far */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    public static Duration parseDuration(final String raw) {
        final String text = raw.trim();
        final Matcher simple = SIMPLE_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (simple.matches()) {
            final long amount = Long.parseLong(simple.group(1));
            return switch (simple.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration", e);
        }
    }

    private <T> T parse(final String name, final T fallback, final Function<String, T> parser, final String expected) {
        final String raw = string(name, null);
        if (raw == null) {
            return fallback;
        }
        try {
            return Objects.requireNonNull(parser.apply(raw));
        } catch (RuntimeException e) {
            final String why = e instanceof IllegalArgumentException && !(e instanceof NumberFormatException) && e.getMessage() != null
                    && !e.getMessage().startsWith("No enum") && !e.getMessage().equals("not a duration") && !e.getMessage().equals("not a boolean") ? " (" + e.getMessage() + ")" : "";
            problems.add(label(name) + " must be " + expected + why + ", was '" + raw + "'");
            return fallback;
        }
    }
}
