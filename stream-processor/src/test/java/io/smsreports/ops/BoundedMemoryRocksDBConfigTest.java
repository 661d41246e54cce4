package io.smsreports.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedMemoryRocksDBConfigTest {

    static {
        RocksDB.loadLibrary();
    }

    @Test
    void shouldShareOneCacheAcrossStoresAndReleaseItWithTheLastOne() {
        final int before = BoundedMemoryRocksDBConfig.activeStores();
        final BoundedMemoryRocksDBConfig first = new BoundedMemoryRocksDBConfig();
        final BoundedMemoryRocksDBConfig second = new BoundedMemoryRocksDBConfig();
        try (Options a = new Options().setTableFormatConfig(new BlockBasedTableConfig());
             Options b = new Options().setTableFormatConfig(new BlockBasedTableConfig())) {
            first.setConfig("store-a", a, Map.of(BoundedMemoryRocksDBConfig.TOTAL_MEMORY_CONFIG, 64L << 20));
            second.setConfig("store-b", b, Map.of(BoundedMemoryRocksDBConfig.TOTAL_MEMORY_CONFIG, "67108864"));
            assertThat(BoundedMemoryRocksDBConfig.activeStores()).isEqualTo(before + 2);
            assertThat(a.writeBufferSize()).isEqualTo(2L << 20);
            assertThat(a.maxWriteBufferNumber()).isEqualTo(2);
            first.close("store-a", a);
            assertThat(BoundedMemoryRocksDBConfig.activeStores()).isEqualTo(before + 1);
            second.close("store-b", b);
            assertThat(BoundedMemoryRocksDBConfig.activeStores()).isEqualTo(before);
        }
    }
}
