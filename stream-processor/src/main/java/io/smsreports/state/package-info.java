/**
 * <b>Kafka layer</b>, lowest part: how domain values are stored. The state format ({@link
 * io.smsreports.state.StateSerdes}: Avro single-object encoding with schema resolution against every archived writer
 * schema in {@code state-schemas/}), the reader of the previous, hand-written format, and the byte layouts of ordered
 * keys (expiry index, campaign order, latency buckets). Depends on the domain only: never on {@code topology} or
 * {@code query}.
 */
package io.smsreports.state;
