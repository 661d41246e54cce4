/**
 * Delivery alerts (DESIGN "Alerts"): per scope (a campaign, a provider, an operator) one-minute buckets of dispatches
 * and final receipts by event time, and the rules that open and resolve an alert over them. Pure domain: no Kafka.
 *
 * <p>{@link io.smsreports.alerting.AlertCounts} are what the SMS tasks add up per scope and minute
 * ({@link io.smsreports.alerting.AlertDelta}); {@link io.smsreports.alerting.AlertEngine} holds the buckets of every
 * scope, evaluates each minute once the event-time watermark has passed it, and says which alerts open or resolve.
 * Everything is a function of the buckets and the watermark, so a replay of the same input yields the same alerts.
 */
package io.smsreports.alerting;
