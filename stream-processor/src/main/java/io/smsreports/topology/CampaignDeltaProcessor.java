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
 * load spreads over every input partition). Transitions wait in memory; inside every commit of the task (a
 * {@link CommitHook}), and every aggregation interval between commits, they are summed per campaign into one
 * {@link CampaignDelta}, forwarded keyed by messageId (chunked only when its rows would make a record too large), and
 * forgotten. A commit therefore carries the deltas of exactly the records whose offsets it commits: exact under
 * exactly_once_v2 and after a crash (a dirty close loses the waiting transitions together with their uncommitted input,
 * which is processed again), with no changelog record per transition and no record per event on the repartition topic.
 *
 * <p>Until this version the transitions waited in a changelogged store ({@code pending-transitions}), a put and a
 * tombstone per transition; a task that starts over such a store (an upgrade) takes over what it holds and empties it.
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
    private final String hookStore;
    private org.apache.kafka.streams.processor.internals.ProcessorNode<?, ?, ?, ?> node;
    private final Duration interval;
    private final List<Long> deliveredWithinMs;
    private final AlertRules alertRules;
    private final TaskClocks clocks;
    private ProcessorContext<String, TaskOutput> context;
    private TaskClocks.Clock clock;
    private long lastSentClock;
    private boolean clockSent;
    /** The transitions since the last flush, in order. */
    private final List<Transition> mirror = new ArrayList<>();

    CampaignDeltaProcessor(final String pendingStore, final String hookStore, final Duration interval, final List<Long> deliveredWithinMs,
            final AlertRules alertRules, final TaskClocks clocks) {
        this.pendingStore = pendingStore;
        this.hookStore = hookStore;
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
        this.node = CommitHook.currentNode(context);
        mirror.clear(); // a revived task reuses this processor: what waited belonged to the input it processes again
        // An upgrade from the version that kept the transitions in a store: take them over, in order, and empty the store
        // (the deletes and the deltas they make go out in the same, first, transaction).
        final KeyValueStore<Long, Transition> pending = context.getStateStore(pendingStore);
        final List<Long> keys = new ArrayList<>();
        try (KeyValueIterator<Long, Transition> it = pending.all()) {
            while (it.hasNext()) {
                final KeyValue<Long, Transition> next = it.next();
                keys.add(next.key);
                mirror.add(next.value);
            }
        }
        keys.forEach(pending::delete);
        final CommitHook hook = context.getStateStore(hookStore);
        hook.bind(() -> CommitHook.forwarding(context, node, Math.max(0, context.currentStreamTimeMs()), this::flush), mirror::clear);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, wallClock -> flush());
    }

    @Override
    public void process(final Record<String, Transition> record) {
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
