/**
 * <b>Wiring layer</b>: operational bounds handed to Kafka Streams (RocksDB memory).
 */
package io.smsreports.ops;
