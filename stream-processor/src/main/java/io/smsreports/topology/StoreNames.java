package io.smsreports.topology;

/**
 * Names of the state stores (queryable through interactive queries) and of the repartition steps.
 *
 * <p>Lifecycle stores, partitioned like {@code sms.dispatches}/{@code sms.receipts} (by smsId):
 * {@link #SMS_STATE}, {@link #EXPIRY_INDEX}, {@link #LIFECYCLE_META}, and the people stores
 * {@link #PERSON_MESSAGES} and {@link #PEOPLE} (keyed by person, so a person's data is spread over
 * partitions: queries fan out). Reporting stores, partitioned by messageId: {@link #CAMPAIGNS},
 * {@link #CAMPAIGN_STATS}, {@link #CAMPAIGN_HOURLY}, {@link #CAMPAIGN_FAILED}, {@link #CAMPAIGN_DELIVERED},
 * {@link #CAMPAIGN_LATENCY}.
 */
public final class StoreNames {

    /** smsId → {@code SmsState}: the lifecycle of every retained SMS and of held receipts. */
    public static final String SMS_STATE = "sms-state";
    /** (deadline, smsId) → empty: when each state next needs the clock's attention. */
    public static final String EXPIRY_INDEX = "sms-expiry-index";
    /** Per-task counters and the persisted idle clock: {@code orphan-receipts}, {@code idle-clock}. */
    public static final String LIFECYCLE_META = "lifecycle-meta";
    /**
     * Window store {@code personId NUL smsId} ({@link PersonHistoryKeys}) → {@code PersonMessage} at dispatchedAt: the
     * message history (6 months). One entry per SMS, so a status change is a plain put (no read of the history).
     */
    public static final String PERSON_HISTORY = "person-history";
    /**
     * Window store personId → {@code PersonMessages} at dispatchedAt: the history as versions before {@link #PERSON_HISTORY}
     * wrote it (read-modify-write). No longer written; read alongside until it ages out (history retention).
     */
    public static final String PERSON_MESSAGES = "person-messages";
    /** Window store {@code ext:/tel:/email:} key → {@code PersonProfile} at the day of the last dispatch. */
    public static final String PEOPLE = "people";

    /** Sequence → {@code Transition}: where an SMS task's transitions waited for the next delta until they waited in memory; emptied by an upgraded task. */
    public static final String PENDING_TRANSITIONS = "pending-transitions";
    /** Holds nothing: flushed inside each commit of an SMS task, when the campaign deltas go out ({@link CommitHook}). */
    public static final String DELTA_COMMIT_HOOK = "delta-commit-hook";

    /** messageId → {@code Campaign}: the latest campaign metadata. */
    public static final String CAMPAIGNS = "campaigns";
    /** messageId NUL dimension NUL row ({@link CampaignKeys}) → {@code BreakdownRow}: the campaign's breakdowns. */
    public static final String CAMPAIGN_BREAKDOWN = "campaign-breakdown";
    /** messageId NUL {@code FailureKey} ({@link CampaignKeys}) → Failed SMS: the campaign's failures, classified (rule 11) when read. */
    public static final String CAMPAIGN_FAILURES = "campaign-failures";
    /** (createdAt descending, messageId) → empty: the campaign list's order, so a page is a range scan. */
    public static final String CAMPAIGN_ORDER = "campaign-order";
    /** messageId → {@code CampaignStats}: counts per platform and reconciliation counters. */
    public static final String CAMPAIGN_STATS = "campaign-stats";
    /** Window store messageId → {@code HourlyCounts} per UTC hour (6 months). */
    public static final String CAMPAIGN_HOURLY = "campaign-hourly";
    /** Window store (duplicates kept) messageId → {@code FailedRecipient} at failedAt (6 months). */
    public static final String CAMPAIGN_FAILED = "campaign-failed";
    /** Rule 14: the campaign's recipients not sent to, one row per smsId (key: campaign, NUL, smsId; time: decidedAt). */
    public static final String CAMPAIGN_NOT_SENT = "campaign-not-sent";
    /** Window store (duplicates kept) messageId → {@code DeliveredRecord} at deliveredAt (6 months): event insight. */
    public static final String CAMPAIGN_DELIVERED = "campaign-delivered";
    /** (messageId, latency bucket) → count: the delivery-latency distribution of each campaign. */
    public static final String CAMPAIGN_LATENCY = "campaign-latency";

    /**
     * Window store route ({@code provider/operator}, {@code Dimension.ROUTE}) → {@code BreakdownRow} per dispatch hour
     * (history retention): the route scorecard, partitioned by route.
     */
    public static final String ROUTE_HOURLY = "route-hourly";

    /** Sequence → parked raw record: dispatches and receipts held, in order, while the schema registry cannot answer. */
    public static final String DECODE_BACKLOG_SMS = "decode-backlog-sms";
    /** Sequence → parked raw record: campaign records held, in order, while the schema registry cannot answer. */
    public static final String DECODE_BACKLOG_CAMPAIGNS = "decode-backlog-campaigns";

    /** Repartition of the campaign deltas by messageId (topic {@code <application.id>-reporting-sms-repartition}). */
    public static final String REPARTITION_SMS = "reporting-sms";
    /** Repartition of campaign metadata to the same partitions. */
    public static final String REPARTITION_CAMPAIGNS = "reporting-campaigns";
    /** Repartition of the route deltas by route (topic {@code <application.id>-reporting-routes-repartition}). */
    public static final String REPARTITION_ROUTES = "reporting-routes";
    /** The alert deltas of every SMS task, to the one alert task (topic {@code <application.id>-alert-inputs-repartition}). */
    public static final String REPARTITION_ALERTS = "alert-inputs";

    /** Alerts: scope and minute ({@code AlertSerdes.bucketKey}) → that minute's counts, for the last day and a quarter. */
    public static final String ALERT_BUCKETS = "alert-buckets";
    /** Alerts: the last minute judged, and each SMS task's last reported clock ({@code clock-<partition>}). */
    public static final String ALERT_META = "alert-meta";
    /** Alerts: sequence → an alert delta held, in order, while the schema of {@code sms.alerts} cannot be registered. */
    public static final String ALERT_BACKLOG = "alert-backlog";
    /** Alerts: alertId → the alert as it stands (opened, or resolved). */
    public static final String ALERTS = "alerts";

    private StoreNames() {
    }

    /** Rule 17, in the replies task (keyed by msisdn): each msisdn's recent sends and inbound messages. */
    public static final String REPLY_LEDGER = "reply-ledger";
    /** The replies task's expiry index: ledger deadlines, so that a ledger nobody touches again is dropped. */
    public static final String REPLY_INDEX = "reply-expiry-index";
    /** Per replies task: how far each input has come, the unattributed and stale inbound messages. */
    public static final String REPLY_META = "reply-meta";
    /** A person's replies (window: receivedAt; key: person id, NUL, inboundId), kept as long as the message history. */
    public static final String PERSON_REPLIES = "person-replies";
    /** The repartition topics of the replies task: sends and inbound messages keyed by msisdn. */
    public static final String REPARTITION_REPLY_SENDS = "reply-sends";
    public static final String REPARTITION_REPLY_INBOUND = "reply-inbound";
    /** What the replies task adds to each campaign, to the campaign's task. */
    public static final String REPARTITION_REPLIES = "reporting-replies";
    public static final String DECODE_BACKLOG_INBOUND = "decode-backlog-inbound";
}
