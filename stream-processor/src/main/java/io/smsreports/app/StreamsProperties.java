package io.smsreports.app;

import io.smsreports.config.ProcessorConfig;
import io.smsreports.ops.BoundedMemoryRocksDBConfig;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams configuration of an SMS Reports instance. */
public final class StreamsProperties {

    /** The producer's transaction timeout: longer than a rebalance under load, shorter than the consumer's session timeout. */
    static final int TRANSACTION_TIMEOUT_MS = 30_000;

    private StreamsProperties() {
    }

    public static Properties of(final ProcessorConfig config) {
        final Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.guarantee().streamsValue());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.cacheMaxBytes());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.replicationFactor());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        if (config.applicationServer() != null) {
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.applicationServer());
        }
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class);
        p.put(BoundedMemoryRocksDBConfig.TOTAL_MEMORY_CONFIG, config.rocksDbMemoryBytes());
        // Inputs are read as bytes and decoded by the topology, which dead-letters what it cannot decode.
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, org.apache.kafka.common.serialization.Serdes.ByteArraySerde.class);
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, org.apache.kafka.common.serialization.Serdes.ByteArraySerde.class);
        // A record the producer cannot write fails the thread (replaced, resumes from its last commit) instead of
        // Kafka Streams' default RETRY, whose task-corruption path commits part of the failed task's work (SendFailures).
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, SendFailures.class);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
        // Restoring after a crash (exactly-once wipes what was not committed cleanly) in large batches: fewer round trips.
        p.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 10_000);
        // Transactions v2 (Kafka 4): the first produce of a transaction that starts right after a commit can meet
        // CONCURRENT_TRANSACTIONS while the broker writes the markers; with the default backoff (100 ms, growing to 1 s)
        // the producer then idles for up to a second at every commit. Retrying fast keeps p99 end-to-end latency
        // within two commit intervals (BENCHMARKS.md: p99 2.4 s -> 0.39 s at 4,000 events/s).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 10);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), 50);
        // Transactional state stores (KIP-892, Kafka Streams 4.4): a store's writes since the last commit are held in its
        // transaction buffer and reach RocksDB when the changelog transaction commits. A task closed dirty (a crash, a fenced
        // thread, a corrupted task) keeps its committed local state and replays only what it had not committed, instead of
        // being wiped and restored from the changelogs; and interactive queries read committed state only, so a figure the
        // API has shown is never taken back by an aborted transaction (a campaign reported, then 404 after its first
        // transaction was aborted: the chaos suite, 2026-12-05).
        p.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        p.put(StreamsConfig.DEFAULT_INTERACTIVE_QUERY_ISOLATION_LEVEL_CONFIG, "READ_COMMITTED");
        // Kafka Streams commits nothing while a rebalance is in progress (TaskManager skips the commit), and the thread keeps
        // processing into the open transaction. Its exactly-once default, a 10 s transaction timeout, is shorter than a
        // rebalance on a loaded machine: the coordinator then aborted the transaction, every thread of the group was fenced
        // (InvalidProducerEpochException), closed all its tasks dirty, wiped them and restored them from the changelogs
        // (the chaos suite, 2026-12-05: both instances at once, after a 10 s rebalance). 30 s outlasts such a rebalance and
        // stays below the consumer's 45 s session timeout, so the open transaction of an instance that died is aborted before
        // its tasks move to another instance (a restarted one, with the same transactional id, aborts it at once).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), TRANSACTION_TIMEOUT_MS);
        // Static membership (Faults: "restarts are fast"): a restarted instance is the same member, so a restart after
        // SIGKILL neither waits out the dead member's session nor moves its tasks away and back.
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), InstanceIdentity.of(config));
        // The operator's word is last (SMS_STREAMS_PROPERTIES).
        p.putAll(config.streamsOverrides());
        return p;
    }
}
