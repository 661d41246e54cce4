package io.smsreports.api.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** API tokens for tests: one per role, in a tokens file as operators write it, and a cluster secret. */
public final class TestTokens {

    public static final String VIEWER = "viewer-token-0123456789abcdef";
    public static final String ANALYST = "analyst-token-0123456789abcdef";
    public static final String ADMIN = "admin-token-0123456789abcdef";
    public static final String CLUSTER_SECRET = "cluster-secret-0123456789abcdef";

    private TestTokens() {
    }

    /** Writes the tokens file into {@code dir} and returns it. */
    public static Path file(final Path dir) {
        final Path file = dir.resolve("api-tokens");
        try {
            Files.createDirectories(dir);
            Files.writeString(file, "# name role sha256\n"
                    + "dashboard viewer " + ApiTokens.hash(VIEWER) + "\n"
                    + "analyst-ann analyst " + ApiTokens.hash(ANALYST) + "\n"
                    + "ops-olga admin sha256:" + ApiTokens.hash(ADMIN) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** {@code SMS_API_TOKENS_FILE} and {@code SMS_CLUSTER_SECRET} for a service, the tokens file written into {@code dir}. */
    public static Map<String, String> settings(final Path dir) {
        return Map.of("SMS_API_TOKENS_FILE", file(dir).toString(), "SMS_CLUSTER_SECRET", CLUSTER_SECRET);
    }

    public static String bearer(final String token) {
        return "Bearer " + token;
    }
}
