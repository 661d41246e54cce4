package io.smsreports.ops;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the off-heap memory of every RocksDB store of this process together: one LRU block cache, shared
 * by all stores, holds data blocks, index and filter blocks, and (through one write buffer manager) the
 * memtables. Without it each store (and each segment of a window store) takes its own 50 MiB cache and
 * 3 × 16 MiB memtables, which grows with the number of partitions and is the usual cause of a Kafka Streams
 * process outgrowing its container.
 *
 * <p>The budget is {@value #TOTAL_MEMORY_CONFIG} (bytes), a Streams config passed through to setters; a
 * quarter of it may hold memtables. The shared cache and manager are reference-counted: created for the
 * first store that opens, released when the last one closes, so nothing leaks across restarts of the
 * Streams instance within one JVM.
 */
public class BoundedMemoryRocksDBConfig implements RocksDBConfigSetter {

    /** The total bytes for block cache and memtables of all stores in this process. */
    public static final String TOTAL_MEMORY_CONFIG = "sms.rocksdb.memory.bytes";
    static final long DEFAULT_TOTAL_MEMORY = 256L * 1024 * 1024;
    private static final double INDEX_FILTER_BLOCK_RATIO = 0.1;
    private static final long BLOCK_SIZE = 16 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(BoundedMemoryRocksDBConfig.class);
    private static final Object LOCK = new Object();
    private static Cache cache;
    private static WriteBufferManager writeBufferManager;
    private static int users;

    @Override
    public void setConfig(final String storeName, final Options options, final Map<String, Object> configs) {
        final long total = totalMemory(configs);
        synchronized (LOCK) {
            if (users++ == 0) {
                cache = new LRUCache(total, -1, false, INDEX_FILTER_BLOCK_RATIO);
                writeBufferManager = new WriteBufferManager(total / 4, cache);
                LOG.info("RocksDB memory bounded to {} MiB for all stores (memtables up to {} MiB of it)", total >> 20, total >> 22);
            }
            final BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
            table.setBlockCache(cache);
            table.setCacheIndexAndFilterBlocks(true);
            table.setCacheIndexAndFilterBlocksWithHighPriority(true);
            table.setPinTopLevelIndexAndFilter(true);
            table.setBlockSize(BLOCK_SIZE);
            options.setWriteBufferManager(writeBufferManager);
            options.setTableFormatConfig(table);
        }
        options.setMaxWriteBufferNumber(2);
        options.setWriteBufferSize(Math.max(1 << 20, Math.min(16L << 20, total / 32)));
    }

    @Override
    public void close(final String storeName, final Options options) {
        synchronized (LOCK) {
            if (--users == 0) {
                writeBufferManager.close();
                cache.close();
                writeBufferManager = null;
                cache = null;
                LOG.debug("Released the shared RocksDB block cache");
            }
        }
    }

    /** How many stores use the shared cache now (for tests and diagnostics). */
    public static int activeStores() {
        synchronized (LOCK) {
            return users;
        }
    }

    private static long totalMemory(final Map<String, Object> configs) {
        final Object value = configs.get(TOTAL_MEMORY_CONFIG);
        if (value == null) {
            return DEFAULT_TOTAL_MEMORY;
        }
        return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
    }
}
