package io.smsreports.events;

import java.util.Objects;

/**
 * The topics of the SMS Reports pipeline. The constants are the defaults; every deployment may rename
 * them, so components take a {@code Topics} instance rather than the constants.
 *
 * <table>
 *   <caption>Topics, keys and values</caption>
 *   <tr><th>topic</th><th>key</th><th>value</th><th>cleanup</th></tr>
 *   <tr><td>{@value #DEFAULT_CAMPAIGNS}</td><td>messageId</td><td>{@link Campaign}</td><td>compact</td></tr>
 *   <tr><td>{@value #DEFAULT_DISPATCHES}</td><td>smsId</td><td>{@link SmsDispatched}</td><td>delete</td></tr>
 *   <tr><td>{@value #DEFAULT_RECEIPTS}</td><td>smsId</td><td>{@link DeliveryReceipt}</td><td>delete</td></tr>
 *   <tr><td>{@value #DEFAULT_DELIVERED}</td><td>smsId</td><td>{@link SmsDelivered}</td><td>delete</td></tr>
 *   <tr><td>{@value #DEFAULT_ALERTS}</td><td>alertId</td><td>{@link DeliveryAlert}</td><td>delete</td></tr>
 *   <tr><td>{@value #DEFAULT_NOT_SENT}</td><td>smsId</td><td>{@link SmsNotSent}</td><td>delete</td></tr>
 *   <tr><td>{@value #DEFAULT_CLICKS}</td><td>smsId</td><td>{@link SmsLinkClicked}</td><td>delete</td></tr>
 *   <tr><td>{@value #DEFAULT_INBOUND}</td><td>msisdn</td><td>{@link SmsInbound}</td><td>delete</td></tr>
 *   <tr><td>{@value #DEFAULT_DEAD_LETTERS}</td><td>original key</td><td>original value; headers say why</td><td>delete</td></tr>
 * </table>
 *
 * <p>Keys are plain UTF-8 strings. {@code dispatches}, {@code receipts}, {@code notSent} and {@code clicks} must be
 * co-partitioned (same partition count, default partitioner): the pipeline refuses to start otherwise.
 *
 * @param campaigns   campaign metadata and status
 * @param dispatches  each SMS handed to a provider
 * @param receipts    delivery receipts from the gateways
 * @param delivered   one event per SMS confirmed delivered (written by the pipeline)
 * @param deadLetters poison records with the reason (written by the pipeline)
 * @param audit       who read personal data through the API (written by the query API)
 * @param alerts      delivery alerts, opened and resolved (written by the pipeline)
 * @param notSent     recipients the sender decided not to send to, and why (rule 14)
 * @param clicks      clicks on tracked links (rule 16)
 * @param inbound     messages recipients sent back (rule 17)
 */
public record Topics(String campaigns, String dispatches, String receipts, String delivered, String deadLetters, String audit,
        String alerts, String notSent, String clicks, String inbound) {

    public static final String DEFAULT_CAMPAIGNS = "sms.campaigns";
    public static final String DEFAULT_DISPATCHES = "sms.dispatches";
    public static final String DEFAULT_RECEIPTS = "sms.receipts";
    public static final String DEFAULT_DELIVERED = "sms.delivered";
    public static final String DEFAULT_DEAD_LETTERS = "sms.dlq";
    /** Who read personal data ({@code AuditEvent}, keyed by principal), written by the query API; long retention. */
    public static final String DEFAULT_AUDIT = "sms.audit";
    /** Delivery alerts ({@code DeliveryAlert}, keyed by alertId), written by the pipeline. */
    public static final String DEFAULT_ALERTS = "sms.alerts";
    /** Recipients not sent to ({@code SmsNotSent}, keyed by smsId), written by the sender. */
    public static final String DEFAULT_NOT_SENT = "sms.not-sent";
    /** Link clicks ({@code SmsLinkClicked}, keyed by smsId), written by the link tracker. */
    public static final String DEFAULT_CLICKS = "sms.clicks";
    /** Replies ({@code SmsInbound}, keyed by msisdn), written by the gateways. */
    public static final String DEFAULT_INBOUND = "sms.inbound";

    public Topics {
        requireName(campaigns, "campaigns");
        requireName(dispatches, "dispatches");
        requireName(receipts, "receipts");
        requireName(delivered, "delivered");
        requireName(deadLetters, "deadLetters");
        requireName(audit, "audit");
        requireName(alerts, "alerts");
        requireName(notSent, "notSent");
        requireName(clicks, "clicks");
        requireName(inbound, "inbound");
    }

    /** These topics with the default not-sent, clicks and inbound topics. */
    public Topics(final String campaigns, final String dispatches, final String receipts, final String delivered, final String deadLetters,
            final String audit, final String alerts) {
        this(campaigns, dispatches, receipts, delivered, deadLetters, audit, alerts, DEFAULT_NOT_SENT, DEFAULT_CLICKS, DEFAULT_INBOUND);
    }

    /** These topics with the default alerts topic. */
    public Topics(final String campaigns, final String dispatches, final String receipts, final String delivered, final String deadLetters,
            final String audit) {
        this(campaigns, dispatches, receipts, delivered, deadLetters, audit, DEFAULT_ALERTS);
    }

    /** These topics with the default audit topic. */
    public Topics(final String campaigns, final String dispatches, final String receipts, final String delivered, final String deadLetters) {
        this(campaigns, dispatches, receipts, delivered, deadLetters, DEFAULT_AUDIT);
    }

    /** Every topic named {@code <prefix>.<role>} (e.g. {@code test.not-sent}): one deployment's topics apart from another's. */
    public static Topics prefixed(final String prefix) {
        return new Topics(prefix + ".campaigns", prefix + ".dispatches", prefix + ".receipts", prefix + ".delivered", prefix + ".dlq",
                prefix + ".audit", prefix + ".alerts", prefix + ".not-sent", prefix + ".clicks", prefix + ".inbound");
    }

    /**
     * The topics the pipeline reads, in the order an operator would list them (e.g. to {@code kafka-streams-application-reset
     * --input-topics}): campaigns, dispatches, receipts, decisions not to send, clicks, inbound messages.
     */
    public java.util.List<String> inputs() {
        return java.util.List.of(campaigns, dispatches, receipts, notSent, clicks, inbound);
    }

    /** The default topic names. */
    public static Topics defaults() {
        return new Topics(DEFAULT_CAMPAIGNS, DEFAULT_DISPATCHES, DEFAULT_RECEIPTS, DEFAULT_DELIVERED, DEFAULT_DEAD_LETTERS);
    }

    private static void requireName(final String name, final String role) {
        Objects.requireNonNull(name, () -> "topic name for " + role + " is null");
        if (name.isBlank() || !name.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("invalid topic name for " + role + ": '" + name
                    + "' (legal: 1-249 characters of [a-zA-Z0-9._-])");
        }
    }
}
