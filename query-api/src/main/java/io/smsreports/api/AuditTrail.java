package io.smsreports.api;

import io.javalin.http.Context;
import io.smsreports.api.audit.AuditLog;
import io.smsreports.api.auth.Authenticator;
import io.smsreports.events.AuditAction;
import io.smsreports.privacy.PersonalData;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Records each read of personal data for the request's principal and client (see {@link AuditLog}). */
final class AuditTrail {

    private final AuditLog log;
    private final Federation federation;

    AuditTrail(final AuditLog log, final Federation federation) {
        this.log = Objects.requireNonNull(log, "log");
        this.federation = Objects.requireNonNull(federation, "federation");
    }

    /**
     * Writes who read what personal data (the data itself never: a person named as the target is masked, as in a log
     * line, so the trail says that a person was looked up and by whom, and holds no identifier of theirs). Throws
     * {@link io.smsreports.api.audit.AuditUnavailableException} when it cannot be written: call it before serving.
     */
    void audited(final Context ctx, final AuditAction action, final String target, final long rows, final String detail) {
        log.record(Authenticator.principal(ctx), action, PersonalData.mask(target), rows, federation.clientAddress(ctx), detail);
    }

    List<AuditEntry> latest(final int limit) {
        return log.latest(limit).stream().map(AuditEntry::of).toList();
    }

    /** One audit event as the API shows it. */
    record AuditEntry(String principal, String role, String action, String target, long rows, Instant at, String clientAddress,
            String detail) {
        static AuditEntry of(final io.smsreports.events.AuditEvent e) {
            return new AuditEntry(e.getPrincipal(), e.getRole(), e.getAction().name(), e.getTarget(), e.getRows(), e.getAt(),
                    e.getClientAddress(), e.getDetail());
        }
    }
}
