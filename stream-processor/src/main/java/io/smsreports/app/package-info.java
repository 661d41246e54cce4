/**
 * <b>Wiring layer</b> (top): the Kafka Streams instance and its lifecycle (start, bounded stop, static membership),
 * topic checks, and the headless processor application.
 */
package io.smsreports.app;
