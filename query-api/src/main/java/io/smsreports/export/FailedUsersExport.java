package io.smsreports.export;

import io.smsreports.reporting.FailedRecipient;
import io.smsreports.reporting.FailureTaxonomy;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

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
        final BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        final CSVPrinter printer = new CSVPrinter(writer, CSVFormat.RFC4180.builder()
                .setHeader(headers(ids, price).toArray(String[]::new)).get());
        final long[] rows = {0};
        try {
            source.accept(recipient -> {
                try {
                    final List<String> values = new ArrayList<>(ids.size() + 3);
                    for (final IdColumn id : ids) {
                        values.add(neutralize(id.valueOf(recipient)));
                    }
                    values.add(neutralize(recipient.failReason()));
                    final FailureTaxonomy.Classification kind = taxonomy.classify(recipient.status(), recipient.errorCode(),
                            recipient.provider());
                    values.add(kind.category().name());
                    values.add(Boolean.toString(kind.permanent()));
                    values.add(neutralize(recipient.errorCode()));
                    values.add(Instant.ofEpochMilli(recipient.failedAt()).toString());
                    if (price) {
                        values.add(units(recipient.priceMicros()));
                        values.add(recipient.currency());
                    }
                    printer.printRecord(values);
                    rows[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        printer.flush();
        return rows[0];
    }

    private static long writeXlsxSheets(final List<IdColumn> ids, final boolean price, final Consumer<Consumer<FailedRecipient>> source,
            final FailureTaxonomy taxonomy, final OutputStream out, final int rowsPerSheet) throws IOException {
        // Inline strings (no shared-strings table) keep memory flat; temporary files are compressed.
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(null, XLSX_ROW_WINDOW, true, false)) {
            final CellStyle headerStyle = workbook.createCellStyle();
            final Font bold = workbook.createFont();
            bold.setBold(true);
            headerStyle.setFont(bold);
            final CellStyle dateStyle = workbook.createCellStyle();
            dateStyle.setDataFormat(workbook.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss"));
            final List<String> headers = headers(ids, price);
            final long[] rows = {0};
            final SXSSFSheet[] sheet = {null};
            final int[] rowInSheet = {0};
            source.accept(recipient -> {
                if (sheet[0] == null || rowInSheet[0] > rowsPerSheet) {
                    sheet[0] = workbook.createSheet(sheet[0] == null ? "Failed users" : "Failed users (" + (workbook.getNumberOfSheets() + 1) + ")");
                    final Row header = sheet[0].createRow(0);
                    for (int c = 0; c < headers.size(); c++) {
                        final Cell cell = header.createCell(c);
                        cell.setCellValue(headers.get(c));
                        cell.setCellStyle(headerStyle);
                    }
                    rowInSheet[0] = 1;
                }
                final Row row = sheet[0].createRow(rowInSheet[0]++);
                int c = 0;
                for (final IdColumn id : ids) {
                    setText(row.createCell(c++), id.valueOf(recipient));
                }
                setText(row.createCell(c++), recipient.failReason());
                final FailureTaxonomy.Classification kind = taxonomy.classify(recipient.status(), recipient.errorCode(), recipient.provider());
                setText(row.createCell(c++), kind.category().name());
                setText(row.createCell(c++), Boolean.toString(kind.permanent()));
                setText(row.createCell(c++), recipient.errorCode());
                final Cell failedAt = row.createCell(c++);
                failedAt.setCellValue(LocalDateTime.ofInstant(Instant.ofEpochMilli(recipient.failedAt()), ZoneOffset.UTC));
                failedAt.setCellStyle(dateStyle);
                if (price) {
                    if (recipient.priceMicros() != null) {
                        row.createCell(c).setCellValue(new java.math.BigDecimal(units(recipient.priceMicros())).doubleValue());
                    }
                    setText(row.createCell(c + 1), recipient.currency());
                }
                rows[0]++;
            });
            if (sheet[0] == null) {
                final Row header = workbook.createSheet("Failed users").createRow(0);
                for (int c = 0; c < headers.size(); c++) {
                    header.createCell(c).setCellValue(headers.get(c));
                }
            }
            workbook.write(out);
            out.flush();
            return rows[0];
        }
    }

    /** Micro-units as a plain decimal of the currency's units ({@code 0.2}), or null. */
    static String units(final Long micros) {
        return micros == null ? null : java.math.BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }

    private static void setText(final Cell cell, final String value) {
        if (value != null) {
            cell.setCellValue(value);
        }
    }

    /**
     * Free text from providers must not become a spreadsheet formula when the CSV is opened: a leading
     * {@code =} or {@code @} is escaped with a quote (OWASP CSV injection). A leading {@code +} is left alone,
     * since every E.164 number starts with one.
     */
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
