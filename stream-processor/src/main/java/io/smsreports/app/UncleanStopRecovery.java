package io.smsreports.app;

import io.smsreports.config.ProcessorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts an instance whose last run did not stop cleanly (SIGKILL, a crash, a power cut) from an empty local state, restored
 * from the changelogs, instead of handing Kafka Streams the task directories it left.
 *
 * <p>Why: under exactly-once, Kafka Streams 4.4 marks every such task corrupted at start-up ("did not find checkpoint offsets
 * while stores are not empty") and wipes and restores it anyway. But in {@code KillRestartIntegrationTest} under load (a
 * busy core), after that start-up recovery some tasks never received their input again: RUNNING, ready, their committed
 * offsets far behind the end, nothing consumed for five minutes (3 of 4 runs on 2026-12-05, while 1 of 3 partitions went on).
 * Removing the task directories before Kafka Streams starts leaves it nothing to recover at start-up: every task is
 * created new and restored from its changelog, the path every task assignment takes. The cost is a full restore, which
 * the corruption path does too for every store it finds without committed offsets.
 *
 * <p>A marker file beside the state directory says a run is in progress; a clean stop removes it. The instance identity
 * (static membership) and Kafka Streams' process id live outside the task directories and are kept, so the restarted
 * instance still rejoins as the same member and fences its predecessor's transactions at once.
 */
final class UncleanStopRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(UncleanStopRecovery.class);
    private static final Pattern TASK_DIRECTORY = Pattern.compile("\\d+_\\d+");

    private final Path marker;
    private final Path applicationDirectory;

    UncleanStopRecovery(final ProcessorConfig config) {
        this.applicationDirectory = config.stateDir().resolve(config.applicationId());
        this.marker = config.stateDir().resolve(config.applicationId() + ".running");
    }

    /** Before Kafka Streams is built: removes the task directories if the last run did not stop cleanly. */
    void beforeStart() {
        if (!Files.exists(marker)) {
            return;
        }
        final List<Path> tasks = taskDirectories();
        LOG.warn("The last run of this instance did not stop cleanly: its local state of {} task(s) is removed and restored "
                + "from the changelogs (exactly-once would mark each of them corrupted at start-up and restore it anyway)", tasks.size());
        for (final Path task : tasks) {
            deleteRecursively(task);
        }
    }

    /** Once Kafka Streams runs: a run is in progress until {@link #stoppedCleanly()}. */
    void started() {
        try {
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + marker + ": " + e.getMessage(), e);
        }
    }

    /** After Kafka Streams closed cleanly (its stores flushed and checkpointed). */
    void stoppedCleanly() {
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            LOG.warn("Cannot remove {}: the next start restores every store from its changelog ({})", marker, e.getMessage());
        }
    }

    private List<Path> taskDirectories() {
        if (!Files.isDirectory(applicationDirectory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(applicationDirectory)) {
            return new ArrayList<>(entries.filter(Files::isDirectory)
                    .filter(p -> TASK_DIRECTORY.matcher(p.getFileName().toString()).matches()).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + applicationDirectory + ": " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(final Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + root + ": " + e.getMessage(), e);
        }
    }
}
