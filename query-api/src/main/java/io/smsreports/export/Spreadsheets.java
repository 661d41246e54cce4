package io.smsreports.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
 * The streaming of the exports' files, shared by {@link FailedUsersExport} and {@link NotSentExport}: a CSV (commons-csv,
 * RFC 4180) printed row by row, or an XLSX (Apache POI's streaming workbook: a window of rows in memory, the rest in
 * compressed temporary files, inline strings) whose sheets roll over after a number of rows, each with the header row.
 */
final class Spreadsheets {

    private Spreadsheets() {
    }

    /** Prints a header and every row {@code rows} emits to {@code out} (flushed, not closed); returns the row count. */
    static long csv(final List<String> headers, final OutputStream out, final Consumer<Consumer<List<String>>> rows) throws IOException {
        final BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        final CSVPrinter printer = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader(headers.toArray(String[]::new)).get());
        final long[] count = {0};
        try {
            rows.accept(values -> {
                try {
                    printer.printRecord(values);
                    count[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        printer.flush();
        return count[0];
    }

    /** An XLSX being written: {@link #row()} for each row, then {@link #writeTo}. */
    static final class Xlsx implements AutoCloseable {
        private final SXSSFWorkbook workbook = new SXSSFWorkbook(null, FailedUsersExport.XLSX_ROW_WINDOW, true, false);
        private final String title;
        private final List<String> headers;
        private final int rowsPerSheet;
        private final CellStyle headerStyle;
        private final CellStyle dateStyle;
        private SXSSFSheet sheet;
        private int rowInSheet;
        private long rows;

        Xlsx(final String title, final List<String> headers, final int rowsPerSheet) {
            this.title = title;
            this.headers = List.copyOf(headers);
            this.rowsPerSheet = rowsPerSheet;
            this.headerStyle = workbook.createCellStyle();
            final Font bold = workbook.createFont();
            bold.setBold(true);
            headerStyle.setFont(bold);
            this.dateStyle = workbook.createCellStyle();
            dateStyle.setDataFormat(workbook.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss"));
        }

        /** The next row, on a new sheet (with the header row) when the current one is full. */
        Row row() {
            if (sheet == null || rowInSheet > rowsPerSheet) {
                sheet = workbook.createSheet(sheet == null ? title : title + " (" + (workbook.getNumberOfSheets() + 1) + ")");
                header(sheet, headerStyle);
                rowInSheet = 1;
            }
            rows++;
            return sheet.createRow(rowInSheet++);
        }

        /** A text cell, left empty for null. */
        static void text(final Cell cell, final String value) {
            if (value != null) {
                cell.setCellValue(value);
            }
        }

        /** A date-time cell in UTC. */
        void time(final Cell cell, final long epochMillis) {
            cell.setCellValue(LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC));
            cell.setCellStyle(dateStyle);
        }

        /** Writes the workbook (a header-only sheet when no row was written) to {@code out}; returns the row count. */
        long writeTo(final OutputStream out) throws IOException {
            if (sheet == null) {
                header(workbook.createSheet(title), null);
            }
            workbook.write(out);
            out.flush();
            return rows;
        }

        private void header(final SXSSFSheet target, final CellStyle style) {
            final Row header = target.createRow(0);
            for (int c = 0; c < headers.size(); c++) {
                final Cell cell = header.createCell(c);
                cell.setCellValue(headers.get(c));
                if (style != null) {
                    cell.setCellStyle(style);
                }
            }
        }

        @Override
        public void close() throws IOException {
            workbook.close();
        }
    }
}
