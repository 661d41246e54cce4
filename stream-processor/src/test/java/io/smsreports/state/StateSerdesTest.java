package io.smsreports.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsreports.events.Campaign;
import io.smsreports.events.CampaignStatus;
import io.smsreports.events.MessageType;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SendMethod;
import io.smsreports.lifecycle.Dispatch;
import io.smsreports.lifecycle.FinalReceipt;
import io.smsreports.lifecycle.Held;
import io.smsreports.lifecycle.Outcome;
import io.smsreports.lifecycle.SmsState;
import io.smsreports.lifecycle.Transition;
import io.smsreports.reporting.CampaignStats;
import io.smsreports.reporting.FailedRecipient;
import io.smsreports.reporting.HourlyCounts;
import io.smsreports.reporting.PersonMessage;
import io.smsreports.reporting.PersonMessages;
import io.smsreports.reporting.PersonProfile;
import io.smsreports.reporting.PlatformCounts;
import io.smsreports.reporting.Reconciliation;
import io.smsreports.reporting.ReportingEvent;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class StateSerdesTest {

    private static final Dispatch DISPATCH = new Dispatch("m-1", "+905551112233", "u-1", null, "android", "acme", "TR", null, 2,
            1_790_000_000_123L);
    private static final FinalReceipt FINAL = new FinalReceipt(ReceiptStatus.UNDELIVERABLE, "UNDELIV", "001", "Absent subscriber — ü",
            "acme", 1_790_000_005_000L, 1_790_000_006_000L);

    private static <T> T roundTrip(final Serde<T> serde, final T value) {
        final byte[] bytes = serde.serializer().serialize("t", value);
        assertThat(bytes[0]).as("format version").isEqualTo((byte) 1);
        return serde.deserializer().deserialize("t", bytes);
    }

    @Test
    void shouldRoundTripEveryInternalType() {
        final SmsState dispatched = new SmsState(DISPATCH, Outcome.FAILED, FINAL, null, 1_790_000_000_000L + 7);
        assertThat(roundTrip(StateSerdes.SMS_STATE, dispatched)).isEqualTo(dispatched);
        final SmsState holding = new SmsState(null, Outcome.PENDING, null, new Held(FINAL, 42, 3, 1, 1, -5), Long.MAX_VALUE);
        assertThat(roundTrip(StateSerdes.SMS_STATE, holding)).isEqualTo(holding);

        final Transition transition = new Transition("sms-1", DISPATCH, Outcome.FAILED, FINAL,
                Transition.SENT | Transition.FAILED | Transition.LATE, 2, 1);
        assertThat(roundTrip(StateSerdes.TRANSITION, transition)).isEqualTo(transition);

        final Campaign campaign = Campaign.newBuilder().setMessageId("m-1").setName("n").setMessageType(MessageType.NOTIFICATION)
                .setText("t").setCreator("c").setMethod(SendMethod.TARGETED).setStatus(CampaignStatus.FINISHED)
                .setCreatedAt(Instant.ofEpochMilli(1)).setStartedAt(null).setEndedAt(Instant.ofEpochMilli(3)).setTargetAudience(9).build();
        assertThat(roundTrip(StateSerdes.CAMPAIGN, campaign)).isEqualTo(campaign);
        for (final ReportingEvent event : List.of(new ReportingEvent.SmsChanged(transition), new ReportingEvent.CampaignUpdated(campaign),
                new ReportingEvent.CampaignRemoved())) {
            assertThat(roundTrip(StateSerdes.REPORTING_EVENT, event)).isEqualTo(event);
        }

        final CampaignStats stats = new CampaignStats(Map.of("android", new PlatformCounts(5, 2, 1, 1, 9),
                "unknown", new PlatformCounts(1, 0, 0, 0, 1)), new Reconciliation(4, 1, 2));
        assertThat(roundTrip(StateSerdes.CAMPAIGN_STATS, stats)).isEqualTo(stats);
        final HourlyCounts hourly = HourlyCounts.EMPTY.add("ios", new HourlyCounts.Counts(3, 2, 1));
        assertThat(roundTrip(StateSerdes.HOURLY_COUNTS, hourly)).isEqualTo(hourly);
        final FailedRecipient failed = new FailedRecipient("sms-1", null, "+90", "a@b.c", "web", "acme", ReceiptStatus.EXPIRED, null,
                "expired", 77);
        assertThat(roundTrip(StateSerdes.FAILED_RECIPIENT, failed)).isEqualTo(failed);
        final PersonMessages messages = new PersonMessages(List.of(
                new PersonMessage("s1", "m-1", Outcome.PENDING, null, null, null, "ios", "acme", 10, null),
                new PersonMessage("s2", "m-2", Outcome.DELIVERED, "DELIVERED", null, null, "ios", "acme", 10, 20L)));
        assertThat(roundTrip(StateSerdes.PERSON_MESSAGES, messages)).isEqualTo(messages);
        final io.smsreports.reporting.DeliveredRecord deliveredRecord = new io.smsreports.reporting.DeliveredRecord("s1", "m-1", "+90",
                null, "a@b.c", "ios", "acme", 10, 2_110, 2_100);
        assertThat(roundTrip(StateSerdes.DELIVERED_RECORD, deliveredRecord)).isEqualTo(deliveredRecord);
        final PersonProfile profile = new PersonProfile("ext:u-1", "u-1", "+90", null);
        assertThat(roundTrip(StateSerdes.PERSON_PROFILE, profile)).isEqualTo(profile);
        final LatencyKey key = new LatencyKey("m-ü", 1183);
        assertThat(LatencyKey.SERDE.deserializer().deserialize("t", LatencyKey.SERDE.serializer().serialize("t", key))).isEqualTo(key);
    }

    @Test
    void shouldRefuseAFormatVersionItDoesNotKnowAndCorruptBytes() {
        final byte[] bytes = StateSerdes.CAMPAIGN_STATS.serializer().serialize("t", CampaignStats.EMPTY);
        bytes[0] = 9;
        assertThatThrownBy(() -> StateSerdes.CAMPAIGN_STATS.deserializer().deserialize("t", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown format version 9 of CampaignStats");
        final byte[] state = StateSerdes.SMS_STATE.serializer().serialize("t",
                new SmsState(DISPATCH, Outcome.PENDING, null, null, 5));
        assertThatThrownBy(() -> StateSerdes.SMS_STATE.deserializer().deserialize("t", Arrays.copyOf(state, state.length - 2)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Corrupt SmsState");
        assertThatThrownBy(() -> StateSerdes.SMS_STATE.deserializer().deserialize("t", Arrays.copyOf(state, state.length + 1)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("trailing");
    }

    @Test
    void shouldEncodeExtremesOfVarints() {
        for (final long value : new long[] {0, 1, -1, 63, 64, -64, -65, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE}) {
            final Codec.Reader reader = new Codec.Reader(new Codec.Writer(4).varlong(value).fixedLong(value).toByteArray(), "test");
            assertThat(reader.varlong()).isEqualTo(value);
            assertThat(reader.fixedLong()).isEqualTo(value);
            reader.end();
        }
    }
}
