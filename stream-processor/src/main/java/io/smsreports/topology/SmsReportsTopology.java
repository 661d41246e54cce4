package io.smsreports.topology;

import io.smsreports.alerting.AlertDelta;
import io.smsreports.events.DeliveryAlert;
import io.smsreports.events.Topics;
import io.smsreports.lifecycle.SmsInput;
import io.smsreports.lifecycle.SmsLifecycle;
import io.smsreports.lifecycle.TimeGuard;
import io.smsreports.lifecycle.Transition;
import io.smsreports.lifecycle.Watermark;
import io.smsreports.replies.Msisdns;
import io.smsreports.replies.RecentSend;
import io.smsreports.replies.ReplyInput;
import io.smsreports.reporting.ReportingEvent;
import io.smsreports.reporting.RouteDelta;
import io.smsreports.state.AlertSerdes;
import io.smsreports.state.LatencyKey;
import io.smsreports.state.StateSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The SMS Reports topology. Read top to bottom, {@link #build} is the data flow:
 *
 * <ol>
 *   <li><b>Ingest</b> each input topic as raw bytes; decode and validate; poison records go to the
 *       dead-letter topic with the reason, everything else goes on keyed by its id.</li>
 *   <li><b>Lifecycle</b>, keyed by smsId over the co-partitioned dispatches and receipts: one state per SMS,
 *       the counting rules of {@link SmsLifecycle}; emits a {@link Transition} per change.</li>
 *   <li><b>SMS Delivered</b>: the transitions that make an SMS Delivered, once per smsId (rule 10).</li>
 *   <li><b>Reports</b>, in two phases: each SMS task sums its transitions per campaign and, once per aggregation
 *       interval, sends one {@code CampaignDelta} per campaign (never one record per event) keyed by messageId; the
 *       campaign's task adds the deltas and the campaign metadata into the campaign stores.</li>
 * </ol>
 */
public final class SmsReportsTopology {

    private SmsReportsTopology() {
    }

    /** The topology as {@code TopologyTestDriver} runs it: every piped record is consumed before the call returns. */
    public static Topology build(final TopologySettings settings, final EventSerdes serdes) {
        return build(settings, serdes, PipelineMonitor.synchronous());
    }

    public static Topology build(final TopologySettings settings, final EventSerdes serdes, final PipelineMonitor monitor) {
        return build(settings, serdes, monitor, null);
    }

    /**
     * @param topologyConfig the instance's topology-level settings (state store behaviour, e.g. transactional stores), or
     *                       null for Kafka Streams' defaults
     */
    public static Topology build(final TopologySettings settings, final EventSerdes serdes, final PipelineMonitor monitor,
            final TopologyConfig topologyConfig) {
        final StreamsBuilder builder = topologyConfig == null ? new StreamsBuilder() : new StreamsBuilder(topologyConfig);
        final Topics topics = settings.topics();
        // Every processor marks its stores queryable once its task is restored (QueryableStores says why).
        final QueryableStores queryable = monitor.queryableStores();
        monitor.reportingPartitions(settings.reportingPartitions());

        // 1. Ingest. Dispatches and receipts (co-partitioned) through one source and one decoder, so that a registry
        // outage holds them back in one backlog, in the order Kafka Streams would have processed them, and releases them
        // in that order: a dispatch never overtakes or falls behind its receipts. Nothing is dead-lettered for it.
        final OutputSchema output = new OutputSchema(serdes.delivered().serializer(), topics.delivered());
        // The sender's decisions not to send (rule 14) and the link clicks (rule 16) are co-partitioned with the dispatches and
        // join them here.
        final KStream<String, SmsInput> smsInputs = ingest(builder, "sms-inputs",
                List.of(topics.dispatches(), topics.receipts(), topics.notSent(), topics.clicks()),
                StoreNames.DECODE_BACKLOG_SMS, Map.of(
                        topics.dispatches(), Ingestion.requiring(output, Ingestion.dispatches(serdes.dispatches().deserializer())),
                        topics.receipts(), Ingestion.requiring(output, Ingestion.receipts(serdes.receipts().deserializer())),
                        topics.notSent(), Ingestion.requiring(output, Ingestion.notSent(serdes.notSent().deserializer())),
                        topics.clicks(), Ingestion.requiring(output, Ingestion.clicks(serdes.clicks().deserializer()))),
                topics.deadLetters(), monitor);
        final KStream<String, ReportingEvent> campaigns = ingest(builder, topics.campaigns(), List.of(topics.campaigns()),
                StoreNames.DECODE_BACKLOG_CAMPAIGNS, Map.of(topics.campaigns(), Ingestion.campaigns(serdes.campaigns().deserializer())),
                topics.deadLetters(), monitor);

        // 2. Lifecycle
        final TaskClocks clocks = new TaskClocks();
        final KStream<String, Transition> transitions = smsInputs
                // The not-sent decisions come from the sender like the dispatches: they share the dispatches' watermark input; the
                // clicks follow deliveries like the receipts: they share the receipts'.
                .process(queryable.marking(lifecycle(settings, (task, input) -> monitor.caughtUp(task,
                        input == Watermark.Input.DISPATCHES ? List.of(topics.dispatches(), topics.notSent())
                                : List.of(topics.receipts(), topics.clicks())),
                        clocks)),
                        Named.as("lifecycle"));

        // 3. SMS Delivered
        transitions
                .filter((smsId, transition) -> transition.has(Transition.DELIVERED), Named.as("became-delivered"))
                .mapValues(Transition::toSmsDelivered, Named.as("to-sms-delivered"))
                .to(topics.delivered(), Produced.with(Serdes.String(), serdes.delivered()).withName("sms-delivered"));

        // 4. Reports
        // Two-phase aggregation: each SMS task sums its transitions per campaign and sends one delta per campaign per
        // aggregation interval (not one record per event) to the task that holds the campaign.
        final Map<String, KStream<String, TaskOutput>> outputs = transitions
                .process(queryable.marking(campaignDeltas(settings, clocks)), Named.as("campaign-deltas"))
                .split(Named.as("task-output-"))
                .branch((key, value) -> value instanceof TaskOutput.ToAlerts, Branched.as("alerts"))
                .branch((key, value) -> value instanceof TaskOutput.ToRoute, Branched.as("routes"))
                .defaultBranch(Branched.as("campaigns"));
        final KStream<String, ReportingEvent> smsChanges = outputs.get("task-output-campaigns")
                .mapValues(value -> ((TaskOutput.ToCampaign) value).event(), Named.as("campaign-delta"))
                .repartition(repartitioned(StoreNames.REPARTITION_SMS, settings.reportingPartitions()));
        // Replies and opt-outs (rule 17): the SMS that became Sent and the inbound messages meet keyed by msisdn; what they
        // change per campaign goes to the campaign's task like the SMS tasks' deltas.
        final KStream<String, ReportingEvent> replyChanges = replies(builder, settings, serdes, transitions, monitor)
                .repartition(repartitioned(StoreNames.REPARTITION_REPLIES, settings.reportingPartitions()));
        campaigns
                .repartition(repartitioned(StoreNames.REPARTITION_CAMPAIGNS, settings.reportingPartitions()))
                .merge(smsChanges, Named.as("reporting-inputs"))
                .merge(replyChanges, Named.as("reporting-inputs-replies"))
                .process(queryable.marking(reporting(settings)), Named.as("reporting"));

        // The route scorecard, aggregated the same way: each SMS task's route deltas to the task that holds the route.
        outputs.get("task-output-routes")
                .mapValues(value -> ((TaskOutput.ToRoute) value).delta(), Named.as("route-delta"))
                .repartition(Repartitioned.<String, RouteDelta>as(StoreNames.REPARTITION_ROUTES).withKeySerde(Serdes.String())
                        .withValueSerde(StateSerdes.ROUTE_DELTA).withNumberOfPartitions(settings.reportingPartitions()))
                .process(queryable.marking(routes(settings)), Named.as("routes"));

        // 5. Alerts: every SMS task's alert delta to the one alert task, which judges each minute and writes sms.alerts.
        outputs.get("task-output-alerts")
                .mapValues(value -> ((TaskOutput.ToAlerts) value).delta(), Named.as("alert-delta"))
                .repartition(Repartitioned.<String, AlertDelta>as(StoreNames.REPARTITION_ALERTS).withKeySerde(Serdes.String())
                        .withValueSerde(AlertSerdes.ALERT_DELTA).withNumberOfPartitions(1))
                .process(queryable.marking(alerts(settings, OutputSchema.of(serdes.alerts().serializer(), topics.alerts(),
                        AlertProcessor.toEvent(AlertProcessor.SCHEMA_PROBE)))), Named.as("alerts"))
                .to(topics.alerts(), Produced.with(Serdes.String(), serdes.alerts()).withName("sms-alerts"));

        return builder.build();
    }

    /**
     * Rule 17: each SMS that became Sent (one record per SMS) and each inbound message, keyed by msisdn on repartition
     * topics with the same partition count, into the replies task; out come the campaigns' changes, keyed by messageId.
     */
    private static KStream<String, ReportingEvent> replies(final StreamsBuilder builder, final TopologySettings settings,
            final EventSerdes serdes, final KStream<String, Transition> transitions, final PipelineMonitor monitor) {
        final Topics topics = settings.topics();
        final KStream<String, ReplyInput> inbound = ingest(builder, topics.inbound(), List.of(topics.inbound()),
                StoreNames.DECODE_BACKLOG_INBOUND, Map.of(topics.inbound(), Ingestion.inbound(serdes.inbound().deserializer())),
                topics.deadLetters(), monitor);
        final KStream<String, ReplyInput> sends = transitions
                .filter((smsId, t) -> t.has(Transition.SENT), Named.as("became-sent"))
                .map((smsId, t) -> KeyValue.<String, ReplyInput>pair(Msisdns.normalize(t.dispatch().msisdn()), new ReplyInput.Sent(
                        new RecentSend(smsId, t.dispatch().messageId(), t.dispatch().platform(), t.dispatch().dispatchedAt()))),
                        Named.as("sent-by-msisdn"));
        return sends.repartition(byMsisdn(StoreNames.REPARTITION_REPLY_SENDS, settings))
                .merge(inbound.repartition(byMsisdn(StoreNames.REPARTITION_REPLY_INBOUND, settings)), Named.as("reply-inputs"))
                .process(monitor.queryableStores().marking(replyProcessor(settings)), Named.as("replies"));
    }

    private static Repartitioned<String, ReplyInput> byMsisdn(final String name, final TopologySettings settings) {
        return Repartitioned.<String, ReplyInput>as(name).withKeySerde(Serdes.String()).withValueSerde(StateSerdes.REPLY_INPUT)
                .withNumberOfPartitions(settings.inputPartitions());
    }

    private static ProcessorSupplier<String, ReplyInput, String, ReportingEvent> replyProcessor(final TopologySettings settings) {
        final Set<StoreBuilder<?>> stores = Set.of(
                keyValue(StoreNames.REPLY_LEDGER, Serdes.String(), StateSerdes.REPLY_LEDGER),
                keyValue(StoreNames.REPLY_INDEX, Serdes.Bytes(), Serdes.ByteArray()),
                keyValue(StoreNames.REPLY_META, Serdes.String(), Serdes.Long()),
                window(StoreNames.PERSON_REPLIES, settings.historyRetention(), Duration.ofMillis(1), false, StateSerdes.PERSON_REPLY));
        return new ProcessorSupplier<>() {
            @Override
            public ReplyProcessor get() {
                return new ReplyProcessor(settings.replies(), settings.smsRetention(), settings.expiryScanInterval(),
                        settings.allowedClockSkew(), settings.inputIdleness());
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return stores;
            }
        };
    }

    private static <V> KStream<String, V> ingest(final StreamsBuilder builder, final String name, final List<String> sourceTopics,
            final String backlogStore, final Map<String, Ingestion.Decoder<V>> decoders, final String deadLetterTopic,
            final PipelineMonitor monitor) {
        // Not cached: a record parked and drained within one commit interval costs a put and a delete either way,
        // and the backlog is empty outside a registry outage.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(backlogStore), Serdes.Long(),
                ParkedRecord.SERDE));
        final KStream<String, Decoded<V>> decoded = builder
                .stream(sourceTopics, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("source-" + name))
                .process(monitor.queryableStores().marking(() -> new DecodeProcessor<>(decoders, name, backlogStore, monitor.decodeStalls()),
                        List.of(backlogStore)), Named.as("decode-" + name),
                        backlogStore);
        decoded
                .filter((key, value) -> value.isPoison(), Named.as("poison-" + name))
                .map((key, value) -> KeyValue.pair(value.poisonKey(), value.poisonValue()), Named.as("original-bytes-" + name))
                .to(deadLetterTopic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dead-letters-" + name));
        return decoded
                .filterNot((key, value) -> value.isPoison(), Named.as("valid-" + name))
                .mapValues(Decoded::value, Named.as("decoded-" + name));
    }

    private static Repartitioned<String, ReportingEvent> repartitioned(final String name, final int partitions) {
        return Repartitioned.<String, ReportingEvent>as(name)
                .withKeySerde(Serdes.String())
                .withValueSerde(StateSerdes.REPORTING_EVENT)
                .withNumberOfPartitions(partitions);
    }

    private static ProcessorSupplier<String, SmsInput, String, Transition> lifecycle(final TopologySettings settings,
            final BiPredicate<TaskId, Watermark.Input> caughtUp, final TaskClocks clocks) {
        final SmsLifecycle rules = new SmsLifecycle(settings.receiptTimeout(), settings.earlyReceiptHold(), settings.smsRetention(),
                dispatch -> settings.tariffs().get().price(dispatch.country(), dispatch.operator(), dispatch.segments()));
        final TimeGuard guard = new TimeGuard(settings.allowedClockSkew(), settings.historyRetention());
        final Set<StoreBuilder<?>> stores = Set.of(
                keyValue(StoreNames.SMS_STATE, Serdes.String(), StateSerdes.SMS_STATE),
                keyValue(StoreNames.EXPIRY_INDEX, Serdes.Bytes(), Serdes.ByteArray()),
                keyValue(StoreNames.LIFECYCLE_META, Serdes.String(), Serdes.Long()),
                window(StoreNames.PERSON_HISTORY, settings.historyRetention(), Duration.ofMillis(1), false,
                        StateSerdes.PERSON_MESSAGE),
                // Written by earlier versions only; kept queryable until its entries age out.
                window(StoreNames.PERSON_MESSAGES, settings.historyRetention(), Duration.ofMillis(1), false,
                        StateSerdes.PERSON_MESSAGES),
                window(StoreNames.PEOPLE, settings.historyRetention(), Duration.ofDays(1), false, StateSerdes.PERSON_PROFILE));
        return new ProcessorSupplier<>() {
            @Override
            public LifecycleProcessor get() {
                return new LifecycleProcessor(rules, guard, settings.expiryScanInterval(), settings.expiryScanBudget(),
                        settings.inputIdleness(), settings.idleClockLag(), caughtUp, clocks);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return stores;
            }
        };
    }

    private static ProcessorSupplier<String, AlertDelta, String, DeliveryAlert> alerts(final TopologySettings settings,
            final OutputSchema output) {
        final Set<StoreBuilder<?>> stores = Set.of(
                // Not cached, like the decode backlogs: deltas held while sms.alerts' schema cannot be registered.
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.ALERT_BACKLOG), Serdes.Long(),
                        AlertSerdes.ALERT_DELTA),
                keyValue(StoreNames.ALERT_BUCKETS, Serdes.Bytes(), AlertSerdes.ALERT_COUNTS),
                keyValue(StoreNames.ALERT_META, Serdes.String(), Serdes.Long()),
                keyValue(StoreNames.ALERTS, Serdes.String(), AlertSerdes.ALERT));
        return new ProcessorSupplier<>() {
            @Override
            public AlertProcessor get() {
                return new AlertProcessor(settings.alertRules(), settings.inputPartitions(), settings.historyRetention(), output);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return stores;
            }
        };
    }

    private static ProcessorSupplier<String, Transition, String, TaskOutput> campaignDeltas(final TopologySettings settings,
            final TaskClocks clocks) {
        // The transitions wait in memory and go out inside each commit (the hook); the store where they waited until this
        // version is only emptied, once, by a task that finds something in it.
        final Set<StoreBuilder<?>> stores = Set.of(keyValue(StoreNames.PENDING_TRANSITIONS, Serdes.Long(), StateSerdes.TRANSITION),
                CommitHook.builder(StoreNames.DELTA_COMMIT_HOOK));
        return new ProcessorSupplier<>() {
            @Override
            public CampaignDeltaProcessor get() {
                return new CampaignDeltaProcessor(StoreNames.PENDING_TRANSITIONS, StoreNames.DELTA_COMMIT_HOOK, settings.aggregationInterval(),
                        settings.deliveredWithinMs(), settings.alertRules(), clocks);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return stores;
            }
        };
    }

    private static ProcessorSupplier<String, RouteDelta, Void, Void> routes(final TopologySettings settings) {
        final Set<StoreBuilder<?>> stores = Set.of(
                window(StoreNames.ROUTE_HOURLY, settings.historyRetention(), Duration.ofHours(1), false, StateSerdes.BREAKDOWN_ROW));
        return new ProcessorSupplier<>() {
            @Override
            public RouteProcessor get() {
                return new RouteProcessor();
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return stores;
            }
        };
    }

    private static ProcessorSupplier<String, ReportingEvent, Void, Void> reporting(final TopologySettings settings) {
        final Set<StoreBuilder<?>> stores = Set.of(
                keyValue(StoreNames.CAMPAIGNS, Serdes.String(), StateSerdes.CAMPAIGN),
                keyValue(StoreNames.CAMPAIGN_ORDER, Serdes.Bytes(), Serdes.ByteArray()),
                keyValue(StoreNames.CAMPAIGN_BREAKDOWN, Serdes.String(), StateSerdes.BREAKDOWN_ROW),
                keyValue(StoreNames.CAMPAIGN_FAILURES, Serdes.String(), Serdes.Long()),
                keyValue(StoreNames.CAMPAIGN_STATS, Serdes.String(), StateSerdes.CAMPAIGN_STATS),
                window(StoreNames.CAMPAIGN_HOURLY, settings.historyRetention(), Duration.ofHours(1), false, StateSerdes.HOURLY_COUNTS),
                window(StoreNames.CAMPAIGN_FAILED, settings.historyRetention(), Duration.ofMillis(1), true,
                        StateSerdes.FAILED_RECIPIENT),
                window(StoreNames.CAMPAIGN_DELIVERED, settings.historyRetention(), Duration.ofMillis(1), true,
                        StateSerdes.DELIVERED_RECORD),
                window(StoreNames.CAMPAIGN_NOT_SENT, settings.historyRetention(), Duration.ofMillis(1), false,
                        StateSerdes.NOT_SENT_RECIPIENT),
                keyValue(StoreNames.CAMPAIGN_LATENCY, LatencyKey.SERDE, Serdes.Long()));
        return new ProcessorSupplier<>() {
            @Override
            public ReportingProcessor get() {
                return new ReportingProcessor(settings.deliveredWithinMs());
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return stores;
            }
        };
    }

    private static <K, V> StoreBuilder<?> keyValue(final String name, final Serde<K> keys, final Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), keys, values).withCachingEnabled();
    }

    private static <V> StoreBuilder<?> window(final String name, final Duration retention, final Duration size,
            final boolean retainDuplicates, final Serde<V> values) {
        final var builder = Stores.windowStoreBuilder(Stores.persistentWindowStore(name, retention, size, retainDuplicates),
                Serdes.String(), values);
        // A store that keeps duplicates is append-only and cannot be cached.
        return retainDuplicates ? builder : builder.withCachingEnabled();
    }
}
