package io.smsreports.smpp;

import io.smsreports.events.ReceiptStatus;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses SMPP 3.4 delivery receipt text:
 * {@code id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm[ss] done date:YYMMDDhhmm[ss] stat:DDDDDDD err:E text:...}.
 *
 * <p>Field names are matched case-insensitively and in any order; {@code id} and {@code stat} are required,
 * the others optional, {@code text} runs to the end. Dates have 10 or 12 digits (with or without seconds)
 * and are read in the SMSC's time zone (UTC unless given). {@code stat} maps as DELIVRD→DELIVERED,
 * EXPIRED→EXPIRED, DELETED→DELETED, UNDELIV→UNDELIVERABLE, ACCEPTD→ACCEPTED, UNKNOWN→UNKNOWN,
 * REJECTD→REJECTED, ENROUTE→ENROUTE; any other value maps to UNKNOWN and is kept raw in
 * {@link SmppReceipt#stat()}. Anything malformed is an {@link SmppReceiptParseException} naming the field.
 *
 * <p>Immutable and thread-safe.
 */
public final class SmppReceiptParser {

    private static final Pattern FIELD = Pattern.compile(
            "(?i)(?:^|\\s)(id|sub|dlvrd|submit date|done date|stat|err|text):");
    private static final Map<String, ReceiptStatus> STATS = Map.of(
            "DELIVRD", ReceiptStatus.DELIVERED,
            "EXPIRED", ReceiptStatus.EXPIRED,
            "DELETED", ReceiptStatus.DELETED,
            "UNDELIV", ReceiptStatus.UNDELIVERABLE,
            "ACCEPTD", ReceiptStatus.ACCEPTED,
            "UNKNOWN", ReceiptStatus.UNKNOWN,
            "REJECTD", ReceiptStatus.REJECTED,
            "ENROUTE", ReceiptStatus.ENROUTE);

    private final ZoneId smscZone;

    /** A parser reading dates as UTC. */
    public SmppReceiptParser() {
        this(ZoneOffset.UTC);
    }

    /** A parser reading dates in the SMSC's time zone. */
    public SmppReceiptParser(final ZoneId smscZone) {
        this.smscZone = Objects.requireNonNull(smscZone, "smscZone");
    }

    /** Maps a raw {@code stat:} value; unknown values map to {@link ReceiptStatus#UNKNOWN}. */
    public static ReceiptStatus mapStat(final String stat) {
        return STATS.getOrDefault(stat == null ? "" : stat.trim().toUpperCase(Locale.ROOT), ReceiptStatus.UNKNOWN);
    }

    /**
     * Parses one receipt.
     *
     * @throws SmppReceiptParseException when a required field is missing or a field is malformed
     */
    public SmppReceipt parse(final String receiptText) {
        if (receiptText == null || receiptText.isBlank()) {
            throw new SmppReceiptParseException("SMPP receipt is empty");
        }
        final Map<String, String> fields = split(receiptText.strip());
        final String id = required(fields, "id");
        final String stat = required(fields, "stat");
        if (!stat.matches("[A-Za-z_]{1,16}")) {
            throw new SmppReceiptParseException("SMPP receipt field 'stat' is malformed: '" + stat + "'");
        }
        return new SmppReceipt(
                id,
                count(fields, "sub"),
                count(fields, "dlvrd"),
                date(fields, "submit date"),
                date(fields, "done date"),
                stat,
                mapStat(stat),
                errorCode(fields),
                fields.get("text"));
    }

    private static Map<String, String> split(final String text) {
        final Matcher matcher = FIELD.matcher(text);
        final Map<String, String> fields = new LinkedHashMap<>();
        String name = null;
        int valueStart = -1;
        while (matcher.find()) {
            if (name == null && matcher.start() > 0 && !text.substring(0, matcher.start()).isBlank()) {
                throw new SmppReceiptParseException("SMPP receipt starts with unexpected text '" + text.substring(0, matcher.start()).strip()
                        + "' before the first field");
            }
            if (name != null) {
                put(fields, name, text.substring(valueStart, matcher.start()).strip());
            }
            name = matcher.group(1).toLowerCase(Locale.ROOT);
            valueStart = matcher.end();
            if (name.equals("text")) {
                break; // text runs to the end, whatever it contains
            }
        }
        if (name != null) {
            put(fields, name, name.equals("text") ? text.substring(valueStart) : text.substring(valueStart).strip());
        }
        if (fields.isEmpty()) {
            throw new SmppReceiptParseException("Not an SMPP delivery receipt (no 'id:' ... 'stat:' fields): '" + abbreviate(text) + "'");
        }
        return fields;
    }

    private static void put(final Map<String, String> fields, final String name, final String value) {
        if (fields.putIfAbsent(name, value) != null) {
            throw new SmppReceiptParseException("SMPP receipt repeats the field '" + name + "'");
        }
    }

    private static String required(final Map<String, String> fields, final String name) {
        final String value = fields.get(name);
        if (value == null) {
            throw new SmppReceiptParseException("SMPP receipt has no '" + name + ":' field");
        }
        if (value.isEmpty() || value.contains(" ")) {
            throw new SmppReceiptParseException("SMPP receipt field '" + name + "' is malformed: '" + value + "'");
        }
        return value;
    }

    private static Integer count(final Map<String, String> fields, final String name) {
        final String value = fields.get(name);
        if (value == null) {
            return null;
        }
        if (!value.matches("\\d{1,3}")) {
            throw new SmppReceiptParseException("SMPP receipt field '" + name + "' must be 1-3 digits, was '" + value + "'");
        }
        return Integer.valueOf(value);
    }

    private static String errorCode(final Map<String, String> fields) {
        final String value = fields.get("err");
        if (value == null) {
            return null;
        }
        if (!value.matches("[0-9A-Za-z]{1,8}")) {
            throw new SmppReceiptParseException("SMPP receipt field 'err' is malformed: '" + value + "'");
        }
        return value;
    }

    private Instant date(final Map<String, String> fields, final String name) {
        final String value = fields.get(name);
        if (value == null) {
            return null;
        }
        if (!value.matches("\\d{10}|\\d{12}")) {
            throw new SmppReceiptParseException("SMPP receipt field '" + name + "' must be YYMMDDhhmm or YYMMDDhhmmss, was '"
                    + value + "'");
        }
        try {
            final LocalDateTime local = LocalDateTime.of(
                    2000 + Integer.parseInt(value.substring(0, 2)),
                    Integer.parseInt(value.substring(2, 4)),
                    Integer.parseInt(value.substring(4, 6)),
                    Integer.parseInt(value.substring(6, 8)),
                    Integer.parseInt(value.substring(8, 10)),
                    value.length() == 12 ? Integer.parseInt(value.substring(10, 12)) : 0);
            return local.atZone(smscZone).toInstant();
        } catch (DateTimeException e) {
            throw new SmppReceiptParseException("SMPP receipt field '" + name + "' is not a valid date: '" + value + "' ("
                    + e.getMessage() + ")");
        }
    }

    private static String abbreviate(final String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
