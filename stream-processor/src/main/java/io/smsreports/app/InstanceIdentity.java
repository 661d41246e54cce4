package io.smsreports.app;

import io.smsreports.config.ProcessorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The stable identity of an instance in its consumer group ({@code group.instance.id}, static membership): a
 * restart after a crash rejoins as the same member and gets its tasks back at once, instead of waiting for the
 * dead member's session to time out and two rebalances. Configured ({@code SMS_GROUP_INSTANCE_ID}), or created
 * once and kept in the state directory, so it belongs to the state it names: a new, empty state directory is a
 * new member.
 */
public final class InstanceIdentity {

    static final String FILE = "group-instance-id";

    private InstanceIdentity() {
    }

    public static String of(final ProcessorConfig config) {
        if (config.groupInstanceId() != null) {
            return config.groupInstanceId();
        }
        final Path file = config.stateDir().resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                final String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (stored.matches("[a-zA-Z0-9._-]{1,200}")) {
                    return stored;
                }
            }
            final String created = config.applicationId() + "-" + UUID.randomUUID().toString().substring(0, 13);
            Files.createDirectories(config.stateDir());
            final Path temporary = Files.createTempFile(config.stateDir(), FILE, ".tmp");
            Files.writeString(temporary, created + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the instance identity in " + file + ": " + e.getMessage(), e);
        }
    }
}
