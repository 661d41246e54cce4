/**
 * <b>Domain layer</b> (bottom; no Kafka, depends only on the event schemas): the life of one SMS. The counting rules
 * 1-7 and 10 ({@link io.smsreports.lifecycle.SmsLifecycle}), rule 12 ({@link io.smsreports.lifecycle.TimeGuard}), the
 * lifecycle clock, and the values they work on (dispatch, final receipt, state, transition).
 *
 * <pre>
 *   app, config, ops                    (wiring: configuration, the Kafka Streams instance)
 *        │
 *   query ──► topology ──► state        (Kafka layer: read facade, processors, stores, serdes, metrics)
 *        │        │          │
 *        └────────┴──────────┴──► reporting ──► lifecycle   privacy   (domain layer: pure rules and values)
 *                                 alerting ──┘
 * </pre>
 * Arrows point down only; {@code LayeringTest} fails on any other.
 */
package io.smsreports.lifecycle;
