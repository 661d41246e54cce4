package io.smsreports.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsreports.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The engine alone: what it keeps is enough to carry on after a restart, it waits for every input task's clock, and the
 * rules' configuration is validated. (The rules themselves are tested through the topology: {@code AlertRulesTest}.)
 */
class AlertEngineTest {

    private static final long T0 = 29_893_440L; // an epoch minute
    private static final Scope CAMPAIGN = Scope.campaign("m-1");

    /** What the alert task's stores would hold. */
    private static final class Stores implements AlertEngine.Sink {
        final Map<String, AlertCounts> buckets = new TreeMap<>();
        final Map<String, Alert> alerts = new TreeMap<>();
        final List<Alert> changes = new ArrayList<>();

        @Override
        public void bucket(final Scope scope, final long minute, final AlertCounts counts) {
            buckets.put(scope.kind() + "\0" + scope.key() + "\0" + minute, counts.copy());
        }

        @Override
        public void bucketRemoved(final Scope scope, final long minute) {
            buckets.remove(scope.kind() + "\0" + scope.key() + "\0" + minute);
        }

        @Override
        public void alert(final Alert alert) {
            alerts.put(alert.alertId(), alert);
            changes.add(alert);
        }

        AlertEngine restore(final AlertRules rules, final long evaluated, final long clock) {
            final AlertEngine engine = new AlertEngine(rules, 1);
            engine.restoreEvaluatedThrough(evaluated);
            engine.restoreClock(0, clock);
            buckets.forEach((key, counts) -> {
                final String[] parts = key.split("\0");
                engine.restoreBucket(new Scope(Scope.Kind.valueOf(parts[0]), parts[1]), Long.parseLong(parts[2]), counts.copy());
            });
            alerts.values().forEach(engine::restoreOpen);
            return engine;
        }
    }

    /** Minute {@code m}: 10 finals, {@code delivered} of them delivered; the task's clock 47 s into the minute. */
    private static AlertDelta minute(final int m, final int delivered) {
        final AlertCounts counts = new AlertCounts();
        for (int i = 0; i < 10; i++) {
            counts.dispatch();
            counts.fin(i < delivered, "ERR1", 1_500, 1_000);
        }
        return new AlertDelta(0, (T0 + m) * 60_000 + 47_000, List.of(new AlertDelta.Item(CAMPAIGN, T0 + m, counts)));
    }

    private static List<AlertDelta> scenario() {
        final List<AlertDelta> deltas = new ArrayList<>();
        for (int m = 0; m < 200; m++) {
            deltas.add(minute(m, m >= 60 && m < 80 ? 3 : 9));
        }
        deltas.add(new AlertDelta(0, (T0 + 400) * 60_000, List.of()));
        return deltas;
    }

    @Test
    void carriesOnAfterARestartFromWhatItStoredWithoutRepeatingOrLosingAChange() {
        final Stores uninterrupted = new Stores();
        final AlertEngine engine = new AlertEngine(AlertRules.DEFAULTS, 1);
        scenario().forEach(d -> engine.accept(d, uninterrupted));
        assertThat(uninterrupted.changes).extracting(Alert::state).containsExactly(Alert.State.OPENED, Alert.State.RESOLVED);

        for (final int stopAfter : List.of(61, 70, 85, 120)) { // before, while and after the alert is open
            final Stores stores = new Stores();
            AlertEngine first = new AlertEngine(AlertRules.DEFAULTS, 1);
            final List<AlertDelta> deltas = scenario();
            for (int i = 0; i < stopAfter; i++) {
                first.accept(deltas.get(i), stores);
            }
            final AlertEngine second = stores.restore(AlertRules.DEFAULTS, first.evaluatedThrough(), deltas.get(stopAfter - 1).clock());
            for (int i = stopAfter; i < deltas.size(); i++) {
                second.accept(deltas.get(i), stores);
            }
            assertThat(stores.changes).as("stopped after %d", stopAfter).isEqualTo(uninterrupted.changes);
            assertThat(stores.buckets).as("buckets older than the baseline and window are dropped").hasSizeLessThanOrEqualTo(
                    (int) (AlertRules.DEFAULTS.retainedMinutes() + 1));
        }
    }

    @Test
    void judgesNothingUntilEveryInputTaskHasReportedItsClock() {
        final Stores stores = new Stores();
        final AlertEngine engine = new AlertEngine(AlertRules.DEFAULTS, 2);
        scenario().forEach(d -> engine.accept(d, stores));
        assertThat(stores.changes).as("task 1 never reported").isEmpty();
        assertThat(engine.judgeableMinute()).isEqualTo(AlertEngine.NOT_STARTED);
        engine.accept(new AlertDelta(1, (T0 + 70) * 60_000, List.of()), stores);
        assertThat(engine.judgeableMinute()).as("the slower task's clock, less the grace").isEqualTo(T0 + 68);
        assertThat(stores.changes).extracting(Alert::state).containsExactly(Alert.State.OPENED);
    }

    @Test
    void readsItsConfigurationAndNamesWhatIsWrong() {
        final AlertRules rules = AlertRules.parse("window=10m, minFinals=20, rateDrop=0.7, implausibleSpread=100ms", Settings::parseDuration);
        assertThat(rules.window()).isEqualTo(Duration.ofMinutes(10));
        assertThat(rules.minFinals()).isEqualTo(20);
        assertThat(rules.rateDrop()).isEqualTo(0.7);
        assertThat(rules.implausibleSpread()).isEqualTo(Duration.ofMillis(100));
        assertThat(rules.baseline()).isEqualTo(AlertRules.DEFAULTS.baseline());
        assertThat(AlertRules.parse(" ", Settings::parseDuration)).isEqualTo(AlertRules.DEFAULTS);
        assertThatThrownBy(() -> AlertRules.parse("windw=10m", Settings::parseDuration)).hasMessageContaining("unknown key(s) [windw]");
        assertThatThrownBy(() -> AlertRules.parse("window=90s", Settings::parseDuration)).hasMessageContaining("window must be a positive number of whole minutes");
        assertThatThrownBy(() -> AlertRules.parse("stall=soon", Settings::parseDuration)).hasMessageContaining("stall must be a duration");
        assertThat(AlertRules.parse("baseline=P2D", Settings::parseDuration).baseline()).isEqualTo(Duration.ofDays(2));
        assertThatThrownBy(() -> AlertRules.parse("rateDrop=1.5", Settings::parseDuration)).hasMessageContaining("rateDrop must be between 0 and 1");
        assertThatThrownBy(() -> AlertRules.parse("minFinals=many", Settings::parseDuration)).hasMessageContaining("minFinals must be a whole number");
        assertThatThrownBy(() -> AlertRules.parse("stall", Settings::parseDuration)).hasMessageContaining("expected key=value");
    }
}
