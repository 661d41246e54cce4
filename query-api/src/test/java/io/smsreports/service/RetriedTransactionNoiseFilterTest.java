package io.smsreports.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;

class RetriedTransactionNoiseFilterTest {

    private final LoggerContext context = new LoggerContext();
    private final RetriedTransactionNoiseFilter filter = new RetriedTransactionNoiseFilter();

    @Test
    void shouldDropTheProducersRetryWarningsForTransactionsV2Races() {
        final var sender = context.getLogger("org.apache.kafka.clients.producer.internals.Sender");
        assertThat(filter.decide(null, sender, Level.WARN, "[Producer clientId=x, transactionalId=y] Got error produce response with "
                + "correlation id 7 on topic-partition t-0, retrying (2147483646 attempts left). Error: CONCURRENT_TRANSACTIONS",
                null, null)).isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(null, sender, Level.WARN, "[Producer clientId=x] Got error produce response with correlation id 8 on "
                + "topic-partition t-0, retrying (5 attempts left). Error: OUT_OF_ORDER_SEQUENCE_NUMBER", null, null))
                .isEqualTo(FilterReply.DENY);
    }

    @Test
    void shouldDropTheBrokersErrorForARetriedOutOfOrderAppend() {
        final var replicaManager = context.getLogger("kafka.server.ReplicaManager");
        assertThat(filter.decide(null, replicaManager, Level.ERROR, "[ReplicaManager broker=1] Error processing append operation on "
                + "partition x:t-0", null, new OutOfOrderSequenceException("Invalid sequence number"))).isEqualTo(FilterReply.DENY);
    }

    @Test
    void shouldKeepEveryOtherWarningAndError() {
        final var sender = context.getLogger("org.apache.kafka.clients.producer.internals.Sender");
        assertThat(filter.decide(null, sender, Level.WARN, "[Producer clientId=x] Got error produce response with correlation id 9 on "
                + "topic-partition t-0, retrying (5 attempts left). Error: NOT_LEADER_OR_FOLLOWER", null, null))
                .isEqualTo(FilterReply.NEUTRAL);
        final var replicaManager = context.getLogger("kafka.server.ReplicaManager");
        assertThat(filter.decide(null, replicaManager, Level.ERROR, "[ReplicaManager broker=1] Error processing append operation on "
                + "partition x:t-0", null, new IllegalStateException("disk full"))).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, context.getLogger("io.smsreports.Anything"), Level.ERROR, "Error: CONCURRENT_TRANSACTIONS retrying",
                null, null)).isEqualTo(FilterReply.NEUTRAL);
    }
}
