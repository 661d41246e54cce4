package io.smsreports.api.audit;

import io.smsreports.api.auth.Principal;
import io.smsreports.events.AuditAction;
import io.smsreports.events.AuditEvent;
import io.smsreports.privacy.PersonalData;
import io.smsreports.serde.SpecificAvroDeserializer;
import io.smsreports.serde.SpecificAvroSerializer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of personal data (DESIGN, Security): every read of personal data through the API (exports, failed
 * lists, person lookups, message histories, SMS Delivered rows) is written to {@code sms.audit} as an
 * {@link AuditEvent}: who, with which role, what action on what target, how many rows, when, from where; never the
 * data itself. Written with {@code acks=all} and waited for, so the trail is as durable as the topic.
 */
public final class AuditLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final String topic;
    private final Map<String, Object> clientConfig;
    private final KafkaProducer<String, AuditEvent> producer;
    private final Clock clock;

    /** @param kafkaConfig {@code bootstrap.servers} and any client security settings */
    public AuditLog(final Map<String, Object> kafkaConfig, final Map<String, Object> registryConfig, final String topic, final Clock clock) {
        this.topic = topic;
        this.clock = clock;
        this.clientConfig = new HashMap<>(registryConfig);
        clientConfig.putAll(kafkaConfig);
        final Map<String, Object> producerConfig = new HashMap<>(clientConfig);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, WRITE_TIMEOUT.toMillis());
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis());
        producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis() - 1);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        final SpecificAvroSerializer<AuditEvent> serializer = new SpecificAvroSerializer<>();
        serializer.configure(producerConfig, false);
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), serializer);
    }

    /**
     * Records one read of personal data, before the data is served. Fails closed: when the event cannot be written
     * (the broker or the topic unreachable within the write timeout), throws {@link AuditUnavailableException} and the
     * caller serves nothing (a 503): no personal data leaves without its audit record.
     */
    public void record(final Principal principal, final AuditAction action, final String target, final long rows,
            final String clientAddress, final String detail) {
        final AuditEvent event = AuditEvent.newBuilder().setPrincipal(principal.name()).setRole(principal.role().label())
                .setAction(action).setTarget(target).setRows(rows).setAt(Instant.now(clock)).setClientAddress(clientAddress)
                .setDetail(detail).build();
        try {
            producer.send(new ProducerRecord<>(topic, principal.name(), event)).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("Could not write an audit event ({} by {}) to {}; the read is refused: {}", action, principal.name(), topic,
                    PersonalData.mask(String.valueOf(e.getMessage())));
            throw new AuditUnavailableException("The audit trail (" + topic + ") cannot be written now, so personal data is not "
                    + "served; retry shortly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailableException("Interrupted while writing the audit trail", e);
        }
    }

    /** The newest {@code limit} audit events, newest first. */
    public List<AuditEvent> latest(final int limit) {
        final Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        final SpecificAvroDeserializer<AuditEvent> deserializer = new SpecificAvroDeserializer<>(AuditEvent.class);
        deserializer.configure(consumerConfig, false);
        final List<AuditEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, AuditEvent> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), deserializer)) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, WRITE_TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, WRITE_TIMEOUT);
            final Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, WRITE_TIMEOUT);
            long wanted = 0;
            for (final TopicPartition partition : partitions) {
                final long from = Math.max(begins.get(partition), ends.get(partition) - limit);
                consumer.seek(partition, from);
                wanted += ends.get(partition) - from;
            }
            final long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
            long read = 0;
            while (read < wanted && System.nanoTime() < deadline) {
                for (final ConsumerRecord<String, AuditEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    events.add(record.value());
                    read++;
                }
                if (partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p))) {
                    break;
                }
            }
        }
        events.sort(Comparator.comparing(AuditEvent::getAt).reversed());
        return events.size() > limit ? List.copyOf(events.subList(0, limit)) : events;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
