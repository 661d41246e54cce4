package io.smsreports.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {

    @Test
    void shouldAuthenticateByHashAndKnowNameAndRole(@TempDir final Path dir) {
        final ApiTokens tokens = ApiTokens.of(TestTokens.file(dir), null, null);
        assertThat(tokens.authenticate(TestTokens.VIEWER)).contains(new Principal("dashboard", Role.VIEWER));
        assertThat(tokens.authenticate(TestTokens.ANALYST)).contains(new Principal("analyst-ann", Role.ANALYST));
        assertThat(tokens.authenticate(TestTokens.ADMIN)).contains(new Principal("ops-olga", Role.ADMIN));
        assertThat(tokens.authenticate(TestTokens.ADMIN + "x")).isEmpty();
        assertThat(tokens.authenticate("")).isEmpty();
        assertThat(tokens.authenticate(null)).isEmpty();
    }

    @Test
    void shouldKeepOnlyHashesNeverTheTokens(@TempDir final Path dir) throws Exception {
        final String text = Files.readString(TestTokens.file(dir), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain(TestTokens.ADMIN).contains(ApiTokens.hash(TestTokens.ADMIN));
    }

    @Test
    void shouldPickUpARotatedTokensFileWithoutARestart(@TempDir final Path dir) throws Exception {
        final Path file = TestTokens.file(dir);
        final ApiTokens tokens = ApiTokens.of(file, null, null);
        assertThat(tokens.authenticate(TestTokens.VIEWER)).isPresent();
        Files.writeString(file, "new-one viewer " + ApiTokens.hash("rotated-token-value") + "\n", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(tokens.authenticate("rotated-token-value")).contains(new Principal("new-one", Role.VIEWER));
        assertThat(tokens.authenticate(TestTokens.VIEWER)).as("revoked").isEmpty();
    }

    @Test
    void shouldRefuseAMalformedFileNamingTheLine(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("tokens");
        Files.writeString(file, "# ok\nalice admin " + ApiTokens.hash("a") + "\nbob superuser " + ApiTokens.hash("b") + "\n");
        assertThatThrownBy(() -> ApiTokens.of(file, null, null)).hasMessageContaining("line 3").hasMessageContaining("unknown role 'superuser'");
        Files.writeString(file, "carol viewer not-a-hash\n");
        assertThatThrownBy(() -> ApiTokens.of(file, null, null)).hasMessageContaining("line 1").hasMessageContaining("sha256");
    }

    @Test
    void shouldAcceptTheEmbeddedAdminTokenGivenInClear() {
        final String token = ApiTokens.newToken();
        assertThat(token).hasSizeGreaterThanOrEqualTo(43);
        final ApiTokens tokens = ApiTokens.of(null, new Principal("embedded-admin", Role.ADMIN), token);
        assertThat(tokens.authenticate(token)).contains(new Principal("embedded-admin", Role.ADMIN));
        assertThatThrownBy(() -> ApiTokens.of(null, null, null)).hasMessageContaining("SMS_API_TOKENS_FILE");
    }

    @Test
    void shouldOrderRoles() {
        assertThat(Role.ADMIN.includes(Role.ANALYST)).isTrue();
        assertThat(Role.ANALYST.includes(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.includes(Role.ANALYST)).isFalse();
        assertThat(Role.ANALYST.includes(Role.ADMIN)).isFalse();
    }
}
