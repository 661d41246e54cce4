package io.smsreports.export;

import io.smsreports.reporting.NotSentRecipient;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.poi.ss.usermodel.Row;

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
        return Spreadsheets.csv(headers(ids), out, emit -> source.accept(recipient -> {
            final List<String> values = new ArrayList<>();
            texts(ids, recipient).forEach(v -> values.add(FailedUsersExport.neutralize(v)));
            values.add(Instant.ofEpochMilli(recipient.decidedAt()).toString());
            emit.accept(values);
        }));
    }

    private static long writeXlsx(final List<IdColumn> ids, final Consumer<Consumer<NotSentRecipient>> source, final OutputStream out)
            throws IOException {
        try (Spreadsheets.Xlsx xlsx = new Spreadsheets.Xlsx("Not sent", headers(ids), FailedUsersExport.ROWS_PER_SHEET)) {
            source.accept(recipient -> {
                final Row row = xlsx.row();
                int c = 0;
                for (final String value : texts(ids, recipient)) {
                    Spreadsheets.Xlsx.text(row.createCell(c++), value);
                }
                xlsx.time(row.createCell(c), recipient.decidedAt());
            });
            return xlsx.writeTo(out);
        }
    }
}
