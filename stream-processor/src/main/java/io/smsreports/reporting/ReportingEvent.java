package io.smsreports.reporting;

import io.smsreports.events.Campaign;
import io.smsreports.lifecycle.Transition;

/** What the reporting side receives, keyed by messageId: an SMS's transition, or campaign metadata. */
public sealed interface ReportingEvent permits ReportingEvent.SmsChanged, ReportingEvent.Aggregated, ReportingEvent.CampaignUpdated, ReportingEvent.CampaignRemoved {

    /**
     * One SMS of the campaign changed: what versions before the two-phase aggregation wrote, one record per transition;
     * still read, so that an upgrade applies what its predecessor left on the repartition topic.
     */
    record SmsChanged(Transition transition) implements ReportingEvent {
    }

    /** What a batch of the campaign's transitions in one task adds (at most one per campaign, task and flush). */
    record Aggregated(CampaignDelta delta) implements ReportingEvent {
    }

    /** The campaign's metadata (the latest wins). */
    record CampaignUpdated(Campaign campaign) implements ReportingEvent {
    }

    /** A tombstone on the compacted campaigns topic: the metadata is gone, the counts stay. */
    record CampaignRemoved() implements ReportingEvent {
    }
}
