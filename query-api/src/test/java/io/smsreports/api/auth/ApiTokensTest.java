package io.smsreports.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

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
    void shouldPickUpARotatedTokensFileWithinTheRecheckInterval(@TempDir final Path dir) throws Exception {
        final Path file = TestTokens.file(dir);
        final AtomicLong clock = new AtomicLong();
        final ApiTokens tokens = ApiTokens.of(file, clock::get);
        assertThat(tokens.authenticate(TestTokens.VIEWER)).isPresent();
        Files.writeString(file, "new-one viewer " + ApiTokens.hash("rotated-token-value") + "\n", StandardCharsets.UTF_8);
        clock.addAndGet(ApiTokens.RECHECK_EVERY.toNanos());
        assertThat(tokens.authenticate("rotated-token-value")).contains(new Principal("new-one", Role.VIEWER));
        assertThat(tokens.authenticate(TestTokens.VIEWER)).as("revoked").isEmpty();
    }

    @Test
    void shouldSeeARevocationThatKeepsTheFilesTimeAndSize(@TempDir final Path dir) throws Exception {
        final Path file = TestTokens.file(dir);
        final FileTime written = Files.getLastModifiedTime(file);
        final long size = Files.size(file);
        final AtomicLong clock = new AtomicLong();
        final ApiTokens tokens = ApiTokens.of(file, clock::get);
        assertThat(tokens.authenticate(TestTokens.ANALYST)).isPresent();
        // Rewritten within the same second, the analyst's hash swapped for another of the same length, the time put back.
        Files.writeString(file, Files.readString(file).replace(ApiTokens.hash(TestTokens.ANALYST), ApiTokens.hash("successor")));
        Files.setLastModifiedTime(file, written);
        assertThat(Files.size(file)).isEqualTo(size);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(written);

        clock.addAndGet(ApiTokens.RECHECK_EVERY.toNanos() - 1);
        assertThat(tokens.authenticate(TestTokens.ANALYST)).as("read at most once a recheck interval").isPresent();
        clock.addAndGet(1);
        assertThat(tokens.authenticate(TestTokens.ANALYST)).as("revoked").isEmpty();
        assertThat(tokens.authenticate("successor")).contains(new Principal("analyst-ann", Role.ANALYST));
        assertThat(tokens.authenticate(TestTokens.VIEWER)).isPresent();
    }

    @Test
    void shouldRefuseEveryTokenOfADeletedFileSayingSoOnceUntilItIsBack(@TempDir final Path dir) throws Exception {
        final Path file = TestTokens.file(dir);
        final String content = Files.readString(file);
        final AtomicLong clock = new AtomicLong();
        final ApiTokens tokens = ApiTokens.of(file, clock::get);
        final ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        final Logger logger = (Logger) LoggerFactory.getLogger(ApiTokens.class);
        logger.addAppender(log);
        try {
            assertThat(tokens.authenticate(TestTokens.ADMIN)).isPresent();
            Files.delete(file);
            for (int i = 0; i < 3; i++) {
                clock.addAndGet(ApiTokens.RECHECK_EVERY.toNanos());
                assertThat(tokens.authenticate(TestTokens.ADMIN)).isEmpty();
                assertThat(tokens.authenticate(TestTokens.VIEWER)).isEmpty();
            }
            assertThat(log.list).filteredOn(e -> e.getLevel() == Level.ERROR).singleElement()
                    .extracting(ILoggingEvent::getFormattedMessage).asString()
                    .contains(file.toString()).contains("gone").contains("refused");

            Files.writeString(file, "broken\n");
            clock.addAndGet(ApiTokens.RECHECK_EVERY.toNanos());
            assertThat(tokens.authenticate(TestTokens.ADMIN)).as("back but broken: still nothing to accept").isEmpty();

            Files.writeString(file, content);
            clock.addAndGet(ApiTokens.RECHECK_EVERY.toNanos());
            assertThat(tokens.authenticate(TestTokens.ADMIN)).contains(new Principal("ops-olga", Role.ADMIN));
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).anyMatch(m -> m.contains("is back"));
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void shouldKeepThePreviousTokensWhileTheFileIsBroken(@TempDir final Path dir) throws Exception {
        final Path file = TestTokens.file(dir);
        final AtomicLong clock = new AtomicLong();
        final ApiTokens tokens = ApiTokens.of(file, clock::get);
        Files.writeString(file, "dashboard viewer " + ApiTokens.hash(TestTokens.VIEWER).substring(0, 20) + "\n");
        clock.addAndGet(ApiTokens.RECHECK_EVERY.toNanos());
        assertThat(tokens.authenticate(TestTokens.ADMIN)).as("a half-written file changes nothing").isPresent();
        Files.writeString(file, "dashboard viewer " + ApiTokens.hash(TestTokens.VIEWER) + "\n");
        clock.addAndGet(ApiTokens.RECHECK_EVERY.toNanos());
        assertThat(tokens.authenticate(TestTokens.ADMIN)).as("revoked once the file is whole").isEmpty();
        assertThat(tokens.authenticate(TestTokens.VIEWER)).isPresent();
    }

    @Test
    void shouldRefuseToStartWithoutItsTokensFile(@TempDir final Path dir) {
        assertThatThrownBy(() -> ApiTokens.of(dir.resolve("missing"), null, null))
                .hasMessageContaining("Cannot read the API tokens file").hasMessageContaining("missing").hasMessageContaining("does not exist");
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
