package io.smsreports.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class ExpiryKeysTest {

    @Test
    void shouldSortKeysByDeadlineForEveryLongThenBySmsId() {
        final Random random = new Random(7);
        final List<long[]> deadlines = new ArrayList<>();
        final List<Bytes> keys = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            final long deadline = switch (i % 4) {
                case 0 -> random.nextLong();
                case 1 -> random.nextInt(1000) - 500;
                case 2 -> Long.MAX_VALUE - random.nextInt(3);
                default -> Long.MIN_VALUE + random.nextInt(3);
            };
            keys.add(ExpiryKeys.of(deadline, "sms-" + i));
            deadlines.add(new long[] {deadline, i});
        }
        keys.sort(Bytes::compareTo);
        for (int i = 1; i < keys.size(); i++) {
            assertThat(ExpiryKeys.deadline(keys.get(i))).isGreaterThanOrEqualTo(ExpiryKeys.deadline(keys.get(i - 1)));
        }
        assertThat(ExpiryKeys.smsId(ExpiryKeys.of(42, "sms-ü"))).isEqualTo("sms-ü");
        assertThat(ExpiryKeys.deadline(ExpiryKeys.of(-3, "x"))).isEqualTo(-3);
    }

    @Test
    void shouldBoundARangeScanToTheDueEntries() {
        final Bytes due = ExpiryKeys.of(1000, "zzzz-long-id");
        final Bytes notDue = ExpiryKeys.of(1001, "a");
        final Bytes upper = ExpiryKeys.upTo(1000);
        assertThat(due.compareTo(upper)).isNegative();
        assertThat(notDue.compareTo(upper)).isGreaterThanOrEqualTo(0);
        assertThat(ExpiryKeys.lowest().compareTo(ExpiryKeys.of(Long.MIN_VALUE, ""))).isLessThanOrEqualTo(0);
        assertThat(ExpiryKeys.of(Long.MAX_VALUE, "any").compareTo(ExpiryKeys.upTo(Long.MAX_VALUE))).isNegative();
    }
}
