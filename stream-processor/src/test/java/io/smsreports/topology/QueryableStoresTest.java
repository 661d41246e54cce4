package io.smsreports.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class QueryableStoresTest {

    private static final String STORE = "campaign-stats";

    @Test
    void aStorePartitionIsQueryableFromItsProcessorsInitToItsCloseWithANewGenerationEachTime() {
        final QueryableStores queryable = new QueryableStores();
        final ProcessorSupplier<String, String, Void, Void> supplier = queryable.marking(() -> new Processor<String, String, Void, Void>() {
            @Override
            public void process(final Record<String, String> record) {
            }
        }, List.of(STORE));
        final MockProcessorContext<Void, Void> partition2 = new MockProcessorContext<>(new Properties(), new TaskId(2, 2), null);

        assertThat(queryable.isQueryable(STORE, 2)).isFalse();
        assertThat(queryable.generation(STORE, 2)).isEqualTo(-1);

        final Processor<String, String, Void, Void> first = supplier.get();
        first.init(partition2);
        final long opened = queryable.generation(STORE, 2);
        assertThat(queryable.isQueryable(STORE, 2)).isTrue();
        assertThat(opened).isNotNegative();
        assertThat(queryable.isQueryable(STORE, 1)).as("another partition").isFalse();
        assertThat(queryable.isRunning(new TaskId(2, 2))).isTrue();

        first.close(); // suspended, moved, closed dirty: its store may be wiped and restored from here on
        assertThat(queryable.isQueryable(STORE, 2)).isFalse();
        assertThat(queryable.generation(STORE, 2)).isEqualTo(-1);
        assertThat(queryable.isRunning(new TaskId(2, 2))).isFalse();

        final Processor<String, String, Void, Void> second = supplier.get();
        second.init(partition2); // the task again, restored
        assertThat(queryable.isQueryable(STORE, 2)).isTrue();
        assertThat(queryable.generation(STORE, 2)).as("a read that spanned the close and the reopen sees another generation")
                .isNotEqualTo(opened).isNotNegative();
    }
}
