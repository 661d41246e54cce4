package io.smsreports.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.smsreports.api.audit.AuditUnavailableException;
import io.smsreports.api.auth.Authenticator;
import io.smsreports.events.AuditAction;
import io.smsreports.export.ExportFormat;
import io.smsreports.export.FailedUsersExport;
import io.smsreports.export.IdColumn;
import io.smsreports.export.NotSentExport;
import io.smsreports.reporting.FailureTaxonomy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The failed-user export of a campaign, streamed (CSV or XLSX), limited per token, audited. */
public final class ExportResource {

    private static final Logger LOG = LoggerFactory.getLogger(ExportResource.class);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
    private static final List<String> ID_COLUMNS = List.of("externalId", "msisdn", "email");

    private final LocalReports local;
    private final Federation federation;
    private final AuditTrail audit;
    private final Clock clock;
    private final Authenticator auth;
    private final ExportLimiter exports;

    ExportResource(final LocalReports local, final Federation federation, final AuditTrail audit, final Clock clock,
            final Authenticator auth, final ExportLimiter exports) {
        this.local = local;
        this.federation = federation;
        this.audit = audit;
        this.clock = clock;
        this.auth = auth;
        this.exports = exports;
    }

    /** Registers this resource's routes. */
    void register(final JavalinConfig config) {
        config.routes.get(QueryApi.PREFIX + "/campaigns/{messageId}/failed/export", this::export);
        config.routes.get(QueryApi.PREFIX + "/campaigns/{messageId}/not-sent/export", this::exportNotSent);
    }

    /** Rule 14: the campaign's recipients not sent to, optionally of one reason: the same limits, audit and streaming. */
    private void exportNotSent(final Context ctx) throws Exception {
        final ExportFormat format = ExportFormat.valueOf(Params.choice(ctx, "format", "csv", List.of("csv", "xlsx")).toUpperCase());
        final List<IdColumn> ids = Params.subset(ctx, "ids", ID_COLUMNS, ID_COLUMNS).stream().map(IdColumn::valueOf).toList();
        final List<String> reasons = java.util.Arrays.stream(io.smsreports.events.NotSentReason.values()).map(Enum::name).toList();
        final String reason = Params.choice(ctx, "reason", null, reasons);
        if (!auth.fromCluster(ctx)) {
            exports.acquire(Authenticator.principal(ctx).name());
        }
        federation.routed(ctx, () -> {
            final String messageId = ctx.pathParam("messageId");
            if (!local.knows(messageId)) {
                throw ApiErrors.unknownCampaign(messageId);
            }
            final String file = "not-sent-" + messageId.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + FILE_TIME.format(Instant.now(clock)) + "."
                    + format.extension();
            ctx.contentType(format.contentType());
            ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
            final String detail = "format=" + format.extension() + " ids=" + ids + (reason == null ? "" : " reason=" + reason);
            audit.audited(ctx, AuditAction.EXPORT_NOT_SENT, messageId, 0, "started " + detail);
            final long rows = NotSentExport.write(format, ids, sink -> local.eachNotSent(messageId, r -> {
                if (reason == null || reason.equals(r.reason())) {
                    sink.accept(r);
                }
            }), ctx.outputStream());
            try {
                audit.audited(ctx, AuditAction.EXPORT_NOT_SENT, messageId, rows, "finished " + detail);
            } catch (AuditUnavailableException e) {
                LOG.warn("The row count of a not-sent export of {} is missing from the audit trail (its start is recorded)", messageId);
            }
            LOG.info("Exported {} recipients not sent to of {} as {}", rows, messageId, format);
        });
    }

    private void export(final Context ctx) throws Exception {
        final ExportFormat format = ExportFormat.valueOf(Params.choice(ctx, "format", "csv", List.of("csv", "xlsx")).toUpperCase());
        final List<IdColumn> ids = Params.subset(ctx, "ids", ID_COLUMNS, ID_COLUMNS).stream().map(IdColumn::valueOf).toList();
        // A retarget list: only the permanent (or only the temporary) failures, by rule 11's mapping table.
        final String permanentParam = Params.choice(ctx, "permanent", null, List.of("true", "false"));
        final Boolean permanent = permanentParam == null ? null : Boolean.valueOf(permanentParam);
        // Rule 15: the Price and Currency columns, on request (what each SMS cost when it failed).
        final boolean price = Boolean.parseBoolean(Params.choice(ctx, "price", "false", List.of("true", "false")));
        if (!auth.fromCluster(ctx)) {
            exports.acquire(Authenticator.principal(ctx).name()); // counted where the user asked, not again at the owner
        }
        federation.routed(ctx, () -> {
            final String messageId = ctx.pathParam("messageId");
            if (!local.knows(messageId)) {
                throw ApiErrors.unknownCampaign(messageId);
            }
            final String file = "failed-users-" + messageId.replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                    + FILE_TIME.format(Instant.now(clock)) + "." + format.extension();
            ctx.contentType(format.contentType());
            ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
            final FailureTaxonomy taxonomy = local.taxonomy();
            final String detail = "format=" + format.extension() + " ids=" + ids + (permanent == null ? "" : " permanent=" + permanent)
                    + (price ? " price=true" : "");
            // Streamed, so the row count is known only at the end: the read is recorded before the first row leaves (no
            // record, no rows: a 503), and the count in a second record once the file is complete.
            audit.audited(ctx, AuditAction.EXPORT_FAILED, messageId, 0, "started " + detail);
            final long rows = FailedUsersExport.write(format, ids, price, sink -> local.eachFailed(messageId, f -> {
                if (permanent == null || taxonomy.classify(f.status(), f.errorCode(), f.provider()).permanent() == permanent) {
                    sink.accept(f);
                }
            }), taxonomy, ctx.outputStream());
            try {
                audit.audited(ctx, AuditAction.EXPORT_FAILED, messageId, rows, "finished " + detail);
            } catch (AuditUnavailableException e) {
                // The file is out and its start is on the trail; the failed write of the count is logged by the audit log.
                LOG.warn("The row count of an export of {} is missing from the audit trail (its start is recorded)", messageId);
            }
            LOG.info("Exported {} failed users of {} as {}", rows, messageId, format);
        });
    }
}
