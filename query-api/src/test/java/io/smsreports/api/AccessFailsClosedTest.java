package io.smsreports.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.http.HandlerType;
import io.smsreports.api.auth.AccessDenied;
import io.smsreports.api.auth.ApiTokens;
import io.smsreports.api.auth.Authenticator;
import io.smsreports.api.auth.TestTokens;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A request whose route is not known is refused, not let through unchecked (DESIGN, Security: fail closed). */
class AccessFailsClosedTest {

    @Test
    void shouldRefuseARequestWhoseRouteIsUnknown(@TempDir final Path dir) {
        final Authenticator auth = new Authenticator(QueryApi.POLICY, ApiTokens.of(TestTokens.file(dir), null, null), TestTokens.CLUSTER_SECRET);
        // No context is needed to refuse: an unknown route is closed before any credential is looked at.
        assertThatThrownBy(() -> auth.check(null, ApiErrors.UNMATCHED)).isInstanceOfSatisfying(AccessDenied.class,
                denied -> assertThat(denied.status()).isEqualTo(403));
    }

    @Test
    void shouldLetOnlyTheDashboardsStaticFilesPassWithoutARoute() {
        assertThat(QueryApi.isDashboardFile(HandlerType.GET, "/")).isTrue();
        assertThat(QueryApi.isDashboardFile(HandlerType.GET, "/index.html")).isTrue();
        assertThat(QueryApi.isDashboardFile(HandlerType.HEAD, "/index.html")).isTrue();
        assertThat(QueryApi.isDashboardFile(HandlerType.POST, "/index.html")).isFalse();
        assertThat(QueryApi.isDashboardFile(HandlerType.GET, "/api/v1/people")).isFalse();
        assertThat(QueryApi.isDashboardFile(HandlerType.GET, "/api/v1/campaigns/m-1/failed/export")).isFalse();
        assertThat(QueryApi.isDashboardFile(HandlerType.GET, "/internal/v1/people")).isFalse();
        assertThat(QueryApi.isDashboardFile(HandlerType.GET, "/metrics")).as("a route with a policy of its own").isFalse();
    }
}
