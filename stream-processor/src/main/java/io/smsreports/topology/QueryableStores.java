package io.smsreports.topology;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Which store partitions of this instance hold their whole state now: a task's processors are initialized only once
 * its stores are restored, and closed when it is suspended, moved or closed, so a store partition is queryable from
 * its processor's {@code init} to its {@code close}.
 *
 * <p>Why not Kafka Streams' own answer: with the state updater (Kafka Streams 3.8+), a stream thread is RUNNING while
 * some of its active tasks are still restoring, and an interactive query of such a task's store partition is served
 * from the part restored so far (4.4's {@code StreamThreadStateStoreProvider} lists the restoring tasks among the active
 * ones). A campaign would be reported with part of its counts, or as unknown. Reads check here first and answer 503
 * while a partition restores (DESIGN, Faults: a store that is restoring gives 503, never a wrong number).
 */
public final class QueryableStores {

    /** Open store partitions, each with the generation it was opened at (a new one at every open). */
    private final Map<String, Long> open = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong generations = new java.util.concurrent.atomic.AtomicLong();
    /** Open marked processors per task: a task whose processors are initialized is restored and running here. */
    private final Map<TaskId, Integer> openTasks = new ConcurrentHashMap<>();

    /** Whether the task's processors are initialized here: it is restored and running. */
    public boolean isRunning(final TaskId task) {
        return openTasks.containsKey(task);
    }

    /** Whether partition {@code partition} of store {@code store} is restored and served by a running task here. */
    public boolean isQueryable(final String store, final int partition) {
        return open.containsKey(key(store, partition));
    }

    /**
     * The generation of partition {@code partition} of store {@code store}: a number that changes every time the partition is
     * opened here, or -1 while it is not open. A read that finds the same generation before and after it read a task's store
     * read that one restored, running incarnation of the task; another number means the task was closed (or closed and
     * opened again, its store restoring in between) while it read, and its answer may come from a store being restored.
     */
    public long generation(final String store, final int partition) {
        return open.getOrDefault(key(store, partition), -1L);
    }

    /** The supplier's processors, marking the stores it declares queryable for their task's partition from init to close. */
    <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> marking(final ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
        return marking(supplier, supplier.stores().stream().map(StoreBuilder::name).toList());
    }

    /** The supplier's processors, marking {@code stores} queryable for their task's partition from init to close. */
    <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> marking(final ProcessorSupplier<KIn, VIn, KOut, VOut> supplier,
            final Collection<String> stores) {
        final List<String> names = List.copyOf(stores);
        return new ProcessorSupplier<>() {
            @Override
            public Processor<KIn, VIn, KOut, VOut> get() {
                final Processor<KIn, VIn, KOut, VOut> delegate = supplier.get();
                return new Processor<>() {
                    private TaskId task;

                    @Override
                    public void init(final ProcessorContext<KOut, VOut> context) {
                        delegate.init(context);
                        task = context.taskId();
                        final long generation = generations.incrementAndGet();
                        names.forEach(name -> open.put(key(name, task.partition()), generation));
                        openTasks.merge(task, 1, Integer::sum);
                    }

                    @Override
                    public void process(final Record<KIn, VIn> record) {
                        delegate.process(record);
                    }

                    @Override
                    public void close() {
                        if (task != null) {
                            names.forEach(name -> open.remove(key(name, task.partition())));
                            openTasks.computeIfPresent(task, (t, n) -> n > 1 ? n - 1 : null);
                        }
                        delegate.close();
                    }
                };
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return supplier.stores();
            }
        };
    }

    private static String key(final String store, final int partition) {
        return store + '@' + partition;
    }
}
