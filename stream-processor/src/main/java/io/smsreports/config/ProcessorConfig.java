package io.smsreports.config;

import io.smsreports.alerting.AlertRules;
import io.smsreports.lifecycle.Tariffs;
import io.smsreports.replies.ReplyRules;
import io.smsreports.replies.StopKeywords;
import io.smsreports.events.Topics;
import io.smsreports.registry.SchemaRegistryClientConfig;
import io.smsreports.topology.TopologySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every setting of the stream processor, typed and validated. Built from environment variables (or the
 * equivalent system properties, see {@link Settings}); every invalid or inconsistent value is reported at
 * start, all at once, with the setting's name.
 *
 * @param bootstrapServers    {@code KAFKA_BOOTSTRAP_SERVERS}; null means the service starts an embedded broker
 * @param schemaRegistryUrl   {@code SCHEMA_REGISTRY_URL}; null means the service starts the dev registry
 * @param registryUserInfo    {@code SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO} ({@code user:password}) or null
 * @param applicationId       {@code SMS_APPLICATION_ID}: the Kafka Streams application id (consumer group, internal topic prefix)
 * @param applicationServer   {@code SMS_APPLICATION_SERVER}: this instance's {@code host:port} for interactive queries, or null
 * @param stateDir            {@code SMS_STATE_DIR}: where RocksDB keeps the state stores
 * @param topics              {@code SMS_TOPIC_CAMPAIGNS}, {@code _DISPATCHES}, {@code _RECEIPTS}, {@code _DELIVERED}, {@code _DLQ}
 * @param guarantee           {@code SMS_PROCESSING_GUARANTEE}: exactly_once_v2 (default) or at_least_once
 * @param commitInterval      {@code SMS_COMMIT_INTERVAL}: how often state, outputs and offsets are committed
 * @param cacheMaxBytes       {@code SMS_CACHE_MAX_BYTES}: record cache for all state stores of the instance
 * @param streamThreads       {@code SMS_STREAM_THREADS}
 * @param standbyReplicas     {@code SMS_STANDBY_REPLICAS}: warm copies of each store on other instances
 * @param replicationFactor   {@code SMS_REPLICATION_FACTOR}: of internal topics; -1 = the broker's default
 * @param reportingPartitions {@code SMS_REPORTING_PARTITIONS}: 0 = as many as the dispatches topic
 * @param receiptTimeout      {@code SMS_RECEIPT_TIMEOUT} (4d): no final receipt by then → Unconfirmed
 * @param earlyReceiptHold    {@code SMS_EARLY_RECEIPT_HOLD} (= receipt timeout): receipts wait this long for their dispatch
 * @param smsRetention        {@code SMS_RETENTION} (7d): per-SMS state is kept this long after dispatch
 * @param historyRetention    {@code SMS_HISTORY_RETENTION} (183d): hourly windows, failed users, person histories
 * @param idleClockLag        {@code SMS_IDLE_CLOCK_LAG} (5m): a task whose inputs are both idle has its watermark follow the
 *                            wall clock this far behind
 * @param inputIdleness       {@code SMS_INPUT_IDLENESS} (60s): an input caught up and silent this long stops holding its
 *                            task's watermark back (rule 13)
 * @param expiryScanInterval  {@code SMS_EXPIRY_SCAN_INTERVAL} (10s): how often due deadlines are applied
 * @param rocksDbMemoryBytes  {@code SMS_ROCKSDB_MEMORY_BYTES} (256 MiB): block cache + memtables of all stores, together
 * @param streamsOverrides    {@code SMS_STREAMS_PROPERTIES}: any Kafka Streams, producer or consumer property
 *                            ({@code key=value;key=value}, e.g. {@code producer.retry.backoff.max.ms=100}), applied last
 * @param groupInstanceId     {@code SMS_GROUP_INSTANCE_ID}: this instance's static group membership id; null = derived
 *                            from (and kept in) the state directory, so that it survives restarts
 * @param shutdownTimeout     {@code SMS_SHUTDOWN_TIMEOUT} (30s): SIGTERM stops the instance within this bound, even
 *                            when the Kafka cluster cannot be reached
 * @param allowedClockSkew    {@code SMS_ALLOWED_CLOCK_SKEW} (1h): an event time later than now + this is not believed (rule 12)
 * @param deliveredWithin     {@code SMS_DELIVERED_WITHIN} (5s,30s,300s): the delivery-time service levels counted per
 *                            campaign and breakdown row ({@code deliveredWithin}); a level added later counts from then on
 * @param alertRules          {@code SMS_ALERT_RULES} ({@code key=value,...}, see {@link AlertRules}): the alert thresholds
 * @param replies             {@code SMS_REPLY_WINDOW}, {@code SMS_STOP_KEYWORDS}: rule 17's reply window and stop keywords
 * @param tariffs             {@code SMS_TARIFFS_FILE}: prices per part by country and operator for SMS that carry none (rule
 *                            15; see {@link io.smsreports.lifecycle.Tariffs}), read again when the file changes; none by default
 */
public record ProcessorConfig(String bootstrapServers, String schemaRegistryUrl, String registryUserInfo, String applicationId,
        String applicationServer, Path stateDir, Topics topics, Guarantee guarantee, Duration commitInterval, long cacheMaxBytes,
        int streamThreads, int standbyReplicas, int replicationFactor, int reportingPartitions, Duration receiptTimeout,
        Duration earlyReceiptHold, Duration smsRetention, Duration historyRetention, Duration idleClockLag, Duration inputIdleness,
        Duration expiryScanInterval, long rocksDbMemoryBytes, Map<String, String> streamsOverrides, String groupInstanceId,
        Duration shutdownTimeout, Duration allowedClockSkew, List<Duration> deliveredWithin, AlertRules alertRules,
        Supplier<Tariffs> tariffs, ReplyRules replies) {

    public ProcessorConfig {
        streamsOverrides = Map.copyOf(streamsOverrides);
        deliveredWithin = List.copyOf(deliveredWithin);
    }

    /** Processing guarantees. */
    public enum Guarantee {
        EXACTLY_ONCE_V2("exactly_once_v2"), AT_LEAST_ONCE("at_least_once");

        private final String streamsValue;

        Guarantee(final String streamsValue) {
            this.streamsValue = streamsValue;
        }

        public String streamsValue() {
            return streamsValue;
        }
    }

    public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String SCHEMA_REGISTRY_URL = "SCHEMA_REGISTRY_URL";
    public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO = "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO";
    public static final String SMS_APPLICATION_ID = "SMS_APPLICATION_ID";
    public static final String SMS_APPLICATION_SERVER = "SMS_APPLICATION_SERVER";
    public static final String SMS_STATE_DIR = "SMS_STATE_DIR";
    public static final String SMS_TOPIC_CAMPAIGNS = "SMS_TOPIC_CAMPAIGNS";
    public static final String SMS_TOPIC_DISPATCHES = "SMS_TOPIC_DISPATCHES";
    public static final String SMS_TOPIC_RECEIPTS = "SMS_TOPIC_RECEIPTS";
    public static final String SMS_TOPIC_DELIVERED = "SMS_TOPIC_DELIVERED";
    public static final String SMS_TOPIC_DLQ = "SMS_TOPIC_DLQ";
    public static final String SMS_TOPIC_AUDIT = "SMS_TOPIC_AUDIT";
    public static final String SMS_TOPIC_ALERTS = "SMS_TOPIC_ALERTS";
    public static final String SMS_TOPIC_NOT_SENT = "SMS_TOPIC_NOT_SENT";
    public static final String SMS_TOPIC_CLICKS = "SMS_TOPIC_CLICKS";
    public static final String SMS_TOPIC_INBOUND = "SMS_TOPIC_INBOUND";
    public static final String SMS_ALERT_RULES = "SMS_ALERT_RULES";
    public static final String SMS_PROCESSING_GUARANTEE = "SMS_PROCESSING_GUARANTEE";
    public static final String SMS_COMMIT_INTERVAL = "SMS_COMMIT_INTERVAL";
    public static final String SMS_CACHE_MAX_BYTES = "SMS_CACHE_MAX_BYTES";
    public static final String SMS_STREAM_THREADS = "SMS_STREAM_THREADS";
    public static final String SMS_STANDBY_REPLICAS = "SMS_STANDBY_REPLICAS";
    public static final String SMS_REPLICATION_FACTOR = "SMS_REPLICATION_FACTOR";
    public static final String SMS_REPORTING_PARTITIONS = "SMS_REPORTING_PARTITIONS";
    public static final String SMS_RECEIPT_TIMEOUT = "SMS_RECEIPT_TIMEOUT";
    public static final String SMS_EARLY_RECEIPT_HOLD = "SMS_EARLY_RECEIPT_HOLD";
    public static final String SMS_RETENTION = "SMS_RETENTION";
    public static final String SMS_HISTORY_RETENTION = "SMS_HISTORY_RETENTION";
    public static final String SMS_IDLE_CLOCK_LAG = "SMS_IDLE_CLOCK_LAG";
    public static final String SMS_INPUT_IDLENESS = "SMS_INPUT_IDLENESS";
    public static final String SMS_TARIFFS_FILE = "SMS_TARIFFS_FILE";
    public static final String SMS_ALLOWED_CLOCK_SKEW = "SMS_ALLOWED_CLOCK_SKEW";
    public static final String SMS_DELIVERED_WITHIN = "SMS_DELIVERED_WITHIN";
    public static final String SMS_EXPIRY_SCAN_INTERVAL = "SMS_EXPIRY_SCAN_INTERVAL";
    public static final String SMS_ROCKSDB_MEMORY_BYTES = "SMS_ROCKSDB_MEMORY_BYTES";
    public static final String SMS_STREAMS_PROPERTIES = "SMS_STREAMS_PROPERTIES";
    public static final String SMS_GROUP_INSTANCE_ID = "SMS_GROUP_INSTANCE_ID";
    public static final String SMS_SHUTDOWN_TIMEOUT = "SMS_SHUTDOWN_TIMEOUT";
    public static final String SMS_REPLY_WINDOW = "SMS_REPLY_WINDOW";
    public static final String SMS_STOP_KEYWORDS = "SMS_STOP_KEYWORDS";

    /**
     * Reads and validates the settings.
     *
     * @param requireExternal whether Kafka and the registry must be given (the headless processor), or may be left
     *                        out (the service then embeds them)
     * @throws ConfigException listing every problem
     */
    public static ProcessorConfig from(final Settings s, final boolean requireExternal) {
        final String bootstrap = requireExternal
                ? s.required(KAFKA_BOOTSTRAP_SERVERS, "the Kafka cluster, e.g. kafka-1:9092,kafka-2:9092")
                : s.string(KAFKA_BOOTSTRAP_SERVERS, null);
        final String registry = requireExternal
                ? s.required(SCHEMA_REGISTRY_URL, "the schema registry, e.g. http://schema-registry:8081")
                : s.string(SCHEMA_REGISTRY_URL, null);
        if (registry != null) {
            try {
                if (!registry.startsWith("mock://")) {
                    SchemaRegistryClientConfig.forUrls(registry);
                }
            } catch (IllegalArgumentException e) {
                s.problem(SCHEMA_REGISTRY_URL + ": " + e.getMessage());
            }
        }
        if (bootstrap == null && registry != null || bootstrap != null && registry == null && !requireExternal) {
            s.problem("set both " + KAFKA_BOOTSTRAP_SERVERS + " and " + SCHEMA_REGISTRY_URL + " (external mode) or neither (embedded mode)");
        }
        final String applicationId = s.string(SMS_APPLICATION_ID, "sms-reports");
        if (!applicationId.matches("[a-zA-Z0-9._-]{1,200}")) {
            s.problem(SMS_APPLICATION_ID + " must be 1-200 characters of [a-zA-Z0-9._-], was '" + applicationId + "'");
        }
        final String applicationServer = s.string(SMS_APPLICATION_SERVER, null);
        if (applicationServer != null && !applicationServer.matches("[^:\\s]+:\\d{1,5}")) {
            s.problem(SMS_APPLICATION_SERVER + " must be host:port (how other instances reach this one), was '" + applicationServer + "'");
        }
        Topics topics = Topics.defaults();
        try {
            topics = new Topics(
                    s.string(SMS_TOPIC_CAMPAIGNS, Topics.DEFAULT_CAMPAIGNS),
                    s.string(SMS_TOPIC_DISPATCHES, Topics.DEFAULT_DISPATCHES),
                    s.string(SMS_TOPIC_RECEIPTS, Topics.DEFAULT_RECEIPTS),
                    s.string(SMS_TOPIC_DELIVERED, Topics.DEFAULT_DELIVERED),
                    s.string(SMS_TOPIC_DLQ, Topics.DEFAULT_DEAD_LETTERS),
                    s.string(SMS_TOPIC_AUDIT, Topics.DEFAULT_AUDIT),
                    s.string(SMS_TOPIC_ALERTS, Topics.DEFAULT_ALERTS),
                    s.string(SMS_TOPIC_NOT_SENT, Topics.DEFAULT_NOT_SENT),
                    s.string(SMS_TOPIC_CLICKS, Topics.DEFAULT_CLICKS),
                    s.string(SMS_TOPIC_INBOUND, Topics.DEFAULT_INBOUND));
        } catch (IllegalArgumentException e) {
            s.problem("SMS_TOPIC_*: " + e.getMessage());
        }
        final Duration receiptTimeout = s.duration(SMS_RECEIPT_TIMEOUT, TopologySettings.DEFAULT_RECEIPT_TIMEOUT);
        final Duration hold = s.duration(SMS_EARLY_RECEIPT_HOLD, receiptTimeout);
        final Duration retention = s.duration(SMS_RETENTION, TopologySettings.DEFAULT_SMS_RETENTION);
        final Duration history = s.duration(SMS_HISTORY_RETENTION, TopologySettings.DEFAULT_HISTORY_RETENTION);
        final Duration commitInterval = s.duration(SMS_COMMIT_INTERVAL, Duration.ofMillis(200));
        final Duration idleLag = s.duration(SMS_IDLE_CLOCK_LAG, TopologySettings.DEFAULT_IDLE_CLOCK_LAG);
        final Duration idleness = s.duration(SMS_INPUT_IDLENESS, TopologySettings.DEFAULT_INPUT_IDLENESS);
        final Duration scanInterval = s.duration(SMS_EXPIRY_SCAN_INTERVAL, TopologySettings.DEFAULT_EXPIRY_SCAN_INTERVAL);
        final Duration shutdownTimeout = s.duration(SMS_SHUTDOWN_TIMEOUT, Duration.ofSeconds(30));
        positive(s, SMS_SHUTDOWN_TIMEOUT, shutdownTimeout);
        final Duration skew = s.duration(SMS_ALLOWED_CLOCK_SKEW, TopologySettings.DEFAULT_ALLOWED_CLOCK_SKEW);
        final List<Duration> within = s.durations(SMS_DELIVERED_WITHIN, TopologySettings.DEFAULT_DELIVERED_WITHIN);
        final String withinProblem = TopologySettings.deliveredWithinProblem(within, SMS_DELIVERED_WITHIN);
        if (withinProblem != null) {
            s.problem(withinProblem);
        }
        AlertRules alertRules = AlertRules.DEFAULTS;
        try {
            alertRules = AlertRules.parse(s.string(SMS_ALERT_RULES, null), Settings::parseDuration);
        } catch (IllegalArgumentException e) {
            s.problem(SMS_ALERT_RULES + ": " + e.getMessage());
        }
        Supplier<Tariffs> tariffs = () -> Tariffs.NONE;
        final String tariffsFile = s.string(SMS_TARIFFS_FILE, null);
        if (tariffsFile != null) {
            try {
                tariffs = TariffsFile.load(Path.of(tariffsFile));
            } catch (IllegalArgumentException e) {
                s.problem(SMS_TARIFFS_FILE + ": " + e.getMessage());
            }
        }
        final String groupInstanceId = s.string(SMS_GROUP_INSTANCE_ID, null);
        if (groupInstanceId != null && !groupInstanceId.matches("[a-zA-Z0-9._-]{1,200}")) {
            s.problem(SMS_GROUP_INSTANCE_ID + " must be 1-200 characters of [a-zA-Z0-9._-], was '" + groupInstanceId + "'");
        }
        positive(s, SMS_COMMIT_INTERVAL, commitInterval);
        // The topology's own rules, written once (TopologySettings), reported under the variables that set them.
        final Map<String, Duration> durations = Map.of("receiptTimeout", receiptTimeout, "earlyReceiptHold", hold, "smsRetention",
                retention, "historyRetention", history, "idleClockLag", idleLag, "inputIdleness", idleness,
                "expiryScanInterval", scanInterval, "allowedClockSkew", skew);
        TopologySettings.problems(durations, ProcessorConfig::variableOf).forEach(s::problem);
        final ProcessorConfig config = new ProcessorConfig(bootstrap, registry, s.string(SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO, null),
                applicationId, applicationServer, Path.of(s.string(SMS_STATE_DIR, "data/streams")), topics,
                s.choice(SMS_PROCESSING_GUARANTEE, Guarantee.EXACTLY_ONCE_V2, Guarantee.class), commitInterval,
                s.longValue(SMS_CACHE_MAX_BYTES, 64L * 1024 * 1024, 0), s.integer(SMS_STREAM_THREADS, 1, 1, 64),
                s.integer(SMS_STANDBY_REPLICAS, 0, 0, 10), s.integer(SMS_REPLICATION_FACTOR, -1, -1, 32767),
                s.integer(SMS_REPORTING_PARTITIONS, 0, 0, 10_000), receiptTimeout, hold, retention, history, idleLag, idleness,
                scanInterval,
                s.longValue(SMS_ROCKSDB_MEMORY_BYTES, 256L * 1024 * 1024, 16L * 1024 * 1024), overrides(s), groupInstanceId,
                shutdownTimeout, skew, within, alertRules, tariffs, replyRules(s));
        s.validate();
        return config;
    }

    /** Rule 17's settings: {@code SMS_REPLY_WINDOW} (72h) and {@code SMS_STOP_KEYWORDS} (comma-separated words). */
    private static ReplyRules replyRules(final Settings s) {
        final Duration window = s.duration(SMS_REPLY_WINDOW, ReplyRules.DEFAULT_WINDOW);
        positive(s, SMS_REPLY_WINDOW, window);
        final String words = s.string(SMS_STOP_KEYWORDS, null);
        StopKeywords keywords = StopKeywords.defaults();
        if (words != null) {
            try {
                keywords = StopKeywords.of(java.util.Arrays.stream(words.split(",")).map(String::strip).filter(w -> !w.isEmpty()).toList());
            } catch (IllegalArgumentException e) {
                s.problem(SMS_STOP_KEYWORDS + ": " + e.getMessage());
            }
        }
        return window == null || window.isNegative() || window.isZero() ? ReplyRules.DEFAULTS : new ReplyRules(window, keywords);
    }

    /** Whether Kafka and the registry are external (as opposed to embedded in the service). */
    public boolean external() {
        return bootstrapServers != null;
    }

    /** The topology's settings, given the partition count of the dispatches topic. */
    public TopologySettings topologySettings(final int dispatchPartitions) {
        return new TopologySettings(topics, reportingPartitions > 0 ? reportingPartitions : dispatchPartitions, receiptTimeout,
                earlyReceiptHold, smsRetention, historyRetention, idleClockLag, inputIdleness, expiryScanInterval,
                TopologySettings.DEFAULT_EXPIRY_SCAN_BUDGET, allowedClockSkew, commitInterval, deliveredWithin, dispatchPartitions,
                alertRules, tariffs, replies);
    }

    /**
     * The Kafka connection settings every client of the service needs besides Kafka Streams' own (the topic check's
     * admin client, the audit trail's producer and consumer): {@code bootstrap.servers} and the {@code security.*},
     * {@code sasl.*} and {@code ssl.*} settings given in {@code SMS_STREAMS_PROPERTIES}.
     */
    public Map<String, Object> kafkaClientConfig() {
        final Map<String, Object> config = new HashMap<>();
        streamsOverrides.forEach((key, value) -> {
            if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                config.put(key, value);
            }
        });
        config.put("bootstrap.servers", bootstrapServers);
        return config;
    }

    /** Registry client settings ({@code schema.registry.url} and basic auth) for the serdes. */
    public Map<String, Object> registryClientConfig() {
        final Map<String, Object> config = new HashMap<>();
        config.put(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        if (registryUserInfo != null) {
            config.put(SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
            config.put(SchemaRegistryClientConfig.BASIC_AUTH_USER_INFO, registryUserInfo);
        }
        return config;
    }

    /** A copy pointing at a given Kafka cluster and registry (the embedded ones, once started). */
    public ProcessorConfig withConnections(final String newBootstrapServers, final String newRegistryUrl) {
        return new ProcessorConfig(newBootstrapServers, newRegistryUrl, registryUserInfo, applicationId, applicationServer, stateDir,
                topics, guarantee, commitInterval, cacheMaxBytes, streamThreads, standbyReplicas, replicationFactor,
                reportingPartitions, receiptTimeout, earlyReceiptHold, smsRetention, historyRetention, idleClockLag, inputIdleness,
                expiryScanInterval, rocksDbMemoryBytes, streamsOverrides, groupInstanceId, shutdownTimeout, allowedClockSkew, deliveredWithin,
                alertRules, tariffs, replies);
    }

    /** A copy advertising {@code server} ({@code host:port}) to the other instances for interactive queries. */
    public ProcessorConfig withApplicationServer(final String server) {
        return new ProcessorConfig(bootstrapServers, schemaRegistryUrl, registryUserInfo, applicationId, server, stateDir,
                topics, guarantee, commitInterval, cacheMaxBytes, streamThreads, standbyReplicas, replicationFactor,
                reportingPartitions, receiptTimeout, earlyReceiptHold, smsRetention, historyRetention, idleClockLag, inputIdleness,
                expiryScanInterval, rocksDbMemoryBytes, streamsOverrides, groupInstanceId, shutdownTimeout, allowedClockSkew, deliveredWithin,
                alertRules, tariffs, replies);
    }

    private static Map<String, String> overrides(final Settings s) {
        final Map<String, String> overrides = new HashMap<>();
        final String raw = s.string(SMS_STREAMS_PROPERTIES, null);
        if (raw != null) {
            for (final String pair : raw.split(";")) {
                if (pair.isBlank()) {
                    continue;
                }
                final int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    s.problem(SMS_STREAMS_PROPERTIES + " must be key=value pairs separated by ';', got '" + pair.trim() + "'");
                } else {
                    overrides.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
        }
        return overrides;
    }

    /** The environment variable that sets a {@link TopologySettings} component. */
    private static String variableOf(final String component) {
        return switch (component) {
            case "receiptTimeout" -> SMS_RECEIPT_TIMEOUT;
            case "earlyReceiptHold" -> SMS_EARLY_RECEIPT_HOLD;
            case "smsRetention" -> SMS_RETENTION;
            case "historyRetention" -> SMS_HISTORY_RETENTION;
            case "idleClockLag" -> SMS_IDLE_CLOCK_LAG;
            case "inputIdleness" -> SMS_INPUT_IDLENESS;
            case "expiryScanInterval" -> SMS_EXPIRY_SCAN_INTERVAL;
            case "allowedClockSkew" -> SMS_ALLOWED_CLOCK_SKEW;
            default -> component;
        };
    }

    private static void positive(final Settings s, final String name, final Duration value) {
        if (value.isZero() || value.isNegative()) {
            s.problem(name + " must be positive, was " + value);
        }
    }
}
