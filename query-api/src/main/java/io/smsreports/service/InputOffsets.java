package io.smsreports.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How many input records of this instance's lifecycle partitions are past the stream application's committed offsets, as
 * the broker tells: end offsets ({@code ListOffsets}) minus the group's committed offsets. A partition without a committed
 * offset counts from its start.
 */
final class InputOffsets implements AutoCloseable {

    private final Admin admin;
    private final String groupId;
    private final List<String> topics;
    private final Supplier<Set<Integer>> partitions;

    InputOffsets(final Map<String, Object> kafkaConfig, final String groupId, final List<String> topics,
            final Supplier<Set<Integer>> partitions) {
        final Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, groupId + "-input-offsets");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        this.admin = Admin.create(config);
        this.groupId = groupId;
        this.topics = topics;
        this.partitions = partitions;
    }

    /** One input partition: its group's committed offset (0 when none) and the records past it. */
    record Partition(TopicPartition partition, long committed, long uncommitted) {
    }

    /** Every input partition of this instance's lifecycle tasks, or null when the broker did not answer in time. */
    List<Partition> read() {
        final Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        try {
            for (final int partition : partitions.get()) {
                for (final String topic : topics) {
                    ends.put(new TopicPartition(topic, partition), OffsetSpec.latest());
                }
            }
        } catch (RuntimeException e) {
            return null; // not started or rebalancing: no assignment to read
        }
        if (ends.isEmpty()) {
            return List.of();
        }
        try {
            final var end = admin.listOffsets(ends).all().get(5, TimeUnit.SECONDS);
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            final List<Partition> read = new java.util.ArrayList<>();
            for (final TopicPartition partition : ends.keySet()) {
                final OffsetAndMetadata at = committed.get(partition);
                final long from = at == null ? 0 : at.offset();
                read.add(new Partition(partition, from, Math.max(0, end.get(partition).offset() - from)));
            }
            return read;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
