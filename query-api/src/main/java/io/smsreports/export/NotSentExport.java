package io.smsreports.export;

import io.smsreports.reporting.NotSentRecipient;
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
 * Writes a campaign's recipients not sent to (rule 14) as CSV or XLSX, streamed like {@link FailedUsersExport} (flat memory,
 * cells that a spreadsheet would run neutralised, XLSX cells as text): the identifier columns the caller chose, then Reason,
 * Platform, Country, Operator and Decided At (UTC).
 */
public final class NotSentExport {

    public static final String REASON = "Reason";
    public static final String DECIDED_AT = "Decided At (UTC)";

    private NotSentExport() {
    }

    public static List<String> headers(final List<IdColumn> ids) {
        final List<String> headers = new ArrayList<>();
        ids.forEach(id -> headers.add(id.header()));
        headers.addAll(List.of(REASON, "Platform", "Country", "Operator", DECIDED_AT));
        return headers;
    }

    /**
     * Writes every recipient {@code source} produces to {@code out}, which is flushed but not closed.
     *
     * @return the number of rows written
     */
    public static long write(final ExportFormat format, final List<IdColumn> ids, final Consumer<Consumer<NotSentRecipient>> source,
            final OutputStream out) throws IOException {
        return format == ExportFormat.CSV ? writeCsv(ids, source, out) : writeXlsx(ids, source, out);
    }

    private static List<String> texts(final List<IdColumn> ids, final NotSentRecipient r) {
        final List<String> values = new ArrayList<>(ids.size() + 4);
        ids.forEach(id -> values.add(id.valueOf(r)));
        values.addAll(java.util.Arrays.asList(r.reason(), r.platform(), r.country(), r.operator()));
        return values;
    }

    private static long writeCsv(final List<IdColumn> ids, final Consumer<Consumer<NotSentRecipient>> source, final OutputStream out)
            throws IOException {
        final BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        final CSVPrinter printer = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader(headers(ids).toArray(String[]::new)).get());
        final long[] rows = {0};
        try {
            source.accept(recipient -> {
                try {
                    final List<String> values = new ArrayList<>();
                    texts(ids, recipient).forEach(v -> values.add(FailedUsersExport.neutralize(v)));
                    values.add(Instant.ofEpochMilli(recipient.decidedAt()).toString());
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

    private static long writeXlsx(final List<IdColumn> ids, final Consumer<Consumer<NotSentRecipient>> source, final OutputStream out)
            throws IOException {
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(null, FailedUsersExport.XLSX_ROW_WINDOW, true, false)) {
            final CellStyle headerStyle = workbook.createCellStyle();
            final Font bold = workbook.createFont();
            bold.setBold(true);
            headerStyle.setFont(bold);
            final CellStyle dateStyle = workbook.createCellStyle();
            dateStyle.setDataFormat(workbook.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss"));
            final List<String> headers = headers(ids);
            final long[] rows = {0};
            final SXSSFSheet[] sheet = {null};
            final int[] rowInSheet = {0};
            source.accept(recipient -> {
                if (sheet[0] == null || rowInSheet[0] > FailedUsersExport.ROWS_PER_SHEET) {
                    sheet[0] = workbook.createSheet(sheet[0] == null ? "Not sent" : "Not sent (" + (workbook.getNumberOfSheets() + 1) + ")");
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
                for (final String value : texts(ids, recipient)) {
                    final Cell cell = row.createCell(c++);
                    if (value != null) {
                        cell.setCellValue(value);
                    }
                }
                final Cell decidedAt = row.createCell(c);
                decidedAt.setCellValue(LocalDateTime.ofInstant(Instant.ofEpochMilli(recipient.decidedAt()), ZoneOffset.UTC));
                decidedAt.setCellStyle(dateStyle);
                rows[0]++;
            });
            if (sheet[0] == null) {
                final Row header = workbook.createSheet("Not sent").createRow(0);
                for (int c = 0; c < headers.size(); c++) {
                    header.createCell(c).setCellValue(headers.get(c));
                }
            }
            workbook.write(out);
            out.flush();
            return rows[0];
        }
    }
}
