package io.smsreports.topology;

import io.smsreports.alerting.Alert;
import io.smsreports.alerting.AlertCounts;
import io.smsreports.alerting.AlertDelta;
import io.smsreports.alerting.AlertEngine;
import io.smsreports.alerting.AlertRules;
import io.smsreports.alerting.Scope;
import io.smsreports.events.AlertState;
import io.smsreports.events.DeliveryAlert;
import io.smsreports.serde.RegistryUnreachableException;
import io.smsreports.state.AlertSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The alert task (one partition: every scope's buckets in one place, a few records a second at most): adds the SMS
 * tasks' alert deltas to the minute buckets, lets the {@link AlertEngine} judge every minute the watermark has passed,
 * keeps each alert in the {@code alerts} store and sends each change (opened, resolved) to {@code sms.alerts}, keyed by
 * alertId. All in the task's transaction: under exactly_once_v2 each change is on {@code sms.alerts} exactly once, and
 * a revived or moved task rebuilds the engine from its stores.
 *
 * <p><b>Transient is not poison.</b> Writing an alert needs {@code sms.alerts}' schema registered. While the registry
 * cannot answer (this instance may never have reached it: started during an outage), deltas are held, in order, in a
 * changelogged backlog and taken up once a wall-clock retry registers the schema; alerts are late, never lost, and the
 * instance keeps running.
 */
final class AlertProcessor implements Processor<String, AlertDelta, String, DeliveryAlert> {

    /** An alert whose only use is to register the schema of {@code sms.alerts} (never written). */
    static final Alert SCHEMA_PROBE = new Alert("schema-probe", Alert.State.OPENED, Alert.Rule.DELIVERY_RATE_DROP,
            Scope.campaign("schema-probe"), null, 0, null, 0, 0, null, "schema probe");

    static final Duration RETRY = Duration.ofSeconds(1);
    private static final String EVALUATED_KEY = "evaluated-through";
    private static final String CLOCK_PREFIX = "clock-";

    private final AlertRules rules;
    private final int sources;
    private final long keepResolvedMs;
    private final OutputSchema output;
    private ProcessorContext<String, DeliveryAlert> context;
    private KeyValueStore<Bytes, AlertCounts> buckets;
    private KeyValueStore<String, Long> meta;
    private KeyValueStore<String, Alert> alerts;
    private KeyValueStore<Long, AlertDelta> backlog;
    private AlertEngine engine;
    private long nextHeld;
    private long prunedThroughHour = Long.MIN_VALUE;
    private final AlertEngine.Sink sink = new AlertEngine.Sink() {
        @Override
        public void bucket(final Scope scope, final long minute, final AlertCounts counts) {
            buckets.put(AlertSerdes.bucketKey(scope, minute), counts);
        }

        @Override
        public void bucketRemoved(final Scope scope, final long minute) {
            buckets.delete(AlertSerdes.bucketKey(scope, minute));
        }

        @Override
        public void alert(final Alert alert) {
            alerts.put(alert.alertId(), alert);
            final long at = alert.resolvedAt() != null ? alert.resolvedAt() : alert.openedAt();
            context.forward(new Record<>(alert.alertId(), toEvent(alert), at));
        }
    };

    /** @param keepResolved how long (event time) a resolved alert stays listed: the history retention */
    AlertProcessor(final AlertRules rules, final int sources, final Duration keepResolved, final OutputSchema output) {
        this.rules = rules;
        this.sources = sources;
        this.keepResolvedMs = keepResolved.toMillis();
        this.output = output;
    }

    @Override
    public void init(final ProcessorContext<String, DeliveryAlert> context) {
        this.context = context;
        this.buckets = context.getStateStore(StoreNames.ALERT_BUCKETS);
        this.meta = context.getStateStore(StoreNames.ALERT_META);
        this.alerts = context.getStateStore(StoreNames.ALERTS);
        this.backlog = context.getStateStore(StoreNames.ALERT_BACKLOG);
        nextHeld = 0;
        try (KeyValueIterator<Long, AlertDelta> it = backlog.all()) {
            while (it.hasNext()) {
                nextHeld = it.next().key + 1;
            }
        }
        context.schedule(RETRY, PunctuationType.WALL_CLOCK_TIME, wallClock -> takeUpHeld());
        // The stores are the truth: a revived task reuses this processor with its stores restored to the last commit.
        engine = new AlertEngine(rules, sources);
        final Long evaluated = meta.get(EVALUATED_KEY);
        if (evaluated != null) {
            engine.restoreEvaluatedThrough(evaluated);
        }
        try (KeyValueIterator<String, Long> it = meta.prefixScan(CLOCK_PREFIX, new StringSerializer())) {
            while (it.hasNext()) {
                final KeyValue<String, Long> next = it.next();
                engine.restoreClock(Integer.parseInt(next.key.substring(CLOCK_PREFIX.length())), next.value);
            }
        }
        try (KeyValueIterator<Bytes, AlertCounts> it = buckets.all()) {
            while (it.hasNext()) {
                final KeyValue<Bytes, AlertCounts> next = it.next();
                engine.restoreBucket(AlertSerdes.scopeOf(next.key), AlertSerdes.minuteOf(next.key), next.value);
            }
        }
        try (KeyValueIterator<String, Alert> it = alerts.all()) {
            while (it.hasNext()) {
                engine.restoreOpen(it.next().value);
            }
        }
    }

    @Override
    public void process(final Record<String, AlertDelta> record) {
        if (nextHeld > 0 || !outputRegistered()) {
            backlog.put(nextHeld++, record.value()); // behind what is held already: order kept
            return;
        }
        accept(record.value());
    }

    /** Takes up the held deltas, in order, once the schema of sms.alerts is registered. */
    private void takeUpHeld() {
        if (nextHeld == 0 || !outputRegistered()) {
            return;
        }
        final List<KeyValue<Long, AlertDelta>> held = new ArrayList<>();
        try (KeyValueIterator<Long, AlertDelta> it = backlog.all()) {
            it.forEachRemaining(held::add);
        }
        for (final KeyValue<Long, AlertDelta> next : held) {
            accept(next.value);
            backlog.delete(next.key);
        }
        nextHeld = 0;
    }

    private boolean outputRegistered() {
        try {
            output.ensureRegistered();
            return true;
        } catch (RegistryUnreachableException e) {
            return false;
        }
    }

    private void accept(final AlertDelta delta) {
        engine.accept(delta, sink);
        final Long stored = meta.get(CLOCK_PREFIX + delta.source());
        if (stored == null || delta.clock() > stored) {
            meta.put(CLOCK_PREFIX + delta.source(), delta.clock());
        }
        if (engine.evaluatedThrough() != AlertEngine.NOT_STARTED) {
            meta.put(EVALUATED_KEY, engine.evaluatedThrough());
            pruneResolved(engine.evaluatedThrough() * 60_000L);
        }
    }

    /** Once per hour of event time: forgets resolved alerts older than the history retention (the store stays small). */
    private void pruneResolved(final long now) {
        final long hour = Math.floorDiv(now, 3_600_000L);
        if (hour == prunedThroughHour) {
            return;
        }
        prunedThroughHour = hour;
        final List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, Alert> it = alerts.all()) {
            while (it.hasNext()) {
                final Alert alert = it.next().value;
                if (alert.resolvedAt() != null && alert.resolvedAt() < now - keepResolvedMs) {
                    old.add(alert.alertId());
                }
            }
        }
        old.forEach(alerts::delete);
    }

    static DeliveryAlert toEvent(final Alert a) {
        return DeliveryAlert.newBuilder().setAlertId(a.alertId()).setState(AlertState.valueOf(a.state().name()))
                .setRule(a.rule().label()).setScope(a.scope().kind().label()).setKey(a.scope().key()).setErrorCode(a.errorCode())
                .setObserved(a.observed()).setBaseline(a.baseline()).setWindowMs(a.windowMs())
                .setOpenedAt(Instant.ofEpochMilli(a.openedAt()))
                .setResolvedAt(a.resolvedAt() == null ? null : Instant.ofEpochMilli(a.resolvedAt())).setMessage(a.message()).build();
    }
}
