package io.smsreports.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * How far this instance's active state stores are from restored, for operators ({@code sms_restore_remaining_offsets},
 * {@code sms_restore_partitions}): Kafka Streams reports each changelog partition it restores to this listener. The
 * remainder is in changelog offsets (transaction markers included), so it over-states the records left by a little;
 * it reaches 0 when every restore has ended.
 */
public final class RestoreProgress implements StateRestoreListener {

    /** Per changelog partition being restored: the offset restoration ends at (exclusive) and the next to restore. */
    private final Map<TopicPartition, long[]> restoring = new ConcurrentHashMap<>();
    private final AtomicLong restored = new AtomicLong();

    @Override
    public void onRestoreStart(final TopicPartition partition, final String storeName, final long startingOffset, final long endingOffset) {
        // endingOffset is the last offset to restore (inclusive).
        restoring.put(partition, new long[] {endingOffset + 1, startingOffset});
    }

    @Override
    public void onBatchRestored(final TopicPartition partition, final String storeName, final long batchEndOffset, final long numRestored) {
        final long[] range = restoring.get(partition);
        if (range != null) {
            range[1] = Math.max(range[1], batchEndOffset + 1);
        }
        restored.addAndGet(numRestored);
    }

    @Override
    public void onRestoreEnd(final TopicPartition partition, final String storeName, final long totalRestored) {
        restoring.remove(partition);
    }

    @Override
    public void onRestoreSuspended(final TopicPartition partition, final String storeName, final long totalRestored) {
        restoring.remove(partition); // migrated away or closed before the end: nothing left to restore here
    }

    /** Changelog offsets still to restore over every partition being restored now (0 when none is). */
    public long remainingOffsets() {
        long remaining = 0;
        for (final long[] range : restoring.values()) {
            remaining += Math.max(0, range[0] - range[1]);
        }
        return remaining;
    }

    /** Changelog partitions being restored now. */
    public int partitions() {
        return restoring.size();
    }

    /** Records restored since this instance started. */
    public long restoredRecords() {
        return restored.get();
    }
}
