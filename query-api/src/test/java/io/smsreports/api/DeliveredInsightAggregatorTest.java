package io.smsreports.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.api.dto.DeliveredInsight;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A request over a million SMS Delivered events grouped by MSISDN holds a fixed amount, whatever the count: the
 * distinct groups it counts and the events it keeps are bounded (DESIGN, Security: bounded work per request).
 */
class DeliveredInsightAggregatorTest {

    private static DeliveredInsight.Event event(final int i, final String msisdn) {
        return new DeliveredInsight.Event("s" + i, "m", msisdn, null, null, "ios", "acme", Instant.EPOCH, Instant.EPOCH, 0);
    }

    @Test
    void shouldHoldABoundedNumberOfGroupsAndEventsForAMillionRows() {
        final DeliveredInsightAggregator insight = new DeliveredInsightAggregator("msisdn", 100, 1_000);
        for (int i = 0; i < 1_000_000; i++) {
            insight.add(event(i, "+90555" + i));
            if (i % 100_000 == 0) {
                assertThat(insight.groupsHeld()).isLessThanOrEqualTo(1_001);
                assertThat(insight.eventsHeld()).isLessThanOrEqualTo(100);
            }
        }
        final DeliveredInsight result = insight.result();
        assertThat(result.totalDelivered()).isEqualTo(1_000_000);
        assertThat(result.groupsTruncated()).isTrue();
        assertThat(result.groups().get(0)).isEqualTo(new DeliveredInsight.Group(DeliveredInsightAggregator.OTHER, 999_000));
        assertThat(result.items()).hasSize(100);
        assertThat(result.items().get(0).smsId()).as("newest first").isEqualTo("s999999");
    }

    @Test
    void shouldCountExactlyBelowTheBound() {
        final DeliveredInsightAggregator insight = new DeliveredInsightAggregator("msisdn", 10, 1_000);
        for (int i = 0; i < 5_000; i++) {
            insight.add(event(i, "+90555" + (i % 7)));
        }
        final DeliveredInsight result = insight.result();
        assertThat(result.groupsTruncated()).isFalse();
        assertThat(result.totalGroups()).isEqualTo(7);
        assertThat(result.groups().stream().mapToLong(DeliveredInsight.Group::delivered).sum()).isEqualTo(5_000);
    }
}
