package io.smsreports.api.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's bearer tokens, known only by their SHA-256 hashes, each with a name and a {@link Role}.
 *
 * <p>Read from a tokens file ({@code SMS_API_TOKENS_FILE}), one token a line: {@code <name> <role> <sha256 hex>}
 * ({@code #} starts a comment). Tokens are added, rotated and revoked without a restart: at most once every
 * {@link #RECHECK_EVERY} (on the next request) the file is read again and compared by its content, not its modification
 * time, so a rewrite within the same second, or one that keeps the old time and size, is seen as well. A file that is
 * gone denies every token it held until it is back (logged once); a half-written or broken file keeps the tokens read
 * last. A presented token is hashed and compared with every stored hash in constant time ({@link MessageDigest#isEqual}),
 * so neither the match nor its position leaks through timing.
 */
public final class ApiTokens {

    private record Entry(String name, Role role, byte[] hash) {
    }

    /** How often, at most, the tokens file is read again: a revoked token stops working within this (plus one request). */
    public static final Duration RECHECK_EVERY = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(ApiTokens.class);
    private static final byte[] GONE = new byte[0];

    private final Path file;
    private final List<Entry> extra;
    private final LongSupplier nanoTime;
    private volatile List<Entry> entries;
    /** SHA-256 of the bytes {@link #entries} were last compared with ({@link #GONE} while the file is missing). */
    private volatile byte[] contentHash;
    private volatile long checkedAt;

    private ApiTokens(final Path file, final List<Entry> extra, final LongSupplier nanoTime) {
        this.file = file;
        this.extra = extra;
        this.nanoTime = nanoTime;
        if (file != null) {
            final byte[] content = read(file);
            if (content == null) {
                throw new UncheckedIOException("Cannot read the API tokens file " + file + ": it does not exist",
                        new NoSuchFileException(file.toString()));
            }
            this.entries = parse(file, content);
            this.contentHash = sha256(content);
        } else {
            this.entries = List.of();
        }
        this.checkedAt = nanoTime.getAsLong();
    }

    /**
     * Tokens from a file, plus optionally one more token given in clear (the embedded mode's admin token).
     *
     * @throws IllegalArgumentException naming the file and line of a malformed entry
     */
    public static ApiTokens of(final Path file, final Principal extraPrincipal, final String extraToken) {
        final List<Entry> extra = extraToken == null ? List.of()
                : List.of(new Entry(extraPrincipal.name(), extraPrincipal.role(), sha256(extraToken)));
        if (file == null && extra.isEmpty()) {
            throw new IllegalArgumentException("no API token is configured: set SMS_API_TOKENS_FILE");
        }
        return new ApiTokens(file, extra, System::nanoTime);
    }

    /** As {@link #of(Path, Principal, String)}, with the clock the recheck interval is measured on (tests). */
    static ApiTokens of(final Path file, final LongSupplier nanoTime) {
        return new ApiTokens(file, List.of(), nanoTime);
    }

    /** The principal a bearer token belongs to, if it is one of ours. */
    public Optional<Principal> authenticate(final String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        reloadIfChanged();
        final byte[] presented = sha256(token);
        Principal found = null;
        for (final List<Entry> list : List.of(extra, entries)) {
            for (final Entry entry : list) {
                // No early exit: every stored hash is compared, whatever matches.
                if (MessageDigest.isEqual(presented, entry.hash()) && found == null) {
                    found = new Principal(entry.name(), entry.role());
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** A new random token: 32 bytes from a {@link SecureRandom}, base64url. */
    public static String newToken() {
        final byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The hex SHA-256 of a token, as the tokens file holds it. */
    public static String hash(final String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private void reloadIfChanged() {
        if (file == null || nanoTime.getAsLong() - checkedAt < RECHECK_EVERY.toNanos()) {
            return;
        }
        synchronized (this) {
            final long now = nanoTime.getAsLong();
            if (now - checkedAt < RECHECK_EVERY.toNanos()) {
                return;
            }
            checkedAt = now;
            final byte[] content;
            try {
                content = read(file);
            } catch (UncheckedIOException e) {
                LOG.warn("Keeping the previous API tokens: {}", e.getMessage()); // read again at the next recheck
                return;
            }
            if (content == null) {
                if (contentHash != GONE) {
                    LOG.error("The API tokens file {} is gone: every token it held is refused until it is back", file);
                    entries = List.of();
                    contentHash = GONE;
                }
                return;
            }
            final byte[] hash = sha256(content);
            if (MessageDigest.isEqual(hash, contentHash)) {
                return;
            }
            final boolean wasGone = contentHash == GONE;
            try {
                entries = parse(file, content);
                if (wasGone) {
                    LOG.warn("The API tokens file {} is back: its tokens are accepted again", file);
                }
            } catch (IllegalArgumentException e) {
                // A half-written or broken file: keep the tokens we had (none if it was gone) until it changes again.
                LOG.warn(wasGone ? "The API tokens file {} is back but cannot be read, every token is still refused: {}"
                        : "Keeping the previous API tokens of {}: {}", file, e.getMessage());
            }
            contentHash = hash;
        }
    }

    /** The file's bytes, or null when it does not exist. */
    private static byte[] read(final Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the API tokens file " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<Entry> parse(final Path file, final byte[] content) {
        final List<String> lines = new String(content, StandardCharsets.UTF_8).lines().toList();
        final List<Entry> loaded = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final String[] fields = line.split("\\s+");
            if (fields.length != 3 || !fields[2].matches("(?i)(sha256:)?[0-9a-f]{64}")) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected '<name> <role> <sha256 hex of the token>'");
            }
            final Role role;
            try {
                role = Role.parse(fields[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
            loaded.add(new Entry(fields[0], role, HexFormat.of().parseHex(fields[2].replaceFirst("(?i)^sha256:", "").toLowerCase())));
        }
        return List.copyOf(loaded);
    }

    private static byte[] sha256(final String token) {
        return sha256(token.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(final byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
