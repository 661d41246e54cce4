package io.smsreports.topology;

import io.smsreports.alerting.AlertDelta;
import io.smsreports.alerting.AlertRules;
import io.smsreports.lifecycle.Transition;
import io.smsreports.reporting.CampaignDelta;
import io.smsreports.reporting.ReportingEvent;
import io.smsreports.reporting.RouteDelta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The first phase of the two-phase aggregation, in the task that holds the SMS (keyed by smsId, so one campaign's
 * load spreads over every input partition). Transitions wait in a changelogged store of this task; every
 * aggregation interval (the commit interval) they are summed per campaign into one {@link CampaignDelta}, forwarded
 * keyed by messageId (chunked only when its rows would make a record too large), and removed, all in the task's
 * transaction: exact under exactly_once_v2 and after a crash, and no record per event reaches the repartition topic.
 *
 * <p>Why a store of pending transitions rather than of running sums: a transition is written once (one cached put, no
 * read), where a running sum would be read, decoded, re-encoded and written for every event; the failed and delivered
 * rows must wait somewhere in either design. The store is written through from an in-memory copy, which the flush
 * reads (no store scan, no decoding); the copy is rebuilt from the store on every init.
 *
 * <p>The same flush sums the transitions per route (provider × operator) and dispatch hour into one {@link RouteDelta} per
 * route for the route's task (the route scorecard), and per alert scope and minute into one {@link AlertDelta} for the alert task, with
 * this task's lifecycle clock (its share of the alerts' watermark); when there is nothing to add, the clock alone is sent
 * once it has reached a new minute, so that a quiet task does not hold the alerts back.
 */
public final class CampaignDeltaProcessor implements Processor<String, Transition, String, TaskOutput> {

    /** Rows per forwarded record at most: about 200 KB, well under the brokers' default 1 MB record limit. */
    static final int MAX_ROWS_PER_RECORD = 1_000;

    private final String pendingStore;
    private final Duration interval;
    private final List<Long> deliveredWithinMs;
    private final AlertRules alertRules;
    private final TaskClocks clocks;
    private ProcessorContext<String, TaskOutput> context;
    private TaskClocks.Clock clock;
    private long lastSentClock;
    private boolean clockSent;
    private KeyValueStore<Long, Transition> pending;
    /** What the store holds, in sequence order (written through): a flush reads this, not the store. */
    private final List<Transition> mirror = new ArrayList<>();

    CampaignDeltaProcessor(final String pendingStore, final Duration interval, final List<Long> deliveredWithinMs,
            final AlertRules alertRules, final TaskClocks clocks) {
        this.pendingStore = pendingStore;
        this.interval = interval;
        this.deliveredWithinMs = List.copyOf(deliveredWithinMs);
        this.alertRules = alertRules;
        this.clocks = clocks;
    }

    @Override
    public void init(final ProcessorContext<String, TaskOutput> context) {
        this.context = context;
        this.clock = clocks.of(context.taskId());
        this.clockSent = false; // a revived or moved task tells the alerts its clock again
        this.pending = context.getStateStore(pendingStore);
        mirror.clear(); // the store is the truth (a revived task reuses this processor, its store restored)
        final List<Long> keys = new ArrayList<>();
        try (KeyValueIterator<Long, Transition> it = pending.all()) {
            while (it.hasNext()) {
                final KeyValue<Long, Transition> next = it.next();
                keys.add(next.key);
                mirror.add(next.value);
            }
        }
        if (!keys.isEmpty() && keys.get(keys.size() - 1) != keys.size() - 1) { // not 0..n-1: renumber, keeping the order
            keys.forEach(pending::delete);
            for (int i = 0; i < mirror.size(); i++) {
                pending.put((long) i, mirror.get(i));
            }
        }
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, wallClock -> flush());
    }

    @Override
    public void process(final Record<String, Transition> record) {
        pending.put((long) mirror.size(), record.value());
        mirror.add(record.value());
    }

    /** Sends what this task summed per campaign since the last flush, and forgets it, in one transaction. */
    void flush() {
        final long now = clock.now();
        final boolean newMinute = now != Long.MIN_VALUE
                && (!clockSent || AlertDelta.minuteOf(now) != AlertDelta.minuteOf(lastSentClock));
        if (mirror.isEmpty()) {
            if (newMinute) {
                sendAlerts(new AlertDelta.Builder(alertRules), now);
            }
            return;
        }
        final Map<String, CampaignDelta.Builder> byCampaign = new LinkedHashMap<>();
        final RouteDelta.Builder routes = new RouteDelta.Builder(deliveredWithinMs);
        final AlertDelta.Builder alerts = new AlertDelta.Builder(alertRules);
        for (final Transition t : mirror) {
            byCampaign.computeIfAbsent(t.dispatch().messageId(), m -> new CampaignDelta.Builder(deliveredWithinMs)).add(t);
            if (!t.isOutsideDelivery()) { // rules 14 and 16: no route, no delivery to judge
                routes.add(t);
                alerts.add(t);
            }
        }
        for (long key = 0; key < mirror.size(); key++) {
            pending.delete(key); // the next batch reuses the keys: in the record cache a put overwrites the delete
        }
        mirror.clear();
        final long timestamp = Math.max(0, context.currentStreamTimeMs());
        byCampaign.forEach((messageId, delta) -> {
            for (final CampaignDelta chunk : delta.build().chunked(MAX_ROWS_PER_RECORD)) {
                context.forward(new Record<>(messageId, new TaskOutput.ToCampaign(new ReportingEvent.Aggregated(chunk)), timestamp));
            }
        });
        for (final Map.Entry<String, RouteDelta> route : routes.build().byRoute()) {
            context.forward(new Record<>(route.getKey(), new TaskOutput.ToRoute(route.getValue()), timestamp));
        }
        if (!alerts.isEmpty() || newMinute) {
            sendAlerts(alerts, now);
        }
    }

    private void sendAlerts(final AlertDelta.Builder alerts, final long now) {
        final int source = context.taskId().partition();
        context.forward(new Record<>(String.valueOf(source), new TaskOutput.ToAlerts(alerts.build(source, now)),
                Math.max(0, context.currentStreamTimeMs())));
        lastSentClock = now;
        clockSent = true;
    }
}
