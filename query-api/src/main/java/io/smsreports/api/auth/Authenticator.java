package io.smsreports.api.auth;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;

/**
 * Checks every matched request against the route's {@link Access} before its handler runs: 401 without a valid
 * credential, 403 when the token's role is too low, both in the API's JSON error shape. A route without an entry in
 * the policy is refused (fail closed); {@code RouteAccessTest} makes sure every route has one.
 *
 * <p>User routes take {@code Authorization: Bearer <token>}; the internal routes between instances take only the
 * cluster secret ({@value #CLUSTER_SECRET_HEADER}), so a user token, whatever its role, never reaches them.
 */
public final class Authenticator {

    public static final String CLUSTER_SECRET_HEADER = "X-SmsReports-Cluster-Secret";
    /** The request attribute holding the authenticated {@link Principal}. */
    public static final String PRINCIPAL = "sms-reports.principal";

    private final Map<String, Access> policy;
    private final ApiTokens tokens;
    private final byte[] clusterSecret;

    public Authenticator(final Map<String, Access> policy, final ApiTokens tokens, final String clusterSecret) {
        this.policy = Map.copyOf(policy);
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.clusterSecret = Objects.requireNonNull(clusterSecret, "clusterSecret").getBytes(StandardCharsets.UTF_8);
    }

    /** The Javalin {@code beforeMatched} handler. */
    public void check(final Context ctx, final String routeTemplate) {
        final Access access = policy.get(routeTemplate);
        if (access == null) {
            throw new AccessDenied(403, "forbidden", "This route has no access policy and is closed");
        }
        switch (access) {
            case PUBLIC -> {
                return;
            }
            case CLUSTER -> {
                final String presented = ctx.header(CLUSTER_SECRET_HEADER);
                if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), clusterSecret)) {
                    throw new AccessDenied(401, "unauthorized", "Internal route: only other instances of this service may call it");
                }
                return;
            }
            default -> {
                final Principal principal = authenticate(ctx);
                if (!principal.role().includes(access.role())) {
                    throw new AccessDenied(403, "forbidden", "This needs the " + access.role().label() + " role; the token '"
                            + principal.name() + "' has the " + principal.role().label() + " role");
                }
                ctx.attribute(PRINCIPAL, principal);
            }
        }
    }

    private Principal authenticate(final Context ctx) {
        final String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"sms-reports\"");
            throw new AccessDenied(401, "unauthorized", "Send an API token: Authorization: Bearer <token>");
        }
        return tokens.authenticate(header.substring(7).trim()).orElseThrow(() -> {
            ctx.header("WWW-Authenticate", "Bearer realm=\"sms-reports\", error=\"invalid_token\"");
            return new AccessDenied(401, "unauthorized", "The API token is not valid (unknown, revoked or mistyped)");
        });
    }

    /** Whether a request carries the cluster secret (it comes from another instance of this service). */
    public boolean fromCluster(final Context ctx) {
        final String presented = ctx.header(CLUSTER_SECRET_HEADER);
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), clusterSecret);
    }

    /** The principal of an authenticated request. */
    public static Principal principal(final Context ctx) {
        return ctx.attribute(PRINCIPAL);
    }
}
