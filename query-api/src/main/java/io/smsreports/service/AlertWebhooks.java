package io.smsreports.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smsreports.events.DeliveryAlert;
import io.smsreports.serde.SpecificAvroDeserializer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the alerts of {@code sms.alerts} to the configured webhooks, at least once and in the topic's order (one
 * partition: in order per scope, and overall). Each webhook has its own consumer group and thread, so a receiver that is
 * down holds back only its own alerts, never the pipeline, the API or another webhook. An alert's offset is committed
 * once the receiver answered 2xx; until then it is retried with exponential backoff and jitter (from 250 ms up to
 * {@code SMS_ALERT_WEBHOOK_MAX_BACKOFF}), however long the outage: the consumer keeps polling its paused partition
 * meanwhile, so it stays in its group. A repeat after a crash or a group change carries the same idempotency key
 * ({@code alertId:state}, header {@code X-SMS-Reports-Idempotency-Key}) for the receiver to drop it. A 4xx answer other
 * than 408 and 429 is the receiver refusing that payload: logged at ERROR, counted, and not retried.
 *
 * <p>Metric: {@code sms_alert_webhook_attempts_total{webhook, outcome}} with outcome delivered, failed (to be retried) or
 * rejected.
 */
final class AlertWebhooks implements AutoCloseable {

    static final String SIGNATURE_HEADER = "X-SMS-Reports-Signature";
    static final String IDEMPOTENCY_HEADER = "X-SMS-Reports-Idempotency-Key";
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(AlertWebhooks.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Delivery> deliveries = new ArrayList<>();

    private AlertWebhooks() {
    }

    /** Starts one delivery thread per webhook (none when {@code webhooks} is empty). */
    static AlertWebhooks start(final List<AlertWebhook> webhooks, final Duration maxBackoff, final Map<String, Object> kafkaConfig,
            final Map<String, Object> registryConfig, final String topic, final String applicationId, final MeterRegistry metrics) {
        final AlertWebhooks all = new AlertWebhooks();
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        for (final AlertWebhook webhook : webhooks) {
            final Delivery delivery = new Delivery(webhook, maxBackoff, kafkaConfig, registryConfig, topic,
                    applicationId + "-alert-webhook-" + webhook.name(), http, metrics);
            all.deliveries.add(delivery);
            delivery.thread.start();
            LOG.info("Delivering alerts of {} to webhook {} ({}, {})", topic, webhook.name(), webhook.format(), webhook.safeUrl());
        }
        return all;
    }

    /**
     * Stops every delivery thread, waiting at most 5 s in all (the service's stop is bounded): a thread still in an HTTP
     * request finishes it and closes its consumer on its own; the alert it delivers is committed or delivered again by the
     * next start.
     */
    @Override
    public void close() {
        deliveries.forEach(Delivery::stop);
        final long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (final Delivery delivery : deliveries) {
            try {
                delivery.thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The JSON body a webhook of {@code format} is sent for {@code alert}. */
    static byte[] body(final AlertWebhook.Format format, final DeliveryAlert alert) {
        final ObjectNode body = JSON.createObjectNode();
        if (format == AlertWebhook.Format.SLACK) {
            final String icon = alert.getState().name().equals("OPENED") ? ":rotating_light:" : ":white_check_mark:";
            body.put("text", icon + " SMS Reports alert " + alert.getState().name().toLowerCase(java.util.Locale.ROOT) + ": "
                    + alert.getRule() + " on " + alert.getScope() + " " + alert.getKey() + " — " + alert.getMessage());
        } else {
            body.put("idempotencyKey", idempotencyKey(alert));
            body.put("alertId", alert.getAlertId());
            body.put("state", alert.getState().name());
            body.put("rule", alert.getRule());
            body.put("scope", alert.getScope());
            body.put("key", alert.getKey());
            body.put("errorCode", alert.getErrorCode());
            body.put("observed", alert.getObserved());
            body.put("baseline", alert.getBaseline());
            body.put("windowMs", alert.getWindowMs());
            body.put("openedAt", alert.getOpenedAt().toString());
            body.put("resolvedAt", alert.getResolvedAt() == null ? null : alert.getResolvedAt().toString());
            body.put("message", alert.getMessage());
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String idempotencyKey(final DeliveryAlert alert) {
        return alert.getAlertId() + ":" + alert.getState().name();
    }

    /** {@code sha256=<lower-case hex of HMAC-SHA256(secret, body)>}. */
    static String signature(final byte[] secret, final byte[] body) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** One webhook's consumer and thread. */
    private static final class Delivery {
        private final AlertWebhook webhook;
        private final Duration maxBackoff;
        private final Map<String, Object> consumerConfig;
        private final SpecificAvroDeserializer<DeliveryAlert> decoder = new SpecificAvroDeserializer<>(DeliveryAlert.class);
        private final String topic;
        private final HttpClient http;
        private final Counter delivered;
        private final Counter failed;
        private final Counter rejected;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicBoolean revoked = new AtomicBoolean();
        private final Thread thread;
        private volatile KafkaConsumer<String, byte[]> consumer;

        Delivery(final AlertWebhook webhook, final Duration maxBackoff, final Map<String, Object> kafkaConfig,
                final Map<String, Object> registryConfig, final String topic, final String groupId, final HttpClient http,
                final MeterRegistry metrics) {
            this.webhook = webhook;
            this.maxBackoff = maxBackoff;
            this.topic = topic;
            this.http = http;
            final Map<String, Object> decoderConfig = new HashMap<>(registryConfig);
            decoder.configure(decoderConfig, false);
            consumerConfig = new HashMap<>(kafkaConfig);
            consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, webhook.fromEarliest() ? "earliest" : "latest");
            consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
            consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
            delivered = attempts(metrics, "delivered");
            failed = attempts(metrics, "failed");
            rejected = attempts(metrics, "rejected");
            thread = new Thread(this::run, "alert-webhook-" + webhook.name());
            thread.setDaemon(true);
        }

        private Counter attempts(final MeterRegistry metrics, final String outcome) {
            return Counter.builder("sms.alert.webhook.attempts").tag("webhook", webhook.name()).tag("outcome", outcome)
                    .description("Deliveries of alerts to a webhook: delivered (2xx), failed (retried) or rejected (4xx, not retried)")
                    .register(metrics);
        }

        void stop() {
            running.set(false);
            final KafkaConsumer<String, byte[]> current = consumer;
            if (current != null) {
                current.wakeup(); // ends a poll or a backoff wait; an HTTP request in flight ends within its 10 s timeout
            }
        }

        private void run() {
            while (running.get()) {
                try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                        new ByteArrayDeserializer())) {
                    consumer = c;
                    c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                        @Override
                        public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
                            revoked.set(true);
                        }

                        @Override
                        public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
                        }
                    });
                    while (running.get()) {
                        revoked.set(false);
                        for (final ConsumerRecord<String, byte[]> record : c.poll(Duration.ofSeconds(1))) {
                            if (!deliver(c, record)) {
                                break; // the partition was revoked (its new owner goes on from the last commit) or stopping
                            }
                            c.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                                    new OffsetAndMetadata(record.offset() + 1)));
                        }
                    }
                } catch (WakeupException | InterruptedException e) {
                    if (running.get()) {
                        LOG.warn("Webhook {}: delivery interrupted, starting again", webhook.name());
                    }
                } catch (RuntimeException e) {
                    if (running.get()) {
                        // A broker or group fault: a new consumer goes on from the last committed alert.
                        LOG.warn("Webhook {}: {}; starting its consumer again in 5 s", webhook.name(), e.toString());
                        sleepQuietly(Duration.ofSeconds(5));
                    }
                } finally {
                    consumer = null;
                }
            }
        }

        /**
         * Delivers one record until the receiver takes (or refuses) it; false when the partition was revoked or the service
         * stops first.
         */
        private boolean deliver(final KafkaConsumer<String, byte[]> c, final ConsumerRecord<String, byte[]> record)
                throws InterruptedException {
            int attempt = 0;
            while (running.get()) {
                final String problem = attempt(record);
                if (problem == null) {
                    return true;
                }
                failed.increment();
                final long cap = Math.min(maxBackoff.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(attempt, 20));
                final long backoff = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1); // "equal jitter"
                if (attempt == 0 || Integer.bitCount(attempt) == 1) { // the 1st, 2nd, 4th, 8th ... failure: not a line per retry
                    LOG.warn("Webhook {} ({}): {}; retrying alert at offset {} in {} ms (attempt {})", webhook.name(), webhook.safeUrl(),
                            problem, record.offset(), backoff, attempt + 1);
                }
                attempt++;
                if (!waitKeepingMembership(c, Duration.ofMillis(backoff))) {
                    return false;
                }
            }
            return false;
        }

        /** Null when the receiver took the alert (or refused it for good); else why it did not. */
        private String attempt(final ConsumerRecord<String, byte[]> record) throws InterruptedException {
            final DeliveryAlert alert;
            try {
                alert = decoder.deserialize(record.topic(), record.value());
            } catch (RuntimeException e) {
                // Written by this service: a decode failure is the registry not answering, not a bad record.
                return "cannot decode the alert yet (" + e.getClass().getSimpleName() + ")";
            }
            if (alert == null || !webhook.accepts(alert)) {
                return null;
            }
            final byte[] body = body(webhook.format(), alert);
            final HttpRequest.Builder request = HttpRequest.newBuilder(webhook.url()).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json").header("User-Agent", "sms-reports")
                    .header(IDEMPOTENCY_HEADER, idempotencyKey(alert)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (webhook.secret() != null) {
                request.header(SIGNATURE_HEADER, signature(webhook.secret(), body));
            }
            final int status;
            try {
                status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                return "not reachable (" + e.getClass().getSimpleName() + ")";
            }
            if (status >= 200 && status < 300) {
                delivered.increment();
                return null;
            }
            if (status >= 400 && status < 500 && status != 408 && status != 429) {
                rejected.increment();
                LOG.error("Webhook {} ({}) refused alert {} with HTTP {}: not retried (fix the receiver or its configuration)",
                        webhook.name(), webhook.safeUrl(), idempotencyKey(alert), status);
                return null;
            }
            return "answered HTTP " + status;
        }

        /** Waits {@code duration} while polling the paused partitions (the group keeps this member); false if revoked or stopping. */
        private boolean waitKeepingMembership(final KafkaConsumer<String, byte[]> c, final Duration duration) {
            final long until = System.nanoTime() + duration.toNanos();
            c.pause(c.assignment());
            try {
                while (running.get() && !revoked.get()) {
                    final long left = until - System.nanoTime();
                    if (left <= 0) {
                        return true;
                    }
                    c.poll(Duration.ofNanos(Math.min(left, Duration.ofSeconds(1).toNanos())));
                }
                return false;
            } finally {
                c.resume(c.paused());
            }
        }

        private static void sleepQuietly(final Duration duration) {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
