/**
 * <b>Kafka layer</b>, read side: the one facade the query API reads through ({@link io.smsreports.query.ReportReader}
 * for this instance&#39;s state, {@link io.smsreports.query.Cluster} for who owns what). Returns domain records; store names,
 * key layouts and task counters stay behind it. State it cannot reach now is a {@link
 * io.smsreports.query.StateUnavailableException} (transient: 503, never 500).
 */
package io.smsreports.query;
