package io.smsreports.config;

import io.smsreports.lifecycle.Tariffs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tariffs of {@code SMS_TARIFFS_FILE} (rule 15), read again when the file changes (looked at no more than every
 * {@value #CHECK_EVERY_MS} ms, by whoever asks). A reload is atomic: the new tariffs replace the old ones whole, and a
 * file that cannot be read or parsed is rejected with a clear error in the log while the tariffs in use stay.
 */
public final class TariffsFile implements Supplier<Tariffs> {

    private static final Logger LOG = LoggerFactory.getLogger(TariffsFile.class);
    static final long CHECK_EVERY_MS = 5_000;

    private final Path file;
    private volatile Tariffs current;
    private volatile FileTime loadedVersion;
    private volatile long checkedAt;

    private TariffsFile(final Path file, final Tariffs tariffs, final FileTime version) {
        this.file = file;
        this.current = tariffs;
        this.loadedVersion = version;
        this.checkedAt = System.currentTimeMillis();
    }

    /**
     * Reads the file once.
     *
     * @throws IllegalArgumentException saying what is wrong with it (missing, unreadable, or which lines are bad)
     */
    public static TariffsFile load(final Path file) {
        try {
            final FileTime version = Files.getLastModifiedTime(file);
            return new TariffsFile(file, parse(file), version);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Tariffs get() {
        final long now = System.currentTimeMillis();
        if (now - checkedAt >= CHECK_EVERY_MS) {
            checkedAt = now;
            reloadIfChanged();
        }
        return current;
    }

    /** Reads the file again if it changed since it was last read; keeps the tariffs in use when it cannot. */
    synchronized void reloadIfChanged() {
        try {
            final FileTime version = Files.getLastModifiedTime(file);
            if (version.equals(loadedVersion)) {
                return;
            }
            final Tariffs next = parse(file);
            current = next;
            loadedVersion = version;
            LOG.info("Tariffs reloaded from {}: {} tariff(s)", file, next.size());
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("The tariffs file {} is rejected, the {} tariff(s) read before stay in use: {}", file, current.size(), e.getMessage());
        }
    }

    private static Tariffs parse(final Path file) throws IOException {
        return Tariffs.parse(Files.readString(file, StandardCharsets.UTF_8));
    }
}
