package io.smsreports.api;

import com.fasterxml.jackson.core.type.TypeReference;
import io.javalin.http.Context;
import io.smsreports.api.auth.Authenticator;
import io.smsreports.api.dto.CampaignReport;
import io.smsreports.privacy.PersonalData;
import io.smsreports.query.CampaignOrder;
import io.smsreports.query.Cluster;
import io.smsreports.query.PersonHit;
import io.smsreports.query.ReportReader;
import io.smsreports.reporting.PersonMessage;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances of the service as one: who owns a campaign (Kafka Streams' metadata), forwarding a request to that
 * owner (once, bounded, with the caller's token and address), and fanning a list out to every instance and back. The
 * shape of {@code MetadataService} in Confluent's interactive-queries examples; the resources stay free of it.
 */
public final class Federation {

    private static final Logger LOG = LoggerFactory.getLogger(Federation.class);

    private final Cluster cluster;
    private final InstanceClient client;
    private final LocalReports local;
    private final Authenticator auth;

    Federation(final Cluster cluster, final InstanceClient client, final LocalReports local, final Authenticator auth) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.client = Objects.requireNonNull(client, "client");
        this.local = Objects.requireNonNull(local, "local");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    /** Answers from local state when this instance owns the campaign, else relays the owner's answer. */
    void routed(final Context ctx, final LocalAnswer answer) throws Exception {
        routedBy(ctx, ctx.pathParam("messageId"), answer);
    }

    void routedBy(final Context ctx, final String messageId, final LocalAnswer answer) throws Exception {
        routedTo(ctx, cluster.ownerOfCampaign(messageId), "Campaign '" + messageId + "'", answer);
    }

    /** Answers from the alert task's store here when this instance runs it, else relays its owner's answer. */
    void routedToAlerts(final Context ctx, final LocalAnswer answer) throws Exception {
        routedTo(ctx, cluster.ownerOfAlerts(), "The alerts' state", answer);
    }

    private void routedTo(final Context ctx, final HostInfo owner, final String what, final LocalAnswer answer) throws Exception {
        if (cluster.isSelf(owner)) {
            answer.run();
            return;
        }
        if (ctx.header(InstanceClient.FORWARDED_HEADER) != null) {
            // Ownership moved between the two instances' views of the cluster: do not forward again.
            throw ApiException.unavailable(what + " is moving between instances (rebalance); retry");
        }
        final String pathAndQuery = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        final HttpResponse<InputStream> response = client.forward(owner, pathAndQuery, ctx.header("Authorization"), clientAddress(ctx));
        ctx.status(response.statusCode());
        for (final String header : List.of("Content-Type", "Content-Disposition", "Retry-After")) {
            response.headers().firstValue(header).ifPresent(value -> ctx.header(header, value));
        }
        try (InputStream body = response.body()) {
            body.transferTo(ctx.outputStream());
        }
    }

    /** Something an owner answers from its own state. */
    @FunctionalInterface
    interface LocalAnswer {
        void run() throws Exception;
    }

    /** This instance's part and every other instance's part of a list, or 503 naming the instance that failed. */
    <T> List<T> fanOut(final String internalPathAndQuery, final TypeReference<T> type, final Supplier<T> localPart) {
        final List<HostInfo> hosts = cluster.instances();
        final Map<HostInfo, CompletableFuture<T>> remote = new LinkedHashMap<>();
        for (final HostInfo host : hosts) {
            if (!cluster.isSelf(host)) {
                remote.put(host, client.getJson(host, internalPathAndQuery, type));
            }
        }
        final List<T> parts = new ArrayList<>(hosts.size());
        parts.add(localPart.get());
        for (final Map.Entry<HostInfo, CompletableFuture<T>> entry : remote.entrySet()) {
            try {
                parts.add(entry.getValue().join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof ApiException api) {
                    throw api.status() == 404 ? api : ApiException.unavailable(api.getMessage());
                }
                throw ApiException.unavailable("Instance " + entry.getKey() + " failed: " + e.getCause());
            }
        }
        return parts;
    }

    PersonHit lookup(final String key) {
        PersonHit latest = null;
        for (final List<PersonHit> part : fanOut(QueryApi.INTERNAL + "/people?key=" + encode(key), new TypeReference<List<PersonHit>>() { },
                () -> optional(local.person(key)))) {
            for (final PersonHit hit : part) {
                if (latest == null || hit.day() > latest.day()) {
                    latest = hit;
                }
            }
        }
        return latest;
    }

    List<PersonMessage> messagesOf(final String personId, final Instant from, final Instant to) {
        final String query = QueryApi.INTERNAL + "/people/" + encode(personId) + "/messages?from=" + from + "&to=" + to;
        return fanOut(query, new TypeReference<List<PersonMessage>>() { }, () -> local.personMessages(personId, from, to))
                .stream().flatMap(List::stream).collect(Collectors.toList());
    }

    /** The replies of the person with this msisdn person id (rule 17), from every instance. */
    List<io.smsreports.replies.PersonReply> repliesOf(final String msisdnPersonId, final Instant from, final Instant to) {
        final String query = QueryApi.INTERNAL + "/people/" + encode(msisdnPersonId) + "/replies?from=" + from + "&to=" + to;
        return fanOut(query, new TypeReference<List<io.smsreports.replies.PersonReply>>() { },
                () -> local.personReplies(msisdnPersonId, from, to)).stream().flatMap(List::stream).collect(Collectors.toList());
    }

    /** The whole application's progress: every instance's lifecycle tasks (the freshness of every report). */
    ReportReader.Progress progress() {
        ReportReader.Progress all = new ReportReader.Progress(null, 0);
        for (final ReportReader.Progress part : fanOut(QueryApi.INTERNAL + "/progress", new TypeReference<ReportReader.Progress>() { },
                local::progress)) {
            all = all.plus(part);
        }
        return all;
    }

    /**
     * The route scorecard over [from, to) from every instance's route partitions, or 503 unless the parts read every
     * partition exactly once (a part missing or read twice while partitions move would be a wrong figure).
     */
    io.smsreports.api.dto.Routes routes(final Instant from, final Instant to) {
        final List<ReportReader.RouteRows> parts = fanOut(QueryApi.INTERNAL + "/routes?from=" + from + "&to=" + to,
                new TypeReference<ReportReader.RouteRows>() { }, () -> local.routeRows(from, to));
        final java.util.Set<Integer> read = new java.util.TreeSet<>();
        for (final ReportReader.RouteRows part : parts) {
            for (final int partition : part.partitions()) {
                if (!read.add(partition)) {
                    throw ApiException.unavailable("Route partition " + partition + " is moving between instances (rebalance); retry");
                }
            }
        }
        final java.util.Set<Integer> all = local.routePartitions();
        if (all.isEmpty() || !read.containsAll(all)) {
            throw ApiException.unavailable("Route partitions " + all + " not all answered (read " + read + "): a rebalance is under way; retry");
        }
        return local.routes(from, to, parts);
    }

    /** This instance's part of the route scorecard, for the instance that assembles it. */
    ReportReader.RouteRows localRouteRows(final Instant from, final Instant to) {
        return local.routeRows(from, to);
    }

    /** Names of campaigns, asked of each campaign's owner. */
    Map<String, String> campaignNames(final List<String> messageIds) {
        final Map<HostInfo, List<String>> byOwner = new HashMap<>();
        for (final String id : messageIds) {
            byOwner.computeIfAbsent(cluster.ownerOfCampaign(id), h -> new ArrayList<>()).add(id);
        }
        final Map<String, String> names = new TreeMap<>();
        final List<CompletableFuture<Map<String, String>>> remote = new ArrayList<>();
        byOwner.forEach((host, ids) -> {
            if (cluster.isSelf(host)) {
                names.putAll(local.campaignNames(ids));
            } else {
                remote.add(client.getJson(host, QueryApi.INTERNAL + "/campaign-names?ids=" + encode(String.join(",", ids)),
                        new TypeReference<Map<String, String>>() { }));
            }
        });
        for (final CompletableFuture<Map<String, String>> part : remote) {
            try {
                names.putAll(part.join());
            } catch (CompletionException e) {
                LOG.debug("Campaign names unavailable from an instance: {}", PersonalData.mask(e.getCause().getMessage()));
            }
        }
        return names;
    }

    /** This instance's part of the campaign list: none when it runs no reporting task (more instances than partitions). */
    List<CampaignReport> localCampaignsPage(final CampaignOrder after, final int limit) {
        return local.holdsCampaigns() ? local.campaignsPage(after, limit) : List.of();
    }

    /** The caller's address; for a request another instance forwarded (cluster secret), the address it saw. */
    String clientAddress(final Context ctx) {
        final String forwardedFor = ctx.header(InstanceClient.CLIENT_HEADER);
        return forwardedFor != null && auth.fromCluster(ctx) ? forwardedFor : ctx.ip();
    }

    static <T> List<T> optional(final T value) {
        return value == null ? List.of() : List.of(value);
    }

    static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
