package io.smsreports.api.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The API's bearer tokens, known only by their SHA-256 hashes, each with a name and a {@link Role}.
 *
 * <p>Read from a tokens file ({@code SMS_API_TOKENS_FILE}), one token a line: {@code <name> <role> <sha256 hex>}
 * ({@code #} starts a comment). The file is read again when it changes, so tokens are added, rotated and revoked
 * without a restart. A presented token is hashed and compared with every stored hash in constant time
 * ({@link MessageDigest#isEqual}), so neither the match nor its position leaks through timing.
 */
public final class ApiTokens {

    private record Entry(String name, Role role, byte[] hash) {
    }

    private final Path file;
    private final List<Entry> extra;
    private volatile List<Entry> entries;
    private volatile FileTime loadedAt;

    private ApiTokens(final Path file, final List<Entry> extra) {
        this.file = file;
        this.extra = extra;
        this.entries = file == null ? List.of() : load(file);
        this.loadedAt = file == null ? null : modified(file);
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
        return new ApiTokens(file, extra);
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
        if (file == null) {
            return;
        }
        final FileTime now = modified(file);
        if (now != null && !now.equals(loadedAt)) {
            synchronized (this) {
                if (!now.equals(loadedAt)) {
                    try {
                        entries = load(file);
                    } catch (IllegalArgumentException | UncheckedIOException e) {
                        // A half-written or broken file: keep the tokens we had until it is fixed.
                        org.slf4j.LoggerFactory.getLogger(ApiTokens.class).warn("Keeping the previous API tokens: {}", e.getMessage());
                    }
                    loadedAt = now;
                }
            }
        }
    }

    private static List<Entry> load(final Path file) {
        final List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the API tokens file " + file + ": " + e.getMessage(), e);
        }
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

    private static FileTime modified(final Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] sha256(final String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
