package io.smsreports.export;

import io.smsreports.reporting.FailedRecipient;
import io.smsreports.reporting.FailureTaxonomy;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.poi.ss.usermodel.Row;

/**
 * Writes a campaign's failed users as CSV (commons-csv, RFC 4180) or XLSX (Apache POI's streaming workbook):
 * the identifier columns the caller chose, then Fail Reason, Fail Category and Permanent (rule 11's mapping table),
 * Error Code and Failed At (UTC). Rows are
 * written as they are read from the store, so memory stays flat whatever the row count: the CSV goes
 * straight to the response; the XLSX keeps a window of {@value #XLSX_ROW_WINDOW} rows in memory and the rest
 * in compressed temporary files until the workbook is streamed out. A sheet holds at most
 * {@value #ROWS_PER_SHEET} rows; more go on further sheets.
 */
public final class FailedUsersExport {

    public static final String FAIL_REASON = "Fail Reason";
    public static final String FAIL_CATEGORY = "Fail Category";
    public static final String PERMANENT = "Permanent";
    public static final String ERROR_CODE = "Error Code";
    public static final String FAILED_AT = "Failed At (UTC)";
    /** The optional price columns (rule 15): what the SMS cost when it failed, in the currency's units, and the currency. */
    public static final String PRICE = "Price";
    public static final String CURRENCY = "Currency";
    static final int XLSX_ROW_WINDOW = 200;
    static final int ROWS_PER_SHEET = 1_000_000;
    private static final java.util.regex.Pattern E164 = java.util.regex.Pattern.compile("\\+[0-9]{1,15}");

    private FailedUsersExport() {
    }

    /** The header row for a choice of identifier columns. */
    public static List<String> headers(final List<IdColumn> ids) {
        return headers(ids, false);
    }

    /** The header row for a choice of identifier columns, with or without the price columns. */
    public static List<String> headers(final List<IdColumn> ids, final boolean price) {
        final List<String> headers = new ArrayList<>();
        ids.forEach(id -> headers.add(id.header()));
        headers.add(FAIL_REASON);
        headers.add(FAIL_CATEGORY);
        headers.add(PERMANENT);
        headers.add(ERROR_CODE);
        headers.add(FAILED_AT);
        if (price) {
            headers.add(PRICE);
            headers.add(CURRENCY);
        }
        return headers;
    }

    /**
     * Writes every recipient {@code source} produces to {@code out}, which is flushed but not closed.
     *
     * @return the number of rows written
     */
    public static long write(final ExportFormat format, final List<IdColumn> ids, final Consumer<Consumer<FailedRecipient>> source,
            final FailureTaxonomy taxonomy, final OutputStream out) throws IOException {
        return write(format, ids, false, source, taxonomy, out);
    }

    /** As {@link #write}, with the price columns when {@code price}. */
    public static long write(final ExportFormat format, final List<IdColumn> ids, final boolean price,
            final Consumer<Consumer<FailedRecipient>> source, final FailureTaxonomy taxonomy, final OutputStream out) throws IOException {
        return format == ExportFormat.CSV ? writeCsv(ids, price, source, taxonomy, out)
                : writeXlsxSheets(ids, price, source, taxonomy, out, ROWS_PER_SHEET);
    }

    /** With the default mapping table. */
    public static long write(final ExportFormat format, final List<IdColumn> ids, final Consumer<Consumer<FailedRecipient>> source,
            final OutputStream out) throws IOException {
        return write(format, ids, source, FailureTaxonomy.defaults(), out);
    }

    /** As {@link #write} for XLSX, with a smaller sheet size (tests). */
    static long writeXlsx(final List<IdColumn> ids, final Consumer<Consumer<FailedRecipient>> source, final OutputStream out,
            final int rowsPerSheet) throws IOException {
        return writeXlsxSheets(ids, false, source, FailureTaxonomy.defaults(), out, rowsPerSheet);
    }

    private static long writeCsv(final List<IdColumn> ids, final boolean price, final Consumer<Consumer<FailedRecipient>> source,
            final FailureTaxonomy taxonomy, final OutputStream out) throws IOException {
        return Spreadsheets.csv(headers(ids, price), out, emit -> source.accept(recipient -> {
            final List<String> values = new ArrayList<>(ids.size() + 7);
            for (final IdColumn id : ids) {
                values.add(neutralize(id.valueOf(recipient)));
            }
            values.add(neutralize(recipient.failReason()));
            final FailureTaxonomy.Classification kind = taxonomy.classify(recipient.status(), recipient.errorCode(), recipient.provider());
            values.add(kind.category().name());
            values.add(Boolean.toString(kind.permanent()));
            values.add(neutralize(recipient.errorCode()));
            values.add(Instant.ofEpochMilli(recipient.failedAt()).toString());
            if (price) {
                values.add(units(recipient.priceMicros()));
                values.add(recipient.currency());
            }
            emit.accept(values);
        }));
    }

    private static long writeXlsxSheets(final List<IdColumn> ids, final boolean price, final Consumer<Consumer<FailedRecipient>> source,
            final FailureTaxonomy taxonomy, final OutputStream out, final int rowsPerSheet) throws IOException {
        try (Spreadsheets.Xlsx xlsx = new Spreadsheets.Xlsx("Failed users", headers(ids, price), rowsPerSheet)) {
            source.accept(recipient -> {
                final Row row = xlsx.row();
                int c = 0;
                for (final IdColumn id : ids) {
                    Spreadsheets.Xlsx.text(row.createCell(c++), id.valueOf(recipient));
                }
                Spreadsheets.Xlsx.text(row.createCell(c++), recipient.failReason());
                final FailureTaxonomy.Classification kind = taxonomy.classify(recipient.status(), recipient.errorCode(), recipient.provider());
                Spreadsheets.Xlsx.text(row.createCell(c++), kind.category().name());
                Spreadsheets.Xlsx.text(row.createCell(c++), Boolean.toString(kind.permanent()));
                Spreadsheets.Xlsx.text(row.createCell(c++), recipient.errorCode());
                xlsx.time(row.createCell(c++), recipient.failedAt());
                if (price) {
                    if (recipient.priceMicros() != null) {
                        row.createCell(c).setCellValue(new java.math.BigDecimal(units(recipient.priceMicros())).doubleValue());
                    }
                    Spreadsheets.Xlsx.text(row.createCell(c + 1), recipient.currency());
                }
            });
            return xlsx.writeTo(out);
        }
    }

    /** Micro-units as a plain decimal of the currency's units ({@code 0.2}), or null. */
    static String units(final Long micros) {
        return micros == null ? null : java.math.BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }

    /**
     * A cell a spreadsheet would run as a formula, neutralised (OWASP "CSV injection"): a leading {@code =}, {@code +},
     * {@code -}, {@code @}, tab or carriage return gets a leading apostrophe, so the cell is text. An MSISDN in E.164
     * form ({@code +} and digits) is data every spreadsheet reads as text or a number, never a formula: it stays as it is.
     */
    static String neutralize(final String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        final char first = value.charAt(0);
        final boolean formula = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
        if (!formula || E164.matcher(value).matches()) {
            return value;
        }
        return "'" + value;
    }
}
