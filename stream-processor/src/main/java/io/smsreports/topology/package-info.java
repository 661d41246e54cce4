/**
 * <b>Kafka layer</b>: the Kafka Streams topology ({@link io.smsreports.topology.SmsReportsTopology}), its processors
 * (decode, lifecycle, the two phases of the campaign aggregation), store names, key layouts of the person history,
 * ingestion serdes, metrics and the pipeline monitor. Depends on {@code state} and the domain layer.
 */
package io.smsreports.topology;
