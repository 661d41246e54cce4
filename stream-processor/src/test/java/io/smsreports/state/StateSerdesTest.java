package io.smsreports.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsreports.lifecycle.Outcome;
import io.smsreports.lifecycle.SmsState;
import io.smsreports.lifecycle.Transition;
import io.smsreports.reporting.CampaignDelta;
import io.smsreports.reporting.PersonMessage;
import io.smsreports.reporting.PersonMessages;
import io.smsreports.reporting.PersonProfile;
import io.smsreports.reporting.ReportingEvent;
import io.smsreports.state.avro.StoredPersonProfile;
import io.smsreports.state.avro.StoredReportingEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** The state format (Avro single-object encoding with schema resolution) and the upgrade from the hand-written codec. */
class StateSerdesTest {

    private static final Map<String, Serde<?>> SERDES = Map.of("SmsState", StateSerdes.SMS_STATE, "Transition", StateSerdes.TRANSITION,
            "ReportingEvent", StateSerdes.REPORTING_EVENT, "Campaign", StateSerdes.CAMPAIGN, "CampaignStats", StateSerdes.CAMPAIGN_STATS,
            "HourlyCounts", StateSerdes.HOURLY_COUNTS, "FailedRecipient", StateSerdes.FAILED_RECIPIENT, "DeliveredRecord",
            StateSerdes.DELIVERED_RECORD, "PersonMessages", StateSerdes.PERSON_MESSAGES, "PersonProfile", StateSerdes.PERSON_PROFILE);

    @SuppressWarnings("unchecked")
    private static <T> Serde<T> serdeOf(final String sample) {
        return (Serde<T>) SERDES.get(sample.split("\\.")[0]);
    }

    private static <T> T roundTrip(final Serde<T> serde, final T value) {
        final byte[] bytes = serde.serializer().serialize("t", value);
        assertThat(Arrays.copyOf(bytes, 2)).as("Avro single-object marker").containsExactly(0xC3, 0x01);
        return serde.deserializer().deserialize("t", bytes);
    }

    @Test
    void shouldRoundTripEveryStoredType() {
        for (final Map.Entry<String, Object> sample : LegacySamples.all().entrySet()) {
            if (sample.getKey().equals("PersonMessages")) {
                continue; // the legacy history lists are read only
            }
            assertThat(roundTrip(serdeOf(sample.getKey()), sample.getValue())).as(sample.getKey()).isEqualTo(sample.getValue());
        }
        final Transition transition = (Transition) LegacySamples.all().get("Transition");
        final ReportingEvent aggregated = new ReportingEvent.Aggregated(CampaignDelta.of(List.of(transition,
                new Transition("s-9", LegacySamples.BARE_DISPATCH, Outcome.FAILED, LegacySamples.FAILURE,
                        Transition.SENT | Transition.FAILED, 0, 1, 1_790_000_200_000L, null, null, new io.smsreports.lifecycle.Price(12_500, "TRY"), 0)),
                List.of(5_000L, 30_000L)));
        assertThat(roundTrip(StateSerdes.REPORTING_EVENT, aggregated)).isEqualTo(aggregated);
        final PersonMessage message = new PersonMessage("s-3", "m-2", Outcome.UNCONFIRMED, null, null, null, "ios", "acme", 10, null);
        assertThat(roundTrip(StateSerdes.PERSON_MESSAGE, message)).isEqualTo(message);
        final LatencyKey key = new LatencyKey("m-ü", 1183);
        assertThat(LatencyKey.SERDE.deserializer().deserialize("t", LatencyKey.SERDE.serializer().serialize("t", key))).isEqualTo(key);
    }

    /** What versions before the Avro state format left in RocksDB and the changelogs is read back, value for value. */
    @Test
    void shouldReadTheStateThePreviousVersionWrote() throws IOException {
        final Map<String, byte[]> legacy = new LinkedHashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/state/legacy-state-v1.txt")) {
            for (final String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    final String[] parts = line.split(" ");
                    legacy.put(parts[0], HexFormat.of().parseHex(parts[1]));
                }
            }
        }
        assertThat(legacy.keySet()).containsExactlyElementsOf(LegacySamples.all().keySet());
        LegacySamples.all().forEach((name, value) ->
                assertThat(serdeOf(name).deserializer().deserialize("t", legacy.get(name))).as(name).isEqualTo(value));
    }

    /** Version N+1 reads what version N wrote: a value in an older schema resolves to the current one (defaults filled). */
    @Test
    void shouldResolveAValueWrittenWithAnEarlierSchema() throws IOException {
        final Schema earlier = SchemaBuilder.record(StoredPersonProfile.getClassSchema().getName())
                .namespace(StoredPersonProfile.getClassSchema().getNamespace()).fields()
                .requiredString("personId").optionalString("msisdn").endRecord(); // no externalId, no email yet
        final GenericRecord old = new GenericData.Record(earlier);
        old.put("personId", "tel:+905550000000");
        old.put("msisdn", "+905550000000");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), earlier).encode(old, out);

        final AvroStateSerde<PersonProfile, StoredPersonProfile> serde = new AvroStateSerde<>(StoredPersonProfile.getClassSchema(),
                StateSerdes::toAvro, StateSerdes::fromAvro, null, List.of(earlier));
        assertThat(serde.deserialize("t", out.toByteArray()))
                .isEqualTo(new PersonProfile("tel:+905550000000", null, "+905550000000", null));
        assertThatThrownBy(() -> StateSerdes.PERSON_PROFILE.deserializer().deserialize("t", out.toByteArray()))
                .as("a schema this build never archived").isInstanceOf(SerializationException.class)
                .hasMessageContaining("does not know");
    }

    /**
     * The state format's own previous version: a campaign delta on the repartition topic written with version 1 of
     * {@code StoredReportingEvent} (before the breakdowns) is read by this version, with no breakdown rows.
     */
    @Test
    void shouldReadADeltaWrittenByTheFirstVersionOfTheFormat() throws IOException {
        final List<Schema> history = AvroStateSerde.history(StoredReportingEvent.getClassSchema().getFullName());
        assertThat(history).hasSizeGreaterThanOrEqualTo(2);
        final Schema v1 = history.get(0);
        final Schema deltaV1 = v1.getField("event").schema().getTypes().get(0);
        assertThat(deltaV1.getField("breakdown")).as("v1 has no breakdown").isNull();
        final Schema stats = deltaV1.getField("stats").schema();
        final GenericRecord platform = new GenericData.Record(stats.getField("platforms").schema().getElementType());
        platform.put("platform", "ios");
        platform.put("sent", 3L);
        platform.put("delivered", 2L);
        platform.put("failed", 0L);
        platform.put("unconfirmed", 0L);
        platform.put("segments", 3L);
        final GenericRecord statsRecord = new GenericData.Record(stats);
        statsRecord.put("platforms", List.of(platform));
        statsRecord.put("duplicateReceipts", 1L);
        statsRecord.put("conflictingFinals", 0L);
        statsRecord.put("lateReceipts", 0L);
        final GenericRecord delta = new GenericData.Record(deltaV1);
        delta.put("stats", statsRecord);
        delta.put("hourly", List.of());
        delta.put("latency", List.of());
        delta.put("failed", List.of());
        delta.put("delivered", List.of());
        final GenericRecord event = new GenericData.Record(v1);
        event.put("event", delta);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(event, out);

        final ReportingEvent read = StateSerdes.REPORTING_EVENT.deserializer().deserialize("t", out.toByteArray());
        assertThat(read).isInstanceOf(ReportingEvent.Aggregated.class);
        final CampaignDelta d = ((ReportingEvent.Aggregated) read).delta();
        assertThat(d.stats().totals().sent()).isEqualTo(3);
        assertThat(d.stats().reconciliation().duplicateReceipts()).isEqualTo(1);
        assertThat(d.breakdown()).isEmpty();
    }

    /**
     * Rule 13 changed what an SMS state keeps: held receipts one by one (were sums) and when a dispatch was published (was
     * not kept). A holding state and a dispatched one written with the first schema read as the same receipts and times.
     */
    @Test
    void shouldReadSmsStatesWrittenBeforeTheWatermark() throws IOException {
        final Schema v1 = AvroStateSerde.history(io.smsreports.state.avro.StoredSmsState.getClassSchema().getFullName()).get(0);
        final Schema heldV1 = v1.getField("held").schema().getTypes().get(1);
        final Schema dispatchV1 = v1.getField("dispatch").schema().getTypes().get(1);
        assertThat(heldV1.getField("entries")).as("v1 keeps sums").isNull();
        final GenericRecord held = new GenericData.Record(heldV1);
        held.put("firstFinal", null);
        held.put("firstFinalAt", 0L);
        held.put("receipts", 2);
        held.put("duplicates", 0);
        held.put("conflicts", 0);
        held.put("heldSince", 1_790_000_000_000L);
        final GenericRecord holding = new GenericData.Record(v1);
        holding.put("dispatch", null);
        holding.put("held", held);
        holding.put("outcome", "PENDING");
        holding.put("finalReceipt", null);
        holding.put("indexedAt", Long.MAX_VALUE);
        final SmsState readHolding = StateSerdes.SMS_STATE.deserializer().deserialize("t", encode(v1, holding));
        assertThat(readHolding.held().receipts()).isEqualTo(2);
        assertThat(readHolding.held().heldSince()).isEqualTo(1_790_000_000_000L);
        assertThat(readHolding.held().entries()).allSatisfy(e -> assertThat(e.finalReceipt()).isNull());

        final GenericRecord dispatch = new GenericData.Record(dispatchV1);
        dispatch.put("messageId", "m-1");
        dispatch.put("msisdn", "+905551112233");
        dispatch.put("platform", "ios");
        dispatch.put("provider", "acme");
        dispatch.put("segments", 1);
        dispatch.put("dispatchedAt", 1_790_000_000_000L);
        final GenericRecord dispatched = new GenericData.Record(v1);
        dispatched.put("dispatch", dispatch);
        dispatched.put("held", null);
        dispatched.put("outcome", "PENDING");
        dispatched.put("finalReceipt", null);
        dispatched.put("indexedAt", 1_790_345_600_000L);
        final SmsState readDispatched = StateSerdes.SMS_STATE.deserializer().deserialize("t", encode(v1, dispatched));
        assertThat(readDispatched.dispatch().publishedAt()).as("taken as published when dispatched").isEqualTo(1_790_000_000_000L);
    }

    private static byte[] encode(final Schema schema, final GenericRecord record) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record, out);
        return out.toByteArray();
    }

    /** Every schema this build writes is archived in state-schemas/, so that the next version can still read it. */
    @Test
    void shouldArchiveEverySchemaItWrites() {
        for (final Schema schema : StateSerdes.storedSchemas()) {
            final long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
            assertThat(AvroStateSerde.history(schema.getFullName()).stream().map(SchemaNormalization::parsingFingerprint64))
                    .as("%s: copy its schema to src/main/resources/%s%s.v<next>.avsc", schema.getFullName(), AvroStateSerde.HISTORY,
                            schema.getFullName())
                    .contains(fingerprint);
        }
    }

    @Test
    void shouldRefuseBytesItCannotRead() {
        final byte[] state = StateSerdes.SMS_STATE.serializer().serialize("t", (SmsState) LegacySamples.all().get("SmsState.dispatched"));
        assertThatThrownBy(() -> StateSerdes.SMS_STATE.deserializer().deserialize("t", Arrays.copyOf(state, state.length - 3)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Cannot read a stored StoredSmsState");
        assertThatThrownBy(() -> StateSerdes.FAILED_RECIPIENT.deserializer().deserialize("t", new byte[] {9, 1, 2}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Not a stored StoredFailedRecipient");
        assertThatThrownBy(() -> StateSerdes.PERSON_MESSAGES.serializer().serialize("t", new PersonMessages(List.of())))
                .as("the legacy history is read only").isInstanceOf(SerializationException.class);
    }
}
