package io.smsreports.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * What reaches Kafka: the end offsets of every topic but the inputs, summed per topic, before and after a run. Changelogs,
 * repartition topics and outputs are all counted; under exactly-once the end offsets also count one commit marker per
 * partition a transaction wrote to (a few hundredths of a record per SMS at the default commit interval).
 */
final class BrokerRecords {

    private final String bootstrap;
    private final Set<String> inputs;

    BrokerRecords(final String bootstrap, final Set<String> inputs) {
        this.bootstrap = bootstrap;
        this.inputs = inputs;
    }

    /** Topic → sum of its partitions' end offsets, for every topic but the inputs, Kafka's own and the baselines'. */
    Map<String, Long> snapshot() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            final Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
            for (final var topic : admin.describeTopics(admin.listTopics().names().get().stream()
                    .filter(name -> !name.startsWith("__") && !inputs.contains(name) && !name.startsWith("bench.producer-perf"))
                    .toList()).allTopicNames().get().values()) {
                topic.partitions().forEach(p -> wanted.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
            }
            final Map<String, Long> totals = new TreeMap<>();
            admin.listOffsets(wanted).all().get().forEach((tp, end) -> totals.merge(tp.topic(), end.offset(), Long::sum));
            return totals;
        }
    }

    /** Records written between two snapshots, per topic (topics without any left out), the application id prefix removed. */
    static Map<String, Long> written(final Map<String, Long> before, final Map<String, Long> after, final String applicationId) {
        final Map<String, Long> written = new TreeMap<>();
        after.forEach((topic, end) -> {
            final long n = end - before.getOrDefault(topic, 0L);
            if (n > 0) {
                written.put(topic.startsWith(applicationId + "-") ? topic.substring(applicationId.length() + 1) : topic, n);
            }
        });
        return written;
    }

    static long total(final Map<String, Long> written) {
        return written.values().stream().mapToLong(Long::longValue).sum();
    }

    /** A markdown table of the records per SMS of each topic, largest first. */
    static String table(final Map<String, Long> written, final long sms, final long inputRecords) {
        final StringBuilder out = new StringBuilder("| topic (application id removed) | records | per SMS |\n| --- | ---: | ---: |\n");
        written.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e -> out.append(String.format(
                Locale.ROOT, "| `%s` | %,d | %.3f |%n", e.getKey(), e.getValue(), (double) e.getValue() / sms)));
        final long total = total(written);
        out.append(String.format(Locale.ROOT, "| **total** | %,d | **%.2f** (%.2f per input record) |%n", total, (double) total / sms,
                (double) total / inputRecords));
        return out.toString();
    }
}
