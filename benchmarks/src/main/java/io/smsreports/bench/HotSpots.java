package io.smsreports.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes a JFR recording's execution samples: the hottest methods (self time), the share of samples per
 * thread family (stream thread, broker, clients...), and the frames of our own code that appear most often
 * on the sampled stacks (inclusive), which are the ones we can act on.
 */
final class HotSpots {

    private HotSpots() {
    }

    static String summarize(final Path recording, final int top) throws IOException {
        final Map<String, Long> self = new HashMap<>();
        final Map<String, Long> ours = new HashMap<>();
        final Map<String, Long> threads = new HashMap<>();
        long samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                final RecordedEvent event = file.readEvent();
                final String type = event.getEventType().getName();
                if (!type.equals("jdk.ExecutionSample")) {
                    continue;
                }
                final RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                final List<RecordedFrame> frames = stack.getFrames();
                self.merge(name(frames.get(0)), 1L, Long::sum);
                final Set<String> seen = new HashSet<>();
                for (final RecordedFrame frame : frames) {
                    final String name = name(frame);
                    if (name.startsWith("io.smsreports.") && seen.add(name)) {
                        ours.merge(name, 1L, Long::sum);
                    }
                }
                final var thread = event.getThread("sampledThread");
                threads.merge(family(thread == null ? "?" : thread.getJavaName()), 1L, Long::sum);
            }
        }
        final long total = samples;
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%,d execution samples.%n%n", total));
        out.append("| thread family | share of samples |\n| --- | ---: |\n");
        sorted(threads, 10).forEach((k, v) -> out.append("| ").append(k).append(" | ").append(percent(v, total)).append(" |\n"));
        out.append("\n| hottest methods (self) | share |\n| --- | ---: |\n");
        sorted(self, top).forEach((k, v) -> out.append("| `").append(k).append("` | ").append(percent(v, total)).append(" |\n"));
        out.append("\n| our code on the stack (inclusive) | share |\n| --- | ---: |\n");
        sorted(ours, top).forEach((k, v) -> out.append("| `").append(k).append("` | ").append(percent(v, total)).append(" |\n"));
        return out.toString();
    }

    private static String name(final RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String family(final String thread) {
        if (thread.contains("StreamThread")) {
            return "Kafka Streams stream thread";
        }
        if (thread.contains("producer-network-thread")) {
            return "producer I/O threads";
        }
        if (thread.startsWith("data-plane-kafka-request-handler") || thread.startsWith("data-plane-kafka-network-thread")
                || thread.startsWith("kafka-") || thread.contains("ReplicaFetcher") || thread.contains("log-cleaner")
                || thread.startsWith("quorum") || thread.startsWith("broker-") || thread.contains("controller")
                || thread.contains("group-coordinator") || thread.contains("transaction")) {
            return "Kafka broker";
        }
        if (thread.startsWith("JettyServerThreadPool") || thread.startsWith("qtp") || thread.contains("HttpClient")) {
            return "HTTP (API and client)";
        }
        if (thread.contains("main") || thread.startsWith("load")) {
            return "load generator / harness";
        }
        return "other (" + thread.replaceAll("[-_]?\\d+$", "") + ")";
    }

    private static Map<String, Long> sorted(final Map<String, Long> counts, final int limit) {
        final Map<String, Long> result = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    private static String percent(final long part, final long total) {
        return String.format(Locale.ROOT, "%.1f %%", total == 0 ? 0 : 100.0 * part / total);
    }
}
