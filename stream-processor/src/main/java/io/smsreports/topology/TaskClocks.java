package io.smsreports.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;

/**
 * Each SMS task's lifecycle clock, as its lifecycle processor last set it, for the processor after it in the same task
 * (which sends it to the alerts as the task's watermark). Written and read by the task's own stream thread.
 */
final class TaskClocks {

    /** One task's clock. */
    static final class Clock {
        private long now = Long.MIN_VALUE;

        void set(final long time) {
            now = time;
        }

        long now() {
            return now;
        }
    }

    private final Map<TaskId, Clock> clocks = new ConcurrentHashMap<>();

    Clock of(final TaskId task) {
        return clocks.computeIfAbsent(task, t -> new Clock());
    }
}
