package io.smsreports.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.smsreports.api.dto.Person;
import io.smsreports.api.dto.PersonMessages;
import io.smsreports.events.AuditAction;
import io.smsreports.lifecycle.PersonIds;
import io.smsreports.query.PersonHit;
import io.smsreports.reporting.PersonMessage;
import io.smsreports.replies.Msisdns;
import io.smsreports.replies.PersonReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** People: find one by an identifier, and one person's messages and replies (at most 30 days at a time). */
public final class PeopleResource {

    private static final Duration MAX_PERSON_RANGE = Duration.ofDays(30);

    private final LocalReports local;
    private final Federation federation;
    private final AuditTrail audit;
    private final Duration historyRetention;
    private final Clock clock;

    PeopleResource(final LocalReports local, final Federation federation, final AuditTrail audit, final Duration historyRetention,
            final Clock clock) {
        this.local = local;
        this.federation = federation;
        this.audit = audit;
        this.historyRetention = historyRetention;
        this.clock = clock;
    }

    /** Registers this resource's routes. */
    void register(final JavalinConfig config) {
        config.routes.get(QueryApi.PREFIX + "/people", this::findPerson);
        config.routes.get(QueryApi.PREFIX + "/people/{personId}/messages", this::personMessages);
        config.routes.get(QueryApi.PREFIX + "/people/{personId}", this::getPerson);
    }

    private void findPerson(final Context ctx) {
        final String externalId = Params.optional(ctx, "externalId");
        final String msisdn = Params.optional(ctx, "msisdn");
        final String email = Params.optional(ctx, "email");
        final int given = (externalId == null ? 0 : 1) + (msisdn == null ? 0 : 1) + (email == null ? 0 : 1);
        if (given != 1) {
            throw ApiException.badParameter(given == 0 ? "externalId" : "msisdn",
                    "give exactly one of externalId, msisdn or email" + (given == 0 ? "" : " (got " + given + ")"));
        }
        final String key = externalId != null ? PersonIds.forExternalId(externalId)
                : msisdn != null ? PersonIds.forMsisdn(normalizeMsisdn(msisdn)) : PersonIds.forEmail(email);
        final PersonHit hit = federation.lookup(key);
        audit.audited(ctx, AuditAction.PERSON_LOOKUP, key, hit == null ? 0 : 1, null); // a lookup that finds nobody is a probe too
        if (hit == null) {
            throw ApiException.notFound("unknown person", "Nobody was sent an SMS with "
                    + (externalId != null ? "externalId '" + externalId + "'" : msisdn != null ? "msisdn '" + normalizeMsisdn(msisdn) + "'"
                    : "email '" + email + "'") + " in the last " + historyRetention.toDays() + " days");
        }
        ctx.json(person(hit));
    }

    /** One person by the id {@code GET /people} gave, with {@code optedOutAt} (rule 17). */
    private void getPerson(final Context ctx) {
        final String personId = personId(ctx);
        final PersonHit hit = federation.lookup(personId);
        audit.audited(ctx, AuditAction.PERSON_LOOKUP, personId, hit == null ? 0 : 1, null);
        if (hit == null) {
            throw ApiException.notFound("unknown person", "No person '" + personId + "' was sent an SMS in the last "
                    + historyRetention.toDays() + " days");
        }
        ctx.json(person(hit));
    }

    private static String personId(final Context ctx) {
        final String personId = ctx.pathParam("personId");
        if (!personId.startsWith(PersonIds.EXTERNAL_PREFIX) && !personId.startsWith(PersonIds.MSISDN_PREFIX)
                || personId.length() <= 4) {
            throw ApiException.badParameter("personId", "must look like ext:<externalId> or tel:<msisdn> (as GET " + QueryApi.PREFIX
                    + "/people returns it), was '" + personId + "'");
        }
        return personId;
    }

    private void personMessages(final Context ctx) {
        final String personId = personId(ctx);
        final Instant[] range = personRange(ctx);
        final Instant from = range[0];
        final Instant to = range[1];
        final PersonHit hit = federation.lookup(personId);
        if (hit == null) {
            throw ApiException.notFound("unknown person", "No person '" + personId + "' was sent an SMS in the last "
                    + historyRetention.toDays() + " days");
        }
        final List<PersonMessage> messages = federation.messagesOf(personId, from, to);
        final List<PersonReply> replies = repliesOf(hit, from, to);
        final Map<String, String> names = federation.campaignNames(java.util.stream.Stream.concat(
                messages.stream().map(PersonMessage::messageId), replies.stream().map(PersonReply::messageId).filter(Objects::nonNull))
                .distinct().toList());
        final List<PersonMessages.Item> items = messages.stream()
                .sorted(Comparator.comparingLong(PersonMessage::dispatchedAt).reversed().thenComparing(PersonMessage::smsId))
                .map(m -> local.item(m, names.get(m.messageId())))
                .toList();
        final List<PersonMessages.Reply> replyItems = replies.stream()
                .sorted(Comparator.comparingLong(PersonReply::receivedAt).reversed().thenComparing(PersonReply::inboundId))
                .map(r -> new PersonMessages.Reply(r.inboundId(), Instant.ofEpochMilli(r.receivedAt()), r.to(), r.body(), r.optOut(),
                        r.smsId(), r.messageId(), r.messageId() == null ? null : names.get(r.messageId())))
                .toList();
        audit.audited(ctx, AuditAction.PERSON_MESSAGES, personId, items.size() + replyItems.size(), "from=" + from + " to=" + to);
        ctx.json(new PersonMessages(personId, from, to, items, replyItems, optedOutAt(replies)));
    }

    /** The person's replies in [from, to] (rule 17): kept under the person id of their msisdn. */
    private List<PersonReply> repliesOf(final PersonHit hit, final Instant from, final Instant to) {
        final String msisdn = hit.profile().msisdn();
        return msisdn == null ? List.of() : federation.repliesOf(PersonIds.forMsisdn(Msisdns.normalize(msisdn)), from, to);
    }

    /** The latest opt-out among the replies, or null. */
    private static Instant optedOutAt(final List<PersonReply> replies) {
        return replies.stream().filter(PersonReply::optOut).map(r -> Instant.ofEpochMilli(r.receivedAt())).max(Comparator.naturalOrder())
                .orElse(null);
    }

    /** The [from, to] of a person's messages: at most 30 days, none older than the history retention; else 400. */
    private Instant[] personRange(final Context ctx) {
        final Instant now = Instant.now(clock).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        final Instant to = Params.instant(ctx, "to", now);
        final Instant from = Params.instant(ctx, "from", to.minus(MAX_PERSON_RANGE));
        if (!from.isBefore(to)) {
            throw ApiException.badParameter("from", "must be before 'to' (" + from + " is not before " + to + ")");
        }
        if (Duration.between(from, to).compareTo(MAX_PERSON_RANGE) > 0) {
            throw ApiException.badParameter("from", "the range from " + from + " to " + to + " is " + Duration.between(from, to).toDays()
                    + " days; at most " + MAX_PERSON_RANGE.toDays() + " days may be asked at once");
        }
        final Instant oldest = now.minus(historyRetention);
        if (from.isBefore(oldest)) {
            throw ApiException.badParameter("from", from + " is older than " + historyRetention.toDays()
                    + " days (6 months): message history is kept that long, so 'from' must lie within the last "
                    + historyRetention.toDays() + " days");
        }
        return new Instant[] {from, to};
    }

    /** The person, with their latest opt-out over the history retention (rule 17). */
    private Person person(final PersonHit hit) {
        final Instant now = Instant.now(clock);
        return new Person(hit.profile().personId(), hit.profile().externalId(), hit.profile().msisdn(), hit.profile().email(),
                optedOutAt(repliesOf(hit, now.minus(historyRetention), now.plus(Duration.ofDays(1)))));
    }

    /**
     * A msisdn as a query parameter: {@code +} is often sent unencoded and arrives as a space, and some
     * callers leave it out; both are read as the E.164 number.
     */
    static String normalizeMsisdn(final String raw) {
        final String trimmed = raw.trim();
        if (raw.startsWith(" ") && trimmed.matches("\\d+")) {
            return "+" + trimmed;
        }
        return trimmed.matches("\\d{6,15}") ? "+" + trimmed : trimmed;
    }
}
