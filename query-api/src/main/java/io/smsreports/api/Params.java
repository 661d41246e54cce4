package io.smsreports.api;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads and validates request parameters; every problem is a 400 that names the parameter. */
final class Params {

    private Params() {
    }

    static String optional(final Context ctx, final String name) {
        final String value = ctx.queryParam(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** An ISO-8601 instant ({@code 2026-11-27T10:00:00Z}) or a date ({@code 2026-11-27}, start of day UTC). */
    static Instant instant(final Context ctx, final String name, final Instant fallback) {
        final String value = optional(ctx, name);
        if (value == null) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException ignored) {
                throw ApiException.badParameter(name, "must be an ISO-8601 instant like 2026-11-27T10:00:00Z or a date like "
                        + "2026-11-27, was '" + value + "'");
            }
        }
    }

    static int integer(final Context ctx, final String name, final int fallback, final int min, final int max) {
        final String value = optional(ctx, name);
        if (value == null) {
            return fallback;
        }
        try {
            final int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw ApiException.badParameter(name, "must be between " + min + " and " + max + ", was " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(name, "must be a whole number between " + min + " and " + max + ", was '" + value + "'");
        }
    }

    /** One of the allowed values, case-insensitive, returned as spelled in {@code allowed}. */
    static String choice(final Context ctx, final String name, final String fallback, final List<String> allowed) {
        final String value = optional(ctx, name);
        if (value == null) {
            return fallback;
        }
        for (final String candidate : allowed) {
            if (candidate.equalsIgnoreCase(value)) {
                return candidate;
            }
        }
        throw ApiException.badParameter(name, "must be one of " + allowed + ", was '" + value + "'");
    }

    /** A comma-separated subset of the allowed values, in the caller's order, without repeats. */
    static List<String> subset(final Context ctx, final String name, final List<String> fallback, final List<String> allowed) {
        final String value = optional(ctx, name);
        if (value == null) {
            return fallback;
        }
        final Set<String> chosen = new LinkedHashSet<>();
        for (final String raw : value.split(",")) {
            final String part = raw.trim();
            if (part.isEmpty()) {
                continue;
            }
            final String match = allowed.stream().filter(a -> a.equalsIgnoreCase(part)).findFirst().orElseThrow(() ->
                    ApiException.badParameter(name, "'" + part + "' is not one of " + allowed));
            chosen.add(match);
        }
        if (chosen.isEmpty()) {
            throw ApiException.badParameter(name, "must name at least one of " + allowed);
        }
        return new ArrayList<>(chosen);
    }

    static ZoneId zone(final Context ctx, final String name) {
        final String value = optional(ctx, name);
        if (value == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw ApiException.badParameter(name, "must be a time zone id like UTC, Europe/Istanbul or +03:00, was '" + value + "'");
        }
    }

    /**
     * A time zone the heatmap can render exactly: its cells are whole UTC hours, so a zone whose offset from UTC is not a
     * whole number of hours at some time in {@code [from, to]} (India's +05:30, Nepal's +05:45, Adelaide's +09:30) would
     * put each cell half an hour off. Refused with a 400 that says why, rather than shifted without a word.
     */
    static ZoneId wholeHourZone(final Context ctx, final String name, final Instant from, final Instant to) {
        final ZoneId zone = zone(ctx, name);
        final ZoneOffset odd = offsetNotWholeHours(zone, from, to);
        if (odd != null) {
            throw ApiException.badParameter(name, "'" + zone.getId() + "' is UTC" + odd.getId() + " at times: the heatmap's cells are whole "
                    + "UTC hours, so it can only be shown in a zone whose offset is whole hours (e.g. UTC, Europe/Istanbul, +05:00)");
        }
        return zone;
    }

    /** An offset of {@code zone} in [from, to] that is not a whole number of hours, or null when there is none. */
    static ZoneOffset offsetNotWholeHours(final ZoneId zone, final Instant from, final Instant to) {
        final ZoneRules rules = zone.getRules();
        ZoneOffset offset = rules.getOffset(from);
        if (offset.getTotalSeconds() % 3600 != 0) {
            return offset;
        }
        for (ZoneOffsetTransition t = rules.nextTransition(from); t != null && !t.getInstant().isAfter(to); t = rules.nextTransition(t.getInstant())) {
            offset = t.getOffsetAfter();
            if (offset.getTotalSeconds() % 3600 != 0) {
                return offset;
            }
        }
        return null;
    }

    /** A platform filter, normalized like the pipeline normalizes platforms. */
    static String platform(final Context ctx, final String name) {
        final String value = optional(ctx, name);
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    static String encodeCursor(final String... parts) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
    }

    /** The parts of an opaque cursor, or null when there is none. */
    static String[] cursor(final Context ctx, final String name, final int parts) {
        final String value = optional(ctx, name);
        if (value == null) {
            return null;
        }
        try {
            final String[] decoded = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8).split("\n", -1);
            if (decoded.length != parts) {
                throw new IllegalArgumentException("wrong number of parts");
            }
            return decoded;
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(name, "is not a cursor this API returned (use the nextCursor of the previous page)");
        }
    }

    static long cursorLong(final String value, final String name) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(name, "is not a cursor this API returned (use the nextCursor of the previous page)");
        }
    }
}
