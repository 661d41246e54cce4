package io.smsreports.api;

import io.smsreports.api.dto.DeliveredInsight;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts SMS Delivered events by one dimension and keeps the newest {@code limit} of them, in bounded memory whatever
 * the number of events (a campaign of ten million SMS grouped by MSISDN): at most {@code maxGroups} distinct groups
 * are counted exactly, events of further groups are counted in one {@value #OTHER} group and the answer says so
 * ({@code groupsTruncated}); at most {@code limit} events are kept.
 */
final class DeliveredInsightAggregator {

    /** The distinct groups counted exactly per request (about 10 MiB at most). */
    static final int MAX_GROUPS = 100_000;
    static final String OTHER = "(other)";

    private final String groupBy;
    private final int limit;
    private final int maxGroups;
    private final Map<String, Long> counts = new HashMap<>();
    private final Deque<DeliveredInsight.Event> newest = new ArrayDeque<>();
    private long total;
    private boolean truncated;

    DeliveredInsightAggregator(final String groupBy, final int limit, final int maxGroups) {
        this.groupBy = groupBy;
        this.limit = limit;
        this.maxGroups = maxGroups;
    }

    /** Events must come oldest first. */
    void add(final DeliveredInsight.Event event) {
        total++;
        final String value = switch (groupBy) {
            case "externalId" -> event.externalId();
            case "msisdn" -> event.msisdn();
            default -> event.messageId();
        };
        final String key = value == null ? "(none)" : value;
        if (counts.containsKey(key) || counts.size() < maxGroups) {
            counts.merge(key, 1L, Long::sum);
        } else {
            truncated = true;
            counts.merge(OTHER, 1L, Long::sum);
        }
        newest.addFirst(event);
        if (newest.size() > limit) {
            newest.removeLast();
        }
    }

    /** Groups counted so far (bounded by {@code maxGroups} + 1). */
    int groupsHeld() {
        return counts.size();
    }

    /** Events kept so far (bounded by {@code limit}). */
    int eventsHeld() {
        return newest.size();
    }

    DeliveredInsight result() {
        final List<DeliveredInsight.Group> groups = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .map(e -> new DeliveredInsight.Group(e.getKey(), e.getValue()))
                .toList();
        return new DeliveredInsight(groupBy, total, counts.size(), groups, List.copyOf(newest), truncated);
    }
}
