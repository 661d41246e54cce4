package io.smsreports.topology;

import io.smsreports.reporting.BreakdownRow;
import io.smsreports.reporting.RouteDelta;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The second phase of the route scorecard, in the task that holds the route (keyed by provider/operator): adds each SMS
 * task's route delta to the route's hourly rows ({@link StoreNames#ROUTE_HOURLY}, one window per dispatch hour, kept for
 * the history retention). A few records per route and commit at most: the SMS tasks summed them per commit.
 */
final class RouteProcessor implements Processor<String, RouteDelta, Void, Void> {

    private WindowStore<String, BreakdownRow> hourly;

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        hourly = context.getStateStore(StoreNames.ROUTE_HOURLY);
    }

    @Override
    public void process(final Record<String, RouteDelta> record) {
        record.value().rows().forEach((route, hours) -> hours.forEach((hour, row) -> {
            final BreakdownRow current = hourly.fetch(route, hour);
            hourly.put(route, current == null ? row : current.plus(row), hour);
        }));
    }
}
