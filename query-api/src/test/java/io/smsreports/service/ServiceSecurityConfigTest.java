package io.smsreports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsreports.api.auth.TestTokens;
import io.smsreports.config.ConfigException;
import io.smsreports.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API never runs open: without tokens, or without the cluster secret, the service refuses to start and says what to set. */
class ServiceSecurityConfigTest {

    @Test
    void shouldRefuseToStartWithoutApiTokens() {
        final ServiceConfig config = ServiceConfig.from(Settings.of(Map.of(ServiceConfig.SMS_HTTP_PORT, "0",
                ServiceConfig.SMS_CLUSTER_SECRET, TestTokens.CLUSTER_SECRET)));
        assertThatThrownBy(() -> SmsReportsService.start(config)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SMS_API_TOKENS_FILE").hasMessageContaining("does not run open");
    }

    @Test
    void shouldRefuseToStartWithoutAClusterSecret(@TempDir final Path dir) {
        final ServiceConfig config = ServiceConfig.from(Settings.of(Map.of(ServiceConfig.SMS_HTTP_PORT, "0",
                ServiceConfig.SMS_API_TOKENS_FILE, TestTokens.file(dir).toString())));
        assertThatThrownBy(() -> SmsReportsService.start(config)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SMS_CLUSTER_SECRET");
    }

    @Test
    void shouldNameAnUnreadableTokensFileAndAShortSecret(@TempDir final Path dir) {
        assertThatThrownBy(() -> ServiceConfig.from(Settings.of(Map.of(ServiceConfig.SMS_API_TOKENS_FILE, dir.resolve("missing").toString(),
                ServiceConfig.SMS_CLUSTER_SECRET, "short"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SMS_API_TOKENS_FILE: cannot read")
                .hasMessageContaining("SMS_CLUSTER_SECRET must be at least 16 characters");
    }

    @Test
    void shouldReadTheClusterSecretFromAMountedFile(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("cluster-secret");
        java.nio.file.Files.writeString(file, TestTokens.CLUSTER_SECRET + "\n");
        assertThat(ServiceConfig.from(Settings.of(Map.of(ServiceConfig.SMS_CLUSTER_SECRET_FILE, file.toString()))).clusterSecret())
                .isEqualTo(TestTokens.CLUSTER_SECRET);
    }

    @Test
    void shouldGiveTheEmbeddedModeItsOwnSecretUnlessOneIsSet() {
        final ServiceConfig config = ServiceConfig.from(Settings.of(Map.of()))
                .withEmbeddedSecurity("embedded-admin-token-value-0123456789", "embedded-cluster-secret-0123456789");
        assertThat(config.clusterSecret()).isEqualTo("embedded-cluster-secret-0123456789");
        assertThat(ServiceConfig.from(Settings.of(Map.of(ServiceConfig.SMS_CLUSTER_SECRET, TestTokens.CLUSTER_SECRET)))
                .withEmbeddedSecurity("t", "embedded-cluster-secret-0123456789").clusterSecret()).as("a set secret wins")
                .isEqualTo(TestTokens.CLUSTER_SECRET);
        assertThat(config.adminToken()).isEqualTo("embedded-admin-token-value-0123456789");
    }
}
