package io.smsreports.reporting;

import io.smsreports.events.Campaign;
import io.smsreports.lifecycle.Transition;

/** What the reporting side receives, keyed by messageId: an SMS's transition, or campaign metadata. */
public sealed interface ReportingEvent permits ReportingEvent.SmsChanged, ReportingEvent.CampaignUpdated, ReportingEvent.CampaignRemoved {

    /** One SMS of the campaign changed. */
    record SmsChanged(Transition transition) implements ReportingEvent {
    }

    /** The campaign's metadata (the latest wins). */
    record CampaignUpdated(Campaign campaign) implements ReportingEvent {
    }

    /** A tombstone on the compacted campaigns topic: the metadata is gone, the counts stay. */
    record CampaignRemoved() implements ReportingEvent {
    }
}
