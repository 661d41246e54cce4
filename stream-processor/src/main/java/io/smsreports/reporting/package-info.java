/**
 * <b>Domain layer</b> (no Kafka): what the reports add up. Campaign counts per platform and reconciliation, hourly
 * buckets (rules 8-9), the latency histogram, failed and delivered rows, people, and {@link
 * io.smsreports.reporting.CampaignDelta}: what one task&#39;s batch of transitions adds to a campaign (the first phase of
 * the two-phase aggregation). Depends on {@code lifecycle} (transitions), never the other way.
 */
package io.smsreports.reporting;
