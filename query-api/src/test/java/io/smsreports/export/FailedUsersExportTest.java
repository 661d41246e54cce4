package io.smsreports.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.events.ReceiptStatus;
import io.smsreports.reporting.FailedRecipient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

class FailedUsersExportTest {

    private static final List<FailedRecipient> AWKWARD = List.of(
            new FailedRecipient("s1", "u,1", "+905551112233", "a\"b\"@example.com", "ios", "acme", ReceiptStatus.EXPIRED, "00\n7",
                    "Line one\nline two, with \"quotes\"", 1_790_000_000_123L),
            new FailedRecipient("s2", null, "+905551112234", null, "web", "acme", ReceiptStatus.REJECTED, null,
                    "=HYPERLINK(\"http://evil\")", 1_790_000_001_000L),
            new FailedRecipient("s3", "ü-Ω-✓", "+905551112235", "x@y.z", "android", "acme", ReceiptStatus.UNDELIVERABLE, "@SUM",
                    "Absent subscriber — ünïcödé", 1_790_000_002_000L));

    private static Consumer<Consumer<FailedRecipient>> source(final List<FailedRecipient> rows) {
        return sink -> rows.forEach(sink);
    }

    @Test
    void shouldAddThePriceColumnsOnRequestInBothFormats() throws Exception {
        final List<FailedRecipient> priced = List.of(
                new FailedRecipient("p1", "u1", "+905551112233", null, "ios", "acme", ReceiptStatus.EXPIRED, null, "expired",
                        1_790_000_000_000L, 212_500L, "TRY"),
                new FailedRecipient("p2", "u2", "+905551112234", null, "ios", "acme", ReceiptStatus.EXPIRED, null, "expired",
                        1_790_000_001_000L, null, null));
        final ByteArrayOutputStream csvOut = new ByteArrayOutputStream();
        FailedUsersExport.write(ExportFormat.CSV, List.of(IdColumn.externalId), true, source(priced),
                io.smsreports.reporting.FailureTaxonomy.defaults(), csvOut);
        try (CSVParser csv = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new InputStreamReader(new ByteArrayInputStream(csvOut.toByteArray()), StandardCharsets.UTF_8))) {
            assertThat(csv.getHeaderNames()).endsWith("Failed At (UTC)", "Price", "Currency");
            final List<CSVRecord> records = csv.getRecords();
            assertThat(List.of(records.get(0).get("Price"), records.get(0).get("Currency"))).containsExactly("0.2125", "TRY");
            assertThat(List.of(records.get(1).get("Price"), records.get(1).get("Currency"))).as("no known price").containsExactly("", "");
        }
        final ByteArrayOutputStream xlsxOut = new ByteArrayOutputStream();
        FailedUsersExport.write(ExportFormat.XLSX, List.of(IdColumn.externalId), true, source(priced),
                io.smsreports.reporting.FailureTaxonomy.defaults(), xlsxOut);
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsxOut.toByteArray()))) {
            final Sheet sheet = workbook.getSheetAt(0);
            final Row header = sheet.getRow(0);
            final int price = header.getLastCellNum() - 2;
            assertThat(header.getCell(price).getStringCellValue()).isEqualTo("Price");
            assertThat(sheet.getRow(1).getCell(price).getNumericCellValue()).isEqualTo(0.2125);
            assertThat(sheet.getRow(1).getCell(price + 1).getStringCellValue()).isEqualTo("TRY");
            assertThat(sheet.getRow(2).getCell(price)).as("no known price: an empty cell").isNull();
        }
        final ByteArrayOutputStream without = new ByteArrayOutputStream();
        FailedUsersExport.write(ExportFormat.CSV, List.of(IdColumn.externalId), source(priced), without);
        assertThat(without.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow()).as("not asked: no price columns")
                .doesNotContain("Price");
    }

    @Test
    void shouldWriteCsvThatCommonsCsvReadsBackExactly() throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final long rows = FailedUsersExport.write(ExportFormat.CSV, List.of(IdColumn.externalId, IdColumn.msisdn, IdColumn.email),
                source(AWKWARD), out);
        assertThat(rows).isEqualTo(3);
        try (CSVParser csv = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new InputStreamReader(new ByteArrayInputStream(out.toByteArray()), StandardCharsets.UTF_8))) {
            assertThat(csv.getHeaderNames()).containsExactly("External ID", "MSISDN", "Email", "Fail Reason", "Fail Category", "Permanent",
                    "Error Code", "Failed At (UTC)");
            final List<CSVRecord> records = csv.getRecords();
            // rule 11's defaults: EXPIRED without a known code, REJECTED, UNDELIVERABLE with an unknown code
            assertThat(records.stream().map(r -> r.get("Fail Category") + "/" + r.get("Permanent")).toList())
                    .containsExactly("PROVIDER/false", "VALIDATION/true", "UNKNOWN/false");
            assertThat(records.get(0).get("External ID")).isEqualTo("u,1");
            assertThat(records.get(0).get("Email")).isEqualTo("a\"b\"@example.com");
            assertThat(records.get(0).get("Fail Reason")).isEqualTo("Line one\nline two, with \"quotes\"");
            assertThat(records.get(0).get("Error Code")).isEqualTo("00\n7");
            assertThat(records.get(0).get("Failed At (UTC)")).isEqualTo("2026-09-21T14:13:20.123Z");
            assertThat(records.get(0).get("MSISDN")).as("E.164 kept as is").isEqualTo("+905551112233");
            assertThat(records.get(1).get("External ID")).isEmpty();
            assertThat(records.get(1).get("Fail Reason")).as("a formula is neutralized").isEqualTo("'=HYPERLINK(\"http://evil\")");
            assertThat(records.get(2).get("Error Code")).isEqualTo("'@SUM");
            assertThat(records.get(2).get("External ID")).isEqualTo("ü-Ω-✓");
        }
    }

    @Test
    void shouldNeutraliseEveryFormulaTriggerPerOwaspButKeepE164Numbers() throws Exception {
        final List<FailedRecipient> rows = new ArrayList<>();
        final String[] reasons = {"=1+2", "+1+2", "-1+2", "@SUM(A1)", "\tcmd", "\rcmd", "+905551112233", "plain", "+90 555", "-"};
        for (int i = 0; i < reasons.length; i++) {
            rows.add(new FailedRecipient("s" + i, reasons[i], "+905551112233", null, "web", "acme", ReceiptStatus.REJECTED,
                    reasons[i], reasons[i], 1_790_000_000_000L));
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        FailedUsersExport.write(ExportFormat.CSV, List.of(IdColumn.externalId, IdColumn.msisdn), source(rows), out);
        try (CSVParser csv = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new InputStreamReader(new ByteArrayInputStream(out.toByteArray()), StandardCharsets.UTF_8))) {
            final List<String> read = csv.getRecords().stream().map(r -> r.get("Fail Reason")).toList();
            assertThat(read).containsExactly("'=1+2", "'+1+2", "'-1+2", "'@SUM(A1)", "'\tcmd", "'\rcmd", "+905551112233", "plain",
                    "'+90 555", "'-");
        }
        try (CSVParser csv = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new InputStreamReader(new ByteArrayInputStream(out.toByteArray()), StandardCharsets.UTF_8))) {
            final List<CSVRecord> records = csv.getRecords();
            assertThat(records).allSatisfy(r -> assertThat(r.get("MSISDN")).as("an MSISDN stays as it is").isEqualTo("+905551112233"));
            assertThat(records.get(0).get("External ID")).as("identifier columns too").isEqualTo("'=1+2");
            assertThat(records.get(1).get("Error Code")).as("error codes too").isEqualTo("'+1+2");
        }
    }

    @Test
    void shouldWriteXlsxThatPoiReadsBackWithTypedDatesAndSheetRollover() throws Exception {
        final List<FailedRecipient> many = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            many.add(new FailedRecipient("s" + i, "u" + i, "+90555" + i, null, "web", "acme", ReceiptStatus.EXPIRED, "E" + i,
                    "reason " + i, 1_790_000_000_000L + i * 1000L));
        }
        many.addAll(AWKWARD);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final long rows = FailedUsersExport.writeXlsx(List.of(IdColumn.msisdn), source(many), out, 10);
        assertThat(rows).isEqualTo(28);
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(out.toByteArray()))) {
            assertThat(workbook.getNumberOfSheets()).as("10 rows a sheet").isEqualTo(3);
            assertThat(workbook.getSheetName(1)).isEqualTo("Failed users (2)");
            final DataFormatter formatter = new DataFormatter();
            final List<String> msisdns = new ArrayList<>();
            final List<String> reasons = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                final Sheet sheet = workbook.getSheetAt(s);
                assertThat(formatter.formatCellValue(sheet.getRow(0).getCell(0))).isEqualTo("MSISDN");
                for (int r = 1; r <= sheet.getLastRowNum(); r++) {
                    final Row row = sheet.getRow(r);
                    msisdns.add(row.getCell(0).getStringCellValue());
                    reasons.add(row.getCell(1).getStringCellValue());
                }
            }
            assertThat(msisdns).hasSize(28).startsWith("+905550", "+905551").endsWith("+905551112235");
            assertThat(reasons.get(25)).isEqualTo("Line one\nline two, with \"quotes\"");
            assertThat(reasons.get(26)).as("cells are strings, never formulas").isEqualTo("=HYPERLINK(\"http://evil\")");
            final Row first = workbook.getSheetAt(0).getRow(1);
            assertThat(first.getCell(2).getStringCellValue() + "/" + first.getCell(3).getStringCellValue()).as("Fail Category, Permanent")
                    .isEqualTo("PROVIDER/false");
            assertThat(first.getCell(5).getLocalDateTimeCellValue().toInstant(ZoneOffset.UTC))
                    .isEqualTo(Instant.ofEpochMilli(1_790_000_000_000L));
        }
    }

    @Test
    void shouldWriteJustTheHeaderWhenNothingFailed() throws Exception {
        final ByteArrayOutputStream csv = new ByteArrayOutputStream();
        assertThat(FailedUsersExport.write(ExportFormat.CSV, List.of(IdColumn.email), source(List.of()), csv)).isZero();
        assertThat(csv.toString(StandardCharsets.UTF_8)).isEqualTo("Email,Fail Reason,Fail Category,Permanent,Error Code,Failed At (UTC)\r\n");
        final ByteArrayOutputStream xlsx = new ByteArrayOutputStream();
        FailedUsersExport.write(ExportFormat.XLSX, List.of(IdColumn.email), source(List.of()), xlsx);
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx.toByteArray()))) {
            assertThat(workbook.getSheetAt(0).getLastRowNum()).isZero();
        }
    }
}
