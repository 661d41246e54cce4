package io.smsreports.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.events.SmsDispatched;
import io.smsreports.events.SmsInbound;
import io.smsreports.events.SmsLinkClicked;
import io.smsreports.events.SmsNotSent;
import io.smsreports.events.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The dataset of the crash-recovery, arrival-order, kill-9 and chaos suites carries every kind of event those suites must
 * prove exact (rules 14, 16 and 17 next to the lifecycle's), so that a suite cannot pass over a figure that is always zero.
 */
class SmsWorkloadTest {

    private static final SmsWorkload WORKLOAD = new SmsWorkload(Topics.defaults(), 3);
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    @Test
    void shouldCarryDecisionsClicksAndRepliesForEveryCampaign() {
        final List<SmsWorkload.Input> inputs = WORKLOAD.dataset(T0, 12_000, 20, 20261127);
        final SmsWorkload.Expected expected = WORKLOAD.expected(inputs);
        for (final String m : SmsWorkload.CAMPAIGNS) {
            final List<Long> figures = expected.reportFigures(m);
            assertThat(figures).as("sent, delivered, failed, unconfirmed, not sent, clicks, unique, bot, replies, opt-outs of %s", m)
                    .allSatisfy(n -> assertThat(n).isPositive());
            assertThat(expected.notSent().get(m)).as("not-sent reasons of %s", m).hasSizeGreaterThan(3);
        }
        assertThat(expected.orphanClicks()).as("orphan clicks").isPositive();
        assertThat(expected.unattributedReplies()).as("unattributed replies").isPositive();

        // The edge cases each rule has: a dispatched SMS also decided not to send, a click before its dispatch is published, a
        // clickId and an inboundId repeated, a number without its +.
        final Set<String> dispatched = inputs.stream().filter(i -> i.value() instanceof SmsDispatched).map(SmsWorkload.Input::key)
                .collect(Collectors.toSet());
        assertThat(inputs.stream().filter(i -> i.value() instanceof SmsNotSent).map(SmsWorkload.Input::key).filter(dispatched::contains))
                .as("dispatched SMS also decided not to send").isNotEmpty();
        final List<SmsWorkload.Input> clicks = inputs.stream().filter(i -> i.value() instanceof SmsLinkClicked).toList();
        assertThat(clicks.stream().filter(c -> inputs.stream().anyMatch(d -> d.value() instanceof SmsDispatched
                && d.key().equals(c.key()) && d.timestamp() > c.timestamp()))).as("clicks before their dispatch is published").isNotEmpty();
        assertThat(clicks.stream().map(c -> ((SmsLinkClicked) c.value()).getClickId()).distinct().count()).as("a clickId repeated")
                .isLessThan(clicks.size());
        final List<SmsInbound> replies = inputs.stream().filter(i -> i.value() instanceof SmsInbound).map(i -> (SmsInbound) i.value()).toList();
        assertThat(replies.stream().map(SmsInbound::getInboundId).distinct().count()).as("an inboundId repeated").isLessThan(replies.size());
        assertThat(replies).as("a number without its +").anyMatch(i -> !i.getMsisdn().startsWith("+"));
    }

    @Test
    void shouldBeTheSameDatasetForASeed() {
        final List<SmsWorkload.Input> a = WORKLOAD.dataset(T0, 2_000, 3, 7);
        final List<SmsWorkload.Input> b = WORKLOAD.dataset(T0, 2_000, 3, 7);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(List.of(a.get(i).topic(), a.get(i).key(), a.get(i).timestamp()))
                    .isEqualTo(List.of(b.get(i).topic(), b.get(i).key(), b.get(i).timestamp()));
        }
        assertThat(WORKLOAD.expected(a).reportFigures("m1")).isEqualTo(WORKLOAD.expected(b).reportFigures("m1"));
    }
}
