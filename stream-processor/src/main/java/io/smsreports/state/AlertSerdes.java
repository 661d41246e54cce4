package io.smsreports.state;

import io.smsreports.alerting.Alert;
import io.smsreports.alerting.AlertCounts;
import io.smsreports.alerting.AlertDelta;
import io.smsreports.alerting.Scope;
import io.smsreports.state.avro.StoredAlert;
import io.smsreports.state.avro.StoredAlertCounts;
import io.smsreports.state.avro.StoredAlertDelta;
import io.smsreports.state.avro.StoredAlertItem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;

/**
 * The serdes of the alerts' internal records and stores (Avro, archived like every stored schema), and the key layout of
 * the bucket store: {@code kind NUL key NUL minute(8 bytes, big-endian, sign bit flipped)}, so a scope's buckets are
 * contiguous and in time order.
 */
public final class AlertSerdes {

    private AlertSerdes() {
    }

    public static final Serde<AlertDelta> ALERT_DELTA = new AvroStateSerde<>(StoredAlertDelta.getClassSchema(), AlertSerdes::toAvro,
            AlertSerdes::fromAvro, null);

    public static final Serde<AlertCounts> ALERT_COUNTS = new AvroStateSerde<>(StoredAlertCounts.getClassSchema(), AlertSerdes::toAvro,
            AlertSerdes::fromAvro, null);

    public static final Serde<Alert> ALERT = new AvroStateSerde<>(StoredAlert.getClassSchema(), AlertSerdes::toAvro,
            AlertSerdes::fromAvro, null);

    static List<org.apache.avro.Schema> storedSchemas() {
        return List.of(StoredAlertDelta.getClassSchema(), StoredAlertCounts.getClassSchema(), StoredAlert.getClassSchema());
    }

    // ---- bucket keys ----

    public static Bytes bucketKey(final Scope scope, final long minute) {
        final byte[] kind = scope.kind().name().getBytes(StandardCharsets.UTF_8);
        final byte[] key = scope.key().getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(kind.length + 1 + key.length + 1 + Long.BYTES).put(kind).put((byte) 0).put(key)
                .put((byte) 0).putLong(minute ^ Long.MIN_VALUE).array());
    }

    public static Scope scopeOf(final Bytes bucketKey) {
        final byte[] b = bucketKey.get();
        int nul = 0;
        while (b[nul] != 0) {
            nul++;
        }
        final Scope.Kind kind = Scope.Kind.valueOf(new String(b, 0, nul, StandardCharsets.UTF_8));
        return new Scope(kind, new String(b, nul + 1, b.length - Long.BYTES - 1 - (nul + 1), StandardCharsets.UTF_8));
    }

    public static long minuteOf(final Bytes bucketKey) {
        final byte[] b = bucketKey.get();
        return ByteBuffer.wrap(b, b.length - Long.BYTES, Long.BYTES).getLong() ^ Long.MIN_VALUE;
    }

    // ---- mapping ----

    static StoredAlertDelta toAvro(final AlertDelta d) {
        return new StoredAlertDelta(d.source(), d.clock(), d.items().stream().map(i -> new StoredAlertItem(i.scope().kind().name(),
                i.scope().key(), i.minute(), toAvro(i.counts()))).toList());
    }

    static AlertDelta fromAvro(final StoredAlertDelta d) {
        return new AlertDelta(d.getSource(), d.getClock(), d.getItems().stream().map(i -> new AlertDelta.Item(
                new Scope(kind(i.getKind()), i.getKey()), i.getMinute(), fromAvro(i.getCounts()))).toList());
    }

    static StoredAlertCounts toAvro(final AlertCounts c) {
        return new StoredAlertCounts(c.dispatched(), c.finals(), c.delivered(), c.failed(), c.fastDelivered(), c.fastLatencySum(),
                c.fastLatencySumSq(), new HashMap<>(c.failedByCode()));
    }

    static AlertCounts fromAvro(final StoredAlertCounts c) {
        final Map<String, Long> byCode = new HashMap<>();
        c.getFailedByCode().forEach((code, n) -> byCode.put(code.toString(), n));
        return new AlertCounts(c.getDispatched(), c.getFinals(), c.getDelivered(), c.getFailed(), c.getFastDelivered(),
                c.getFastLatencySum(), c.getFastLatencySumSq(), byCode);
    }

    static StoredAlert toAvro(final Alert a) {
        return new StoredAlert(a.alertId(), a.state().name(), a.rule().name(), a.scope().kind().name(), a.scope().key(), a.errorCode(),
                a.observed(), a.baseline(), a.windowMs(), a.openedAt(), a.resolvedAt(), a.message());
    }

    static Alert fromAvro(final StoredAlert a) {
        try {
            return new Alert(a.getAlertId(), Alert.State.valueOf(a.getState()), Alert.Rule.valueOf(a.getRule()),
                    new Scope(kind(a.getKind()), a.getKey()), a.getErrorCode(), a.getObserved(), a.getBaseline(), a.getWindowMs(),
                    a.getOpenedAt(), a.getResolvedAt(), a.getMessage());
        } catch (IllegalArgumentException e) {
            throw new SerializationException("Unknown alert state or rule in " + a.getAlertId(), e);
        }
    }

    private static Scope.Kind kind(final String name) {
        try {
            return Scope.Kind.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("Unknown alert scope kind '" + name + "'", e);
        }
    }
}
