package io.smsreports.topology;

import static io.smsreports.topology.TopologyFixture.T0;
import static io.smsreports.topology.TopologyFixture.dispatch;
import static io.smsreports.topology.TopologyFixture.receipt;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.events.ReceiptStatus;
import io.smsreports.registry.CompatibilityLevel;
import io.smsreports.registry.RegisteredSchema;
import io.smsreports.registry.RegistryUnavailableException;
import io.smsreports.registry.SchemaRegistryClient;
import io.smsreports.reporting.PlatformCounts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DESIGN, Faults, "transient is not poison": while the schema registry cannot answer, valid records are held in
 * order (not dead-lettered, not skipped, not counted yet) and processed once it answers; only what cannot be decoded
 * while it answers goes to the dead-letter topic.
 */
class RegistryOutageTest {

    /** The pipeline's registry client, which an outage makes throw what the REST client throws after its retries. */
    static final class SwitchableRegistry implements SchemaRegistryClient {
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicBoolean registrationsDown = new AtomicBoolean();
        final AtomicInteger refusedCalls = new AtomicInteger();
        private final SchemaRegistryClient delegate;

        SwitchableRegistry(final SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        private void check() {
            if (down.get()) {
                refusedCalls.incrementAndGet();
                throw new RegistryUnavailableException("Schema registry unavailable at [http://127.0.0.1:1] after 4 attempt(s): "
                        + "connection refused (ConnectException)", 0, null);
            }
        }

        @Override public int register(final String subject, final Schema schema) {
            if (registrationsDown.get()) {
                refusedCalls.incrementAndGet();
                throw new RegistryUnavailableException("Schema registry unavailable: HTTP 503", 503, null);
            }
            check();
            return delegate.register(subject, schema);
        }
        @Override public int getId(final String subject, final Schema schema) { check(); return delegate.getId(subject, schema); }
        @Override public Schema getSchemaById(final int id) { check(); return delegate.getSchemaById(id); }
        @Override public RegisteredSchema getLatestSchema(final String subject) { check(); return delegate.getLatestSchema(subject); }
        @Override public boolean testCompatibility(final String subject, final Schema schema) { check(); return delegate.testCompatibility(subject, schema); }
        @Override public List<String> getSubjects() { check(); return delegate.getSubjects(); }
        @Override public List<Integer> getVersions(final String subject) { check(); return delegate.getVersions(subject); }
        @Override public CompatibilityLevel getCompatibility(final String subject) { check(); return delegate.getCompatibility(subject); }
        @Override public void setCompatibility(final String subject, final CompatibilityLevel level) { check(); delegate.setCompatibility(subject, level); }
        @Override public void close() { delegate.close(); }
    }

    // Held records survive restarts and crashes (their store is changelogged with the offsets): proved on real brokers
    // by FaultInjectionIntegrationTest, since TopologyTestDriver wipes its state directory on close.
    private SwitchableRegistry registry;
    private final TopologyFixture fx = new TopologyFixture(TopologyFixture.settings(), T0, client -> {
        registry = new SwitchableRegistry(client);
        return registry;
    }, "outage-" + UUID.randomUUID(), null);

    @AfterEach
    void close() {
        fx.close();
    }

    /** Fires the decode retry punctuation often enough to get past any backoff. */
    private void retryFor(final Duration duration) {
        for (Duration done = Duration.ZERO; done.compareTo(duration) < 0; done = done.plus(DecodeProcessor.RETRY_TICK)) {
            fx.driver.advanceWallClockTime(DecodeProcessor.RETRY_TICK);
        }
    }

    @Test
    void shouldHoldValidRecordsInOrderWhileTheRegistryIsDownAndCountThemExactlyWhenItAnswers() {
        registry.down.set(true);
        fx.pipe(dispatch("s1", "m", "ios", T0));
        fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, T0.plusSeconds(5), T0.plusSeconds(6)));
        fx.pipe(receipt("s1", ReceiptStatus.UNDELIVERABLE, T0.plusSeconds(7), T0.plusSeconds(8))); // a later final: changes nothing
        fx.pipe(dispatch("s2", "m", "android", T0.plusSeconds(1)));
        fx.pipe(receipt("s2", ReceiptStatus.EXPIRED, T0.plusSeconds(9), T0.plusSeconds(10)));
        retryFor(Duration.ofSeconds(30));

        assertThat(fx.deadLetters.isEmpty()).as("nothing dead-lettered during the outage").isTrue();
        assertThat(fx.totals("m")).as("nothing counted yet: held, not skipped").isEqualTo(PlatformCounts.ZERO);
        assertThat(fx.monitor.decodeStalls().problem()).contains("connection refused").contains("5 record(s) held");
        assertThat(registry.refusedCalls.get()).as("retried with backoff, not once per tick").isBetween(4, 150);

        registry.down.set(false);
        retryFor(Duration.ofSeconds(6));

        assertThat(fx.deadLetters.isEmpty()).isTrue();
        final PlatformCounts totals = fx.totals("m");
        assertThat(totals.sent()).isEqualTo(2);
        assertThat(totals.delivered()).as("first final wins, so order was kept").isEqualTo(1);
        assertThat(totals.failed()).isEqualTo(1);
        assertThat(fx.drainDelivered()).extracting(kv -> kv.key).containsExactly("s1");
        assertThat(fx.monitor.decodeStalls().problem()).isNull();
        assertThat(fx.monitor.decodeStalls().transitions()).as("one pause, one resume").isEqualTo(2);
    }

    @Test
    void shouldHoldSmsInputsUntilTheOutputSchemaCanBeRegisteredInsteadOfFailingOnTheFirstSmsDelivered() {
        registry.registrationsDown.set(true); // reads work, registering sms.delivered-value does not
        fx.pipe(dispatch("s1", "m", "ios", T0));
        fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, T0.plusSeconds(5), T0.plusSeconds(6)));
        retryFor(Duration.ofSeconds(3));
        assertThat(fx.totals("m").sent()).isZero();
        assertThat(fx.monitor.decodeStalls().problem()).contains("HTTP 503");

        registry.registrationsDown.set(false);
        retryFor(Duration.ofSeconds(6));
        assertThat(fx.totals("m").delivered()).isEqualTo(1);
        assertThat(fx.drainDelivered()).extracting(kv -> kv.key).containsExactly("s1");
        assertThat(fx.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldKeepHoldingRecordsThatArriveAfterTheFirstHeldOneEvenIfTheirSchemaIsCached() {
        fx.pipe(dispatch("s0", "m", "ios", T0)); // dispatch schema cached
        registry.down.set(true);
        fx.pipe(receipt("s0", ReceiptStatus.DELIVERED, T0.plusSeconds(1), T0.plusSeconds(2))); // receipt schema: not cached
        fx.pipe(receipt("s0", ReceiptStatus.REJECTED, T0.plusSeconds(3), T0.plusSeconds(4)));
        assertThat(fx.totals("m").delivered() + fx.totals("m").failed()).isZero();
        registry.down.set(false);
        retryFor(Duration.ofSeconds(1));
        assertThat(fx.totals("m").delivered()).as("the DELIVERED receipt came first and still wins").isEqualTo(1);
        assertThat(fx.totals("m").failed()).isZero();
    }

    @Test
    void shouldDeadLetterPoisonHeldBehindAnOutageWithItsOwnOriginOnceTheRegistryAnswers() {
        registry.down.set(true);
        fx.pipe(dispatch("s1", "m", "ios", T0));
        fx.rawDispatches.pipeInput(new TestRecord<>("s2".getBytes(StandardCharsets.UTF_8), "{\"json\":1}".getBytes(StandardCharsets.UTF_8),
                T0.plusSeconds(1)));
        retryFor(Duration.ofSeconds(2));
        assertThat(fx.deadLetters.isEmpty()).as("even poison waits its turn: order is kept").isTrue();

        registry.down.set(false);
        retryFor(Duration.ofSeconds(6));
        final List<TestRecord<byte[], byte[]>> dead = fx.deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), DeadLetterHeaders.OFFSET)).as("the offset it was read at").isEqualTo("1");
        assertThat(header(dead.get(0), DeadLetterHeaders.MESSAGE)).contains("Unknown magic byte");
        assertThat(fx.totals("m").sent()).isEqualTo(1);
    }

    private static String header(final TestRecord<byte[], byte[]> record, final String name) {
        final Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
