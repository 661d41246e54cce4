package io.smsreports.topology;

import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A store that holds nothing and is there to be flushed: Kafka Streams flushes every store cache of a task inside each of
 * its commits (in {@code StreamTask.prepareCommit}, before the record collector is flushed and the input offsets are
 * committed in the same transaction), and that is when this store runs its owner's {@code onCommit}. A processor that keeps
 * partial sums in memory forwards them from there: every commit carries exactly the sums of the records whose offsets it
 * commits, so the sums need no changelog (the DSL's caching aggregations forward at commit the same way). On a dirty close
 * (a crash, a corrupted or migrated task) the store is closed, which unbinds the owner, and the owner's next {@code init}
 * starts empty: those records are processed again from the last commit, against state restored to it. Kafka Streams clears
 * store caches ({@code onDiscard}) only when it recycles a task between active and standby, after a clean commit.
 *
 * <p>Forwarding outside {@code process} and punctuations needs the task's current node and a record context:
 * {@link #forwarding} sets them as a punctuation would (no input record: offset -1, no topic, empty headers) and puts back
 * what was there. Only stateless nodes (mappers, repartition sinks) may follow the owner in its task: a cached store written
 * downstream during the commit's flush could miss that commit.
 */
final class CommitHook implements StateStore, CachedStateStore<Object, Object> {

    private final String name;
    private volatile boolean open;
    private Runnable onCommit = () -> { };
    private Runnable onDiscard = () -> { };

    private CommitHook(final String name) {
        this.name = name;
    }

    /** Declares the hook store {@code name} (no changelog, nothing persisted). */
    static StoreBuilder<CommitHook> builder(final String name) {
        return new Builder(name);
    }

    /** What to run inside each commit of the task and when the task is closed dirty. */
    void bind(final Runnable onCommit, final Runnable onDiscard) {
        this.onCommit = onCommit;
        this.onDiscard = onDiscard;
    }

    /**
     * Runs {@code forward} as the processor whose context this is, the node it was initialized as ({@code node}), with a
     * record context of {@code timestamp}: from a commit hook, {@code context.forward} reaches the processor's children.
     */
    static void forwarding(final ProcessorContext<?, ?> context, final ProcessorNode<?, ?, ?, ?> node, final long timestamp,
            final Runnable forward) {
        final InternalProcessorContext<?, ?> internal = (InternalProcessorContext<?, ?>) context;
        final ProcessorNode<?, ?, ?, ?> previousNode = internal.currentNode();
        final ProcessorRecordContext previousRecord = internal.recordContext();
        internal.setCurrentNode(node);
        internal.setRecordContext(new ProcessorRecordContext(timestamp, -1L, -1, null, new RecordHeaders()));
        try {
            forward.run();
        } finally {
            internal.setRecordContext(previousRecord);
            internal.setCurrentNode(previousNode);
        }
    }

    /** The node a processor is being initialized as (call from its {@code init}). */
    static ProcessorNode<?, ?, ?, ?> currentNode(final ProcessorContext<?, ?> context) {
        return ((InternalProcessorContext<?, ?>) context).currentNode();
    }

    @Override
    public void flushCache() {
        onCommit.run();
    }

    @Override
    public void clearCache() {
        onDiscard.run();
    }

    @Override
    public boolean setFlushListener(final CacheFlushListener<Object, Object> listener, final boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(final StateStoreContext context, final StateStore root) {
        context.register(root, (key, value) -> {
            throw new IllegalStateException("the commit hook " + name + " has no changelog to restore");
        });
        open = true;
    }

    @Override
    public void close() {
        open = false;
        onCommit = () -> { };
        onDiscard = () -> { };
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    private static final class Builder implements StoreBuilder<CommitHook> {
        private final String name;

        Builder(final String name) {
            this.name = name;
        }

        @Override
        public StoreBuilder<CommitHook> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<CommitHook> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<CommitHook> withLoggingEnabled(final Map<String, String> config) {
            throw new UnsupportedOperationException("the commit hook " + name + " holds nothing to log");
        }

        @Override
        public StoreBuilder<CommitHook> withLoggingDisabled() {
            return this;
        }

        @Override
        public CommitHook build() {
            return new CommitHook(name);
        }

        @Override
        public Map<String, String> logConfig() {
            return Map.of();
        }

        @Override
        public boolean loggingEnabled() {
            return false;
        }

        @Override
        public String name() {
            return name;
        }
    }
}
