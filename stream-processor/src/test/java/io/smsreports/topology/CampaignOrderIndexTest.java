package io.smsreports.topology;

import static io.smsreports.topology.TopologyFixture.T0;
import static io.smsreports.topology.TopologyFixture.campaign;
import static io.smsreports.topology.TopologyFixture.dispatch;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.events.Campaign;
import io.smsreports.state.CampaignOrderKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The campaign list's order index: newest first, campaigns known only by their counts last, kept right on every change. */
class CampaignOrderIndexTest {

    private final TopologyFixture fx = new TopologyFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private List<String> order() {
        fx.settle();
        final KeyValueStore<Bytes, byte[]> store = fx.driver.getKeyValueStore(StoreNames.CAMPAIGN_ORDER);
        final List<String> ids = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> {
                if (kv.key.get().length >= 8) {
                    ids.add(CampaignOrderKeys.messageId(kv.key) + "@" + (CampaignOrderKeys.createdAt(kv.key) == CampaignOrderKeys.NO_METADATA
                            ? "-" : String.valueOf(CampaignOrderKeys.createdAt(kv.key) - T0.toEpochMilli())));
                }
            });
        }
        return ids;
    }

    private static Campaign createdAt(final String id, final Duration after) {
        return Campaign.newBuilder(campaign(id, 10)).setCreatedAt(T0.plus(after)).build();
    }

    @Test
    void shouldListNewestFirstAndCountsWithoutMetadataLast() {
        fx.pipe(createdAt("old", Duration.ZERO));
        fx.pipe(createdAt("new", Duration.ofHours(2)));
        fx.pipe(dispatch("s1", "anonymous", "web", T0)); // counts, no metadata (yet)
        assertThat(order()).containsExactly("new@7200000", "old@0", "anonymous@-");

        fx.pipe(createdAt("anonymous", Duration.ofHours(1))); // its metadata arrives: it moves into place, once
        assertThat(order()).containsExactly("new@7200000", "anonymous@3600000", "old@0");

        fx.pipe(createdAt("new", Duration.ofMinutes(30))); // createdAt corrected: the old position goes
        assertThat(order()).containsExactly("anonymous@3600000", "new@1800000", "old@0");

        fx.campaigns.pipeInput("anonymous", null, T0.plus(Duration.ofHours(3))); // tombstone: the counts stay, last
        assertThat(order()).containsExactly("new@1800000", "old@0", "anonymous@-");

        fx.campaigns.pipeInput("old", null, T0.plus(Duration.ofHours(3))); // no counts: gone from the list
        assertThat(order()).containsExactly("new@1800000", "anonymous@-");
    }
}
