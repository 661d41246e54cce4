package io.smsreports.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The embedded mode's data directory: {@code kafka/} (the broker's log), {@code registry/} (the dev schema
 * registry's journal), {@code streams/} (the state stores) and a marker file naming it as SMS Reports'.
 * A directory that holds something else is refused with a message, never reused or overwritten.
 */
public final class DataDirectory {

    static final String MARKER = "sms-reports.properties";
    /** The embedded mode's admin API token. */
    public static final String ADMIN_TOKEN = "admin-token";
    /** The admin token's hash as a tokens file, for other instances. */
    public static final String API_TOKENS = "api-tokens";
    /** The embedded mode's cluster secret, for other instances. */
    public static final String CLUSTER_SECRET = "cluster-secret";
    static final String FORMAT = "1";

    private final Path root;

    private DataDirectory(final Path root) {
        this.root = root;
    }

    /**
     * Opens (creating when absent or empty) a data directory.
     *
     * @throws IllegalStateException when the directory is not SMS Reports' or cannot be used
     */
    public static DataDirectory open(final Path path) {
        final Path root = path.toAbsolutePath().normalize();
        try {
            if (Files.exists(root) && !Files.isDirectory(root)) {
                throw new IllegalStateException(root + " is a file, not a directory: choose another --data-dir.");
            }
            final Path marker = root.resolve(MARKER);
            if (Files.isDirectory(root) && !Files.exists(marker)) {
                try (Stream<Path> entries = Files.list(root)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalStateException(root + " is not empty and is not an SMS Reports data directory (it has no "
                                + MARKER + "). Choose an empty or new --data-dir, or move its content away.");
                    }
                }
            }
            Files.createDirectories(root);
            if (!Files.isWritable(root)) {
                throw new IllegalStateException(root + " is not writable: choose another --data-dir.");
            }
            if (Files.exists(marker)) {
                final Properties properties = new Properties();
                try (InputStream in = Files.newInputStream(marker)) {
                    properties.load(in);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(marker + " is damaged (" + e.getMessage() + "). Delete " + root + " to start afresh.", e);
                }
                if (!FORMAT.equals(properties.getProperty("format"))) {
                    throw new IllegalStateException(marker + " has format '" + properties.getProperty("format") + "', this build "
                            + "reads format " + FORMAT + ": the directory was written by another version. Choose another --data-dir.");
                }
            } else {
                final Properties properties = new Properties();
                properties.setProperty("format", FORMAT);
                properties.setProperty("created", Instant.now().toString());
                try (OutputStream out = Files.newOutputStream(marker)) {
                    properties.store(out, "SMS Reports embedded-mode data directory");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot use the data directory " + root + ": " + e.getMessage(), e);
        }
        return new DataDirectory(root);
    }

    public Path root() {
        return root;
    }

    public Path kafka() {
        return root;
    }

    public Path registryJournal() {
        return root.resolve("registry").resolve("schemas.jsonl");
    }

    public Path streams() {
        return root.resolve("streams");
    }

    /**
     * The embedded mode's admin API token: created on first use (a random 256-bit token, readable by the owner only,
     * mode 600 where the file system has POSIX permissions) and the same on every later start.
     */
    public String adminToken() {
        final String token = secret(ADMIN_TOKEN);
        // Its hash as a tokens file, for a second instance started against this one (SMS_API_TOKENS_FILE).
        writeOwnerOnly(root.resolve(API_TOKENS), "# The embedded mode's admin token (data/admin-token), hashed: give this file to other "
                + "instances as SMS_API_TOKENS_FILE.\nembedded-admin admin " + io.smsreports.api.auth.ApiTokens.hash(token) + "\n");
        return token;
    }

    /**
     * The embedded mode's cluster secret (internal routes between instances): created on first use, kept like the admin
     * token; a second instance started against this one needs it as {@code SMS_CLUSTER_SECRET}.
     */
    public String clusterSecret() {
        return secret(CLUSTER_SECRET);
    }

    /** A random secret kept in a file of the owner's alone: created on first use, the same afterwards. */
    private String secret(final String name) {
        final Path file = root.resolve(name);
        try {
            if (Files.isRegularFile(file)) {
                final String stored = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).strip();
                if (stored.length() >= 32) {
                    return stored;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        final String value = io.smsreports.api.auth.ApiTokens.newToken();
        writeOwnerOnly(file, value + "\n");
        return value;
    }

    /** Writes a file readable and writable by its owner only (mode 600 where the file system has POSIX permissions). */
    private static void writeOwnerOnly(final Path file, final String text) {
        try {
            final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            try {
                Files.createFile(temporary, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(temporary); // not a POSIX file system
            }
            Files.writeString(temporary, text, java.nio.charset.StandardCharsets.UTF_8);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public Path demo() {
        return root.resolve("demo");
    }
}
