package io.smsreports.lifecycle;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The configured price per part by country and operator (rule 15: the price of an SMS that carries none). Written as
 * CSV, one tariff a line: {@code country,operator,currency,pricePerPart}, the operator {@code *} for every operator of
 * the country without a line of its own, the price in the currency's units ({@code 0.0125}); a header line and lines
 * starting with {@code #} are skipped. An SMS costs its parts times the price per part.
 */
public final class Tariffs {

    public static final Tariffs NONE = new Tariffs(Map.of());
    private static final String ANY = "*";

    /** One tariff: micros of {@code currency} per part. */
    public record Tariff(String currency, long microsPerPart) {
    }

    private final Map<String, Tariff> byKey;

    private Tariffs(final Map<String, Tariff> byKey) {
        this.byKey = Map.copyOf(byKey);
    }

    /** The price of an SMS of {@code segments} parts to a country and operator, or null when no tariff applies. */
    public Price price(final String country, final String operator, final int segments) {
        if (byKey.isEmpty() || country == null) {
            return null;
        }
        final String c = country.trim().toUpperCase(Locale.ROOT);
        Tariff tariff = operator == null ? null : byKey.get(key(c, operator.trim()));
        if (tariff == null) {
            tariff = byKey.get(key(c, ANY));
        }
        return tariff == null ? null : new Price(tariff.microsPerPart() * Math.max(1, segments), tariff.currency());
    }

    public int size() {
        return byKey.size();
    }

    /**
     * Reads tariffs from CSV text.
     *
     * @throws IllegalArgumentException naming each bad line (its number and what is wrong with it)
     */
    public static Tariffs parse(final String csv) {
        final Map<String, Tariff> tariffs = new HashMap<>();
        final List<String> problems = new ArrayList<>();
        final String[] lines = csv.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            final String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#") || i == 0 && line.toLowerCase(Locale.ROOT).startsWith("country")) {
                continue;
            }
            final String[] cells = line.split(",", -1);
            final String where = "line " + (i + 1) + " ('" + line + "')";
            if (cells.length != 4) {
                problems.add(where + ": 4 cells expected (country,operator,currency,pricePerPart), found " + cells.length);
                continue;
            }
            final String country = cells[0].trim().toUpperCase(Locale.ROOT);
            final String operator = cells[1].trim().isEmpty() ? ANY : cells[1].trim();
            final String currency = cells[2].trim().toUpperCase(Locale.ROOT);
            if (!country.matches("[A-Z]{2}")) {
                problems.add(where + ": country must be an ISO 3166 alpha-2 code, was '" + cells[0].trim() + "'");
                continue;
            }
            try {
                Currency.getInstance(currency);
            } catch (IllegalArgumentException e) {
                problems.add(where + ": '" + cells[2].trim() + "' is not an ISO 4217 currency code");
                continue;
            }
            final long micros;
            try {
                final BigDecimal perPart = new BigDecimal(cells[3].trim());
                if (perPart.signum() < 0) {
                    problems.add(where + ": the price per part must not be negative");
                    continue;
                }
                micros = perPart.movePointRight(6).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
            } catch (NumberFormatException | ArithmeticException e) {
                problems.add(where + ": the price per part must be a number with at most 6 decimals, was '" + cells[3].trim() + "'");
                continue;
            }
            if (tariffs.put(key(country, operator), new Tariff(currency, micros)) != null) {
                problems.add(where + ": " + country + "/" + operator + " has a tariff already");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new Tariffs(tariffs);
    }

    private static String key(final String country, final String operator) {
        return country + '/' + operator;
    }
}
