package io.smsreports.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Checks that a directory can hold the embedded broker's data before the broker touches it: empty or
 * absent (it will be formatted), or formatted by an embedded broker before (it is reused). Anything else
 * is refused with a message that says what was found, so that a wrong {@code --data-dir} never becomes a
 * stack trace or, worse, silently mixes data.
 */
final class KafkaDataDirectory {

    static final String META_PROPERTIES = "meta.properties";

    private KafkaDataDirectory() {
    }

    static void check(final Path logDirectory) {
        check(logDirectory, 1);
    }

    static void check(final Path logDirectory, final int expectedNodeId) {
        if (!Files.exists(logDirectory)) {
            return;
        }
        if (!Files.isDirectory(logDirectory)) {
            throw new IllegalStateException(logDirectory + " is a file, not a directory: it cannot hold Kafka data.");
        }
        if (!Files.isWritable(logDirectory)) {
            throw new IllegalStateException(logDirectory + " is not writable: the embedded Kafka broker needs to write its data there.");
        }
        final Path meta = logDirectory.resolve(META_PROPERTIES);
        if (!Files.exists(meta)) {
            try (Stream<Path> entries = Files.list(logDirectory)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException(logDirectory + " holds files but no " + META_PROPERTIES + ": it is not a Kafka "
                            + "data directory written by SMS Reports (or it is damaged). Point the data directory elsewhere, or "
                            + "delete it to start afresh.");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + logDirectory, e);
            }
            return;
        }
        final Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(meta + " cannot be read (" + e.getMessage() + "): the Kafka data directory is damaged. "
                    + "Delete " + logDirectory.getParent() + " to start afresh.", e);
        }
        final String clusterId = properties.getProperty("cluster.id");
        final String nodeId = properties.getProperty("node.id");
        final String version = properties.getProperty("version");
        if (clusterId == null || nodeId == null || !"1".equals(version)) {
            throw new IllegalStateException(meta + " is not a KRaft broker's (version=" + version + ", cluster.id=" + clusterId
                    + ", node.id=" + nodeId + "): the Kafka data directory is damaged or comes from another installation. "
                    + "Delete " + logDirectory.getParent() + " to start afresh.");
        }
        if (!String.valueOf(expectedNodeId).equals(nodeId.trim())) {
            throw new IllegalStateException(meta + " belongs to Kafka node " + nodeId + ", not to the embedded broker (node "
                    + expectedNodeId + "): "
                    + "this data directory comes from another Kafka installation. Point the data directory elsewhere.");
        }
    }
}
