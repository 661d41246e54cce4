package io.smsreports.topology;

import static io.smsreports.topology.TopologyFixture.T0;
import static io.smsreports.topology.TopologyFixture.campaign;
import static io.smsreports.topology.TopologyFixture.dispatch;
import static io.smsreports.topology.TopologyFixture.receipt;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SmsDelivered;
import io.smsreports.events.SmsDispatched;
import io.smsreports.lifecycle.Outcome;
import io.smsreports.reporting.BreakdownRow;
import io.smsreports.reporting.Costs;
import io.smsreports.reporting.Dimension;
import io.smsreports.reporting.HourlyCounts;
import io.smsreports.reporting.LatencyBuckets;
import io.smsreports.reporting.PersonMessage;
import io.smsreports.reporting.PlatformCounts;
import io.smsreports.reporting.Reconciliation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One nested class per counting rule of DESIGN.md; each test fails if its rule breaks. */
class CountingRulesTest {

    private static final String M = "m-1";
    private final TopologyFixture fx = new TopologyFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private static Instant at(final String duration) {
        return T0.plus(Duration.parse(duration));
    }

    @Nested
    class Rule1SentIsDistinctSmsIdsDispatched {
        @Test
        void shouldCountARepeatedDispatchOfOneSmsIdOnce() {
            fx.pipe(dispatch("s1", M, "android", T0));
            fx.pipe(dispatch("s1", M, "android", at("PT1M")));
            fx.pipe(dispatch("s1", M, "ios", at("PT2M"))); // even with other data: the first dispatch counts
            fx.pipe(dispatch("s2", M, "ios", at("PT3M")));

            assertThat(fx.totals(M).sent()).isEqualTo(2);
            assertThat(fx.stats(M).platforms()).containsOnlyKeys("android", "ios");
            assertThat(fx.stats(M).platforms().get("android").sent()).isEqualTo(1);
            assertThat(fx.hourly(M).values().stream().mapToLong(h -> h.totals().sent()).sum()).isEqualTo(2);
        }

        @Test
        void shouldAddTheSegmentsOfEachSentSmsOnce() {
            fx.pipe(SmsDispatched.newBuilder(dispatch("s1", M, "android", T0)).setSegments(3).build());
            fx.pipe(SmsDispatched.newBuilder(dispatch("s1", M, "android", T0)).setSegments(3).build());
            fx.pipe(SmsDispatched.newBuilder(dispatch("s2", M, "android", T0)).setSegments(2).build());
            assertThat(fx.totals(M).segments()).isEqualTo(5);
        }
    }

    @Nested
    class Rule2FirstFinalReceiptDecides {
        @Test
        void shouldKeepTheFirstFinalAndCountALaterConflictingOne() {
            fx.sendAndReceipt("s1", M, "android", T0, ReceiptStatus.DELIVERED, at("PT5S"));
            fx.pipe(receipt("s1", ReceiptStatus.UNDELIVERABLE, at("PT10S"), at("PT11S")));

            assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(1, 1, 0, 0, 1));
            assertThat(fx.stats(M).reconciliation()).isEqualTo(new Reconciliation(0, 1, 0));
            assertThat(fx.failed(M)).isEmpty();
        }

        @Test
        void shouldCountARepeatedFinalAsADuplicate() {
            fx.sendAndReceipt("s1", M, "android", T0, ReceiptStatus.DELIVERED, at("PT5S"));
            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("PT5S"), at("PT30S")));
            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("PT5S"), at("PT40S")));

            assertThat(fx.totals(M).delivered()).isEqualTo(1);
            assertThat(fx.stats(M).reconciliation()).isEqualTo(new Reconciliation(2, 0, 0));
        }

        @Test
        void shouldKeepAFirstFailureAgainstALaterDelivery() {
            fx.sendAndReceipt("s1", M, "ios", T0, ReceiptStatus.EXPIRED, at("PT1H"));
            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("PT2H"), at("PT2H")));

            assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(1, 0, 1, 0, 1));
            assertThat(fx.stats(M).reconciliation().conflictingFinals()).isEqualTo(1);
            assertThat(fx.failed(M)).singleElement().satisfies(f -> {
                assertThat(f.status()).isEqualTo(ReceiptStatus.EXPIRED);
                assertThat(f.failReason()).isEqualTo("reason EXPIRED");
                assertThat(f.errorCode()).isEqualTo("E" + ReceiptStatus.EXPIRED.ordinal());
                assertThat(f.failedAt()).isEqualTo(at("PT1H").toEpochMilli());
            });
            assertThat(fx.drainDelivered()).isEmpty();
        }

        @ParameterizedTest
        @EnumSource(value = ReceiptStatus.class, names = {"EXPIRED", "DELETED", "UNDELIVERABLE", "REJECTED", "UNKNOWN"})
        void shouldCountEveryFinalFailureStatusAsFailed(final ReceiptStatus failure) {
            fx.sendAndReceipt("s1", M, "web", T0, failure, at("PT1M"));
            assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(1, 0, 1, 0, 1));
            assertThat(fx.failed(M)).extracting(f -> f.status()).containsExactly(failure);
        }
    }

    @Nested
    class Rule3IntermediatesCountNothing {
        @Test
        void shouldLeaveAnSmsWithOnlyIntermediateReceiptsPending() {
            fx.pipe(dispatch("s1", M, "android", T0));
            fx.pipe(receipt("s1", ReceiptStatus.ACCEPTED, null, at("PT1S")));
            fx.pipe(receipt("s1", ReceiptStatus.ENROUTE, null, at("PT2S")));

            assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(1, 0, 0, 0, 1));
            assertThat(fx.totals(M).pending()).isEqualTo(1);
        }

        @Test
        void shouldNeverLetAnIntermediateOverrideAFinal() {
            fx.sendAndReceipt("s1", M, "android", T0, ReceiptStatus.DELIVERED, at("PT5S"));
            fx.pipe(receipt("s1", ReceiptStatus.ENROUTE, null, at("PT6S")));
            fx.pipe(receipt("s1", ReceiptStatus.ACCEPTED, null, at("PT7S")));

            assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(1, 1, 0, 0, 1));
            assertThat(fx.stats(M).reconciliation()).as("intermediates are not duplicates").isEqualTo(Reconciliation.ZERO);
            assertThat(fx.personMessages(TopologyFixture.personOf(dispatch("s1", M, "android", T0))))
                    .extracting(PersonMessage::status).containsExactly(Outcome.DELIVERED);
        }
    }

    @Nested
    class Rule4ReceiptsBeforeTheirDispatchAreHeld {
        @Test
        void shouldHoldAnEarlyReceiptAndApplyItWhenTheDispatchArrives() {
            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("PT3S"), at("PT4S")));
            assertThat(fx.stats(M)).as("nothing is counted before the dispatch").isNull();
            assertThat(fx.drainDelivered()).isEmpty();

            fx.pipe(dispatch("s1", M, "android", T0)); // arrives later than its receipt
            assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(1, 1, 0, 0, 1));
            assertThat(fx.drainDelivered()).extracting(kv -> kv.key).containsExactly("s1");
            assertThat(fx.hourly(M)).containsKey(at("PT0S"));
        }

        @Test
        void shouldApplyTheFirstHeldFinalAndCountTheOtherHeldOnes() {
            fx.pipe(receipt("s1", ReceiptStatus.ENROUTE, null, at("PT1S")));
            fx.pipe(receipt("s1", ReceiptStatus.REJECTED, at("PT2S"), at("PT2S")));
            fx.pipe(receipt("s1", ReceiptStatus.REJECTED, at("PT2S"), at("PT3S")));
            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("PT4S"), at("PT4S")));
            fx.pipe(dispatch("s1", M, "ios", T0));

            assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(1, 0, 1, 0, 1));
            assertThat(fx.stats(M).reconciliation()).isEqualTo(new Reconciliation(1, 1, 0));
            assertThat(fx.orphanReceipts()).isZero();
        }

        @Test
        void shouldStillApplyAHeldReceiptWhenTheDispatchComesJustBeforeTheHoldEnds() {
            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("PT1S"), at("PT1S")));
            fx.advanceStreamTimeTo(at("P3DT23H"));
            fx.pipe(dispatch("s1", M, "web", T0));
            assertThat(fx.totals(M).delivered()).isEqualTo(1);
            assertThat(fx.orphanReceipts()).isZero();
        }
    }

    @Nested
    class Rule5UnconfirmedAtTheReceiptTimeout {
        @Test
        void shouldMarkAnSmsWithoutAFinalReceiptUnconfirmedWhenTheTimeoutPasses() {
            fx.pipe(dispatch("s1", M, "android", T0));
            fx.pipe(receipt("s1", ReceiptStatus.ENROUTE, null, at("PT1M")));
            fx.advanceStreamTimeTo(at("P3DT23H59M"));
            assertThat(fx.totals(M).unconfirmed()).as("not before 4 days").isZero();

            fx.advanceStreamTimeTo(at("P4D"));
            assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(1, 0, 0, 1, 1));
            assertThat(fx.totals(M).pending()).isZero();
        }

        @Test
        void shouldMoveAnUnconfirmedSmsToDeliveredWhenALateFinalArrivesAndCountItLate() {
            fx.pipe(dispatch("s1", M, "android", T0));
            fx.advanceStreamTimeTo(at("P4DT1H"));
            assertThat(fx.totals(M).unconfirmed()).isEqualTo(1);

            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("P4DT2H"), at("P4DT2H")));
            assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(1, 1, 0, 0, 1));
            assertThat(fx.stats(M).reconciliation()).isEqualTo(new Reconciliation(0, 0, 1));
            assertThat(fx.drainDelivered()).hasSize(1);
        }

        @Test
        void shouldCountAFinalThatArrivesAfterTheTimeoutAsLateEvenBeforeAnyPunctuation() {
            fx.pipe(dispatch("s1", M, "ios", T0));
            // No punctuation in between: the receipt itself carries stream time past the timeout.
            fx.pipe(receipt("s1", ReceiptStatus.UNDELIVERABLE, at("P4DT5H"), at("P4DT6H")));
            assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(1, 0, 1, 0, 1));
            assertThat(fx.stats(M).reconciliation().lateReceipts()).isEqualTo(1);
        }

        @Test
        void shouldTimeOutOnAQuietPartitionByTheWallClock() {
            fx.pipe(dispatch("s1", M, "android", T0));
            // No more records at all: stream time stands still; the idle task's clock follows the wall clock.
            fx.advanceWallClock(Duration.ofDays(4).plus(fx.settings.idleClockLag()).plusMinutes(1));
            assertThat(fx.totals(M).unconfirmed()).isEqualTo(1);
        }

        @Test
        void shouldIgnoreAFinalForAnSmsNoLongerRetained() {
            fx.pipe(dispatch("s1", M, "android", T0));
            fx.advanceStreamTimeTo(at("P7DT1M")); // past the 7-day retention: the SMS is forgotten
            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("P7DT2M"), at("P7DT2M")));
            assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(1, 0, 0, 1, 1));
            fx.advanceStreamTimeTo(at("P11DT3M"));
            assertThat(fx.orphanReceipts()).as("it becomes an orphan after the hold").isEqualTo(1);
        }
    }

    @Nested
    class Rule14Funnel {
        private static final io.smsreports.events.NotSentReason IYS = io.smsreports.events.NotSentReason.IYS_NO_CONSENT;
        private static final io.smsreports.events.NotSentReason OPTED_OUT = io.smsreports.events.NotSentReason.OPTED_OUT;

        @Test
        void shouldCountNotSentByReasonAndNeverAsSent() {
            fx.pipe(TopologyFixture.notSent("n1", M, "android", IYS, T0));
            fx.pipe(TopologyFixture.notSent("n2", M, "ios", IYS, T0.plusSeconds(1)));
            fx.pipe(TopologyFixture.notSent("n3", M, "ios", OPTED_OUT, T0.plusSeconds(2)));
            fx.pipe(TopologyFixture.notSent("n3", M, "ios", OPTED_OUT, T0.plusSeconds(2))); // the same decision again
            fx.pipe(dispatch("s1", M, "android", T0));
            assertThat(fx.stats(M).notSent()).isEqualTo(Map.of("IYS_NO_CONSENT", 2L, "OPTED_OUT", 1L));
            assertThat(fx.stats(M).notSentTotal()).isEqualTo(3);
            assertThat(fx.totals(M).sent()).isEqualTo(1);
            assertThat(fx.breakdown(M, Dimension.PLATFORM).get("ios").notSent()).isEqualTo(Map.of("IYS_NO_CONSENT", 1L, "OPTED_OUT", 1L));
            assertThat(fx.breakdown(M, Dimension.PLATFORM).get("ios").counts().sent()).isZero();
            assertThat(fx.breakdown(M, Dimension.OPERATOR).get("286-01").notSentTotal()).isEqualTo(3);
            assertThat(fx.breakdown(M, Dimension.COUNTRY).get("TR").notSentTotal()).isEqualTo(3);
            assertThat(fx.breakdown(M, Dimension.PROVIDER).values()).as("handed to no provider")
                    .allSatisfy(row -> assertThat(row.notSent()).isEmpty());
        }

        @Test
        void shouldCountAnSmsIdBothNotSentAndDispatchedAsSentInEitherOrder() {
            for (final boolean dispatchFirst : new boolean[] {false, true}) {
                try (TopologyFixture f = new TopologyFixture()) {
                    final var decision = TopologyFixture.notSent("s1", M, "ios", IYS, T0);
                    final var dispatched = dispatch("s1", M, "android", T0.plusSeconds(30));
                    if (dispatchFirst) {
                        f.pipe(dispatched);
                        f.pipe(decision);
                    } else {
                        f.pipe(decision);
                        f.pipe(dispatched);
                    }
                    f.pipe(decision); // a repeat after both changes nothing
                    assertThat(f.stats(M).notSent()).as("dispatch first: %s", dispatchFirst).isEmpty();
                    assertThat(f.totals(M).sent()).isEqualTo(1);
                    assertThat(f.breakdown(M, Dimension.PLATFORM).getOrDefault("ios", io.smsreports.reporting.BreakdownRow.EMPTY).notSentTotal())
                            .as("uncounted where it was counted").isZero();
                }
            }
        }

        @Test
        void shouldCountTheLatestOfSeveralDecisionsWhateverTheirOrder() {
            final var first = TopologyFixture.notSent("s1", M, "ios", IYS, T0);
            final var later = TopologyFixture.notSent("s1", M, "ios", OPTED_OUT, T0.plusSeconds(60));
            for (final boolean laterFirst : new boolean[] {false, true}) {
                try (TopologyFixture f = new TopologyFixture()) {
                    f.pipe(laterFirst ? later : first);
                    f.pipe(laterFirst ? first : later);
                    assertThat(f.stats(M).notSent()).as("later first: %s", laterFirst).isEqualTo(Map.of("OPTED_OUT", 1L));
                }
            }
        }

        @Test
        void shouldKeepTheCountWhenTheDecisionIsForgottenAndCountADispatchAfterItsRetentionAsAnotherSms() {
            fx.pipe(TopologyFixture.notSent("s1", M, "ios", IYS, T0));
            fx.advanceStreamTimeTo(at("P8D")); // a retention (7 days) later
            fx.pipe(dispatch("s1", M, "ios", at("P8D")));
            assertThat(fx.stats(M).notSent()).isEqualTo(Map.of("IYS_NO_CONSENT", 1L));
            assertThat(fx.totals(M).sent()).isEqualTo(1);
            fx.pipe(TopologyFixture.notSent("s1", M, "ios", IYS, T0)); // a replay of the forgotten decision
            assertThat(fx.stats(M).notSent()).as("stale: not counted again").isEqualTo(Map.of("IYS_NO_CONSENT", 1L));
        }

        @Test
        void shouldKeepOneExportRowPerRecipientNotSentToWithItsLatestReason() {
            fx.pipe(TopologyFixture.notSent("n1", M, "android", IYS, T0));
            fx.pipe(TopologyFixture.notSent("n2", M, "ios", IYS, T0));
            fx.pipe(TopologyFixture.notSent("s1", M, "ios", IYS, T0));
            assertThat(fx.notSentRows(M)).isEqualTo(Map.of("n1", "IYS_NO_CONSENT", "n2", "IYS_NO_CONSENT", "s1", "IYS_NO_CONSENT"));
            fx.pipe(dispatch("s1", M, "ios", T0.plusSeconds(60))); // dispatched after all: its row goes
            fx.pipe(TopologyFixture.notSent("n2", M, "ios", OPTED_OUT, T0.plusSeconds(90))); // a later decision replaces the row
            assertThat(fx.notSentRows(M)).isEqualTo(Map.of("n1", "IYS_NO_CONSENT", "n2", "OPTED_OUT"));
        }

        @Test
        void shouldDeadLetterADecisionWithoutItsIds() {
            fx.pipe(io.smsreports.events.SmsNotSent.newBuilder(TopologyFixture.notSent("s1", M, "ios", IYS, T0)).setMessageId("").build());
            assertThat(fx.deadLetters.readRecordsToList()).hasSize(1);
            assertThat(fx.stats(M)).isNull();
        }
    }

    @Nested
    class Rule16Clicks {
        private io.smsreports.reporting.Engagement clicks() {
            return fx.stats(M).engagement();
        }

        @Test
        void shouldCountEachClickIdOnceUniqueClicksPerSmsAndPerLinkAndBotsApart() {
            fx.sendAndReceipt("s1", M, "android", T0, ReceiptStatus.DELIVERED, at("PT5S"));
            fx.sendAndReceipt("s2", M, "ios", T0, ReceiptStatus.DELIVERED, at("PT5S"));
            fx.pipe(TopologyFixture.click("c0", "s1", "shop", true, at("PT6S"))); // a link preview: a bot
            fx.pipe(TopologyFixture.click("c1", "s1", "shop", false, at("PT1M")));
            fx.pipe(TopologyFixture.click("c1", "s1", "shop", false, at("PT1M"))); // the same click again
            fx.pipe(TopologyFixture.click("c2", "s1", "shop", false, at("PT2M"))); // clicked again: not unique
            fx.pipe(TopologyFixture.click("c3", "s1", "terms", false, at("PT3M"))); // another link of the same SMS
            fx.pipe(TopologyFixture.click("c4", "s2", "shop", false, at("PT4M")));
            final var e = clicks();
            assertThat(List.of(e.totalClicks(), e.uniqueClicks(), e.botClicks())).containsExactly(4L, 2L, 1L);
            assertThat(e.links().get("shop")).isEqualTo(new io.smsreports.reporting.Engagement.LinkClicks("https://ex.co/shop", 3, 2, 1));
            assertThat(e.links().get("terms")).isEqualTo(new io.smsreports.reporting.Engagement.LinkClicks("https://ex.co/terms", 1, 1, 0));
            assertThat(fx.breakdown(M, Dimension.PLATFORM).get("android").clicks().uniqueClicks()).isEqualTo(1);
            assertThat(fx.breakdown(M, Dimension.PLATFORM).get("ios").clicks().totalClicks()).isEqualTo(1);
            assertThat(fx.totals(M).sent()).as("a click changes no status").isEqualTo(2);
            assertThat(fx.stats(M).costs().unpriced()).as("nor any cost").isEqualTo(2);
        }

        @Test
        void shouldHoldAClickBeforeItsDispatchAndCountItOnceTheDispatchComes() {
            fx.pipe(TopologyFixture.click("c1", "s1", "shop", false, at("PT10S")));
            fx.pipe(TopologyFixture.click("c1", "s1", "shop", false, at("PT10S"))); // held twice: still once
            fx.pipe(dispatch("s1", M, "android", T0));
            final var e = clicks();
            assertThat(List.of(e.totalClicks(), e.uniqueClicks(), e.botClicks())).containsExactly(1L, 1L, 0L);
            assertThat(fx.orphanClicks()).isZero();
        }

        @Test
        void shouldCountAClickThatNoDispatchClaimsAsAnOrphan() {
            fx.pipe(TopologyFixture.click("c1", "ghost", "shop", false, at("PT10S")));
            fx.advanceStreamTimeTo(at("P4DT1M")); // the hold (the receipt timeout) passed
            assertThat(fx.orphanClicks()).isEqualTo(1);
            fx.pipe(dispatch("ghost", M, "android", at("P4DT2M")));
            assertThat(fx.stats(M).engagement().totalClicks()).as("an orphan is not counted later").isZero();
        }

        @Test
        void shouldDeadLetterAClickWithoutItsIds() {
            fx.pipe(io.smsreports.events.SmsLinkClicked.newBuilder(TopologyFixture.click("c1", "s1", "shop", false, T0)).setClickId(" ").build());
            assertThat(fx.deadLetters.readRecordsToList()).hasSize(1);
        }
    }

    @Nested
    class Rule17RepliesAndOptOuts {
        private static final String M2 = "m-2";
        private static final String ALI = "+905551110001";
        private static final String AYSE = "+905551110002";

        private void sent(final String smsId, final String messageId, final String msisdn, final Instant at) {
            fx.pipe(SmsDispatched.newBuilder(dispatch(smsId, messageId, "android", at)).setMsisdn(msisdn).build());
        }

        private List<Long> repliesAndOptOuts(final String messageId) {
            final var e = fx.stats(messageId).engagement();
            return List.of(e.replies(), e.optOuts());
        }

        @Test
        void shouldAttributeAReplyToTheLatestSmsBeforeItWithinTheWindowAndCountDistinctMsisdns() {
            sent("a1", M, ALI, T0);
            sent("b1", M2, ALI, at("PT2H")); // the latest before Ali's replies
            sent("a2", M, AYSE, T0);
            fx.pipe(TopologyFixture.inbound("i1", ALI, "Teşekkürler", at("PT3H")));
            fx.pipe(TopologyFixture.inbound("i2", ALI, "ok", at("PT4H"))); // Ali again: one msisdn
            fx.pipe(TopologyFixture.inbound("i3", "0090 555 111 00 02", "merhaba", at("PT1H"))); // Ayşe, written another way
            fx.pipe(TopologyFixture.inbound("i4", AYSE, "late", at("PT73H"))); // past the 72 h window
            fx.pipe(TopologyFixture.inbound("i5", "+905559999999", "who is this", at("PT1H"))); // no SMS to that number
            assertThat(repliesAndOptOuts(M2)).isEqualTo(List.of(1L, 0L));
            assertThat(repliesAndOptOuts(M)).as("Ayşe once; Ali's replies follow the later SMS").isEqualTo(List.of(1L, 0L));
            assertThat(fx.unattributedReplies()).as("the late one and the stranger's").isEqualTo(2);
            assertThat(fx.totals(M).sent()).as("a reply changes no status").isEqualTo(2);
        }

        @Test
        void shouldCountAnOptOutByTheFirstWordCaseAccentAndTurkishIInsensitive() {
            final List<String> bodies = List.of("İPTAL", "iptal lütfen", "IPTAL", "ıptal", "Stop.", "DUR!", "  unsubscribe me");
            for (int i = 0; i < bodies.size(); i++) {
                final String msisdn = "+90555222000" + i;
                sent("s" + i, M, msisdn, T0);
                fx.pipe(TopologyFixture.inbound("in" + i, msisdn, bodies.get(i), at("PT1H")));
            }
            sent("k1", M, "+905552220100", T0);
            fx.pipe(TopologyFixture.inbound("k-in", "+905552220100", "please stop", at("PT1H"))); // STOP is not the first word
            assertThat(repliesAndOptOuts(M)).isEqualTo(List.of(8L, 7L));
        }

        @Test
        void shouldMoveAReplyToAnSmsThatArrivesLaterButWasSentBetween() {
            sent("a1", M, ALI, T0);
            fx.pipe(TopologyFixture.inbound("i1", ALI, "STOP", at("PT2H")));
            assertThat(repliesAndOptOuts(M)).isEqualTo(List.of(1L, 1L));
            sent("b1", M2, ALI, at("PT1H")); // the sender's backlog: sent before the reply, processed after it
            assertThat(repliesAndOptOuts(M)).as("taken over").isEqualTo(List.of(0L, 0L));
            assertThat(repliesAndOptOuts(M2)).isEqualTo(List.of(1L, 1L));
            assertThat(fx.personReplies(ALI).get("i1").messageId()).as("the history follows").isEqualTo(M2);
        }

        @Test
        void shouldCountARepeatedInboundIdOnceAndKeepTheReplyAndTheOptOutInThePersonsHistory() {
            sent("a1", M, ALI, T0);
            fx.pipe(TopologyFixture.inbound("i1", ALI, "Merhaba", at("PT1H")));
            fx.pipe(TopologyFixture.inbound("i2", ALI, "iptal", at("PT2H")));
            fx.pipe(TopologyFixture.inbound("i2", ALI, "iptal", at("PT2H"))); // the gateway's retry
            assertThat(repliesAndOptOuts(M)).isEqualTo(List.of(1L, 1L));
            final var history = fx.personReplies(ALI);
            assertThat(history).containsOnlyKeys("i1", "i2");
            assertThat(history.get("i2").optOut()).isTrue();
            assertThat(history.get("i2").receivedAt()).isEqualTo(at("PT2H").toEpochMilli());
            assertThat(history.get("i1")).extracting(io.smsreports.replies.PersonReply::smsId, io.smsreports.replies.PersonReply::body)
                    .containsExactly("a1", "Merhaba");
        }

        @Test
        void shouldKeepABodyOverTheLimitCutAndCountedNotDeadLettered() {
            sent("a1", M, ALI, T0);
            fx.pipe(TopologyFixture.inbound("i1", ALI, "STOP " + "x".repeat(2_000), at("PT1H")));
            assertThat(fx.deadLetters.readRecordsToList()).isEmpty();
            assertThat(repliesAndOptOuts(M)).isEqualTo(List.of(1L, 1L));
            assertThat(fx.personReplies(ALI).get("i1").body()).hasSize(io.smsreports.replies.Inbound.MAX_BODY);
            assertThat(fx.driver.<String, Long>getKeyValueStore(StoreNames.REPLY_META).get(ReplyProcessor.CLAMPED_BODIES_KEY)).isEqualTo(1);
        }

        @Test
        void shouldForgetANumberOnceItsEntriesAreBehindTheRetentionAndTheWindowWithItsCountsStanding() {
            sent("a1", M, ALI, T0);
            fx.pipe(TopologyFixture.inbound("i1", ALI, "STOP", at("PT1H")));
            assertThat(fx.driver.<String, io.smsreports.replies.ReplyLedger>getKeyValueStore(StoreNames.REPLY_LEDGER).get(ALI)).isNotNull();
            // Both inputs eleven days on (7 days' retention + the 72 h window behind): Ali's ledger goes at the next scan.
            fx.advanceStreamTimeTo(at("P11D"));
            fx.pipe(TopologyFixture.inbound("stranger", "+905559999999", "hi", at("P11D")));
            fx.advanceWallClock(Duration.ofSeconds(30));
            assertThat(fx.driver.<String, io.smsreports.replies.ReplyLedger>getKeyValueStore(StoreNames.REPLY_LEDGER).get(ALI)).isNull();
            assertThat(repliesAndOptOuts(M)).as("the counts stand").isEqualTo(List.of(1L, 1L));
            fx.pipe(TopologyFixture.inbound("i2", ALI, "iptal", at("PT2H"))); // a replay from before the retention: stale
            assertThat(repliesAndOptOuts(M)).isEqualTo(List.of(1L, 1L));
            assertThat(fx.unattributedReplies()).as("the stranger only").isEqualTo(1);
            assertThat(fx.driver.<String, Long>getKeyValueStore(StoreNames.REPLY_META).get(ReplyProcessor.STALE_KEY)).isEqualTo(1);
        }

        @Test
        void shouldDeadLetterAnInboundWithoutItsIds() {
            fx.pipe(io.smsreports.events.SmsInbound.newBuilder(TopologyFixture.inbound("i1", ALI, "hi", T0)).setInboundId(" ").build());
            fx.pipe(io.smsreports.events.SmsInbound.newBuilder(TopologyFixture.inbound("i2", ALI, "hi", T0)).setMsisdn("").build());
            assertThat(fx.deadLetters.readRecordsToList()).hasSize(2);
        }
    }

    @Nested
    class Rule15Spend {
        private static SmsDispatched priced(final String smsId, final Long micros, final String currency, final String encoding,
                final int parts, final Instant at) {
            return SmsDispatched.newBuilder(dispatch(smsId, M, "android", at)).setPriceMicros(micros).setCurrency(currency)
                    .setEncoding(encoding == null ? null : io.smsreports.events.SmsEncoding.valueOf(encoding)).setSegments(parts)
                    .setOperator("286-01").build();
        }

        private static io.smsreports.events.DeliveryReceipt priced(final io.smsreports.events.DeliveryReceipt receipt, final Long micros,
                final String currency) {
            return io.smsreports.events.DeliveryReceipt.newBuilder(receipt).setPriceMicros(micros).setCurrency(currency).build();
        }

        private Costs.CurrencySpend spend(final String currency) {
            return fx.stats(M).costs().currencies().get(currency);
        }

        @Test
        void shouldCountSpendPerCurrencyWasteOnFailedAndUnconfirmedAndCostPerDelivered() {
            fx.pipe(priced("d1", 20_000L, "TRY", "GSM7", 1, T0));
            fx.pipe(priced("d2", 30_000L, "TRY", "GSM7", 1, T0.plusSeconds(1)));
            fx.pipe(priced("f1", 25_000L, "TRY", "GSM7", 1, T0.plusSeconds(2)));
            fx.pipe(priced("u1", 40_000L, "TRY", "GSM7", 1, T0.plusSeconds(3)));
            fx.pipe(priced("e1", 7_000L, "EUR", "GSM7", 1, T0.plusSeconds(4)));
            fx.pipe(receipt("d1", ReceiptStatus.DELIVERED, at("PT10S"), at("PT11S")));
            fx.pipe(receipt("d2", ReceiptStatus.DELIVERED, at("PT10S"), at("PT11S")));
            fx.pipe(receipt("f1", ReceiptStatus.UNDELIVERABLE, at("PT10S"), at("PT11S")));
            fx.pipe(receipt("e1", ReceiptStatus.DELIVERED, at("PT10S"), at("PT11S")));
            assertThat(spend("TRY")).as("u1 pending: spent, not wasted yet").isEqualTo(new Costs.CurrencySpend(115_000, 25_000, 2));
            assertThat(spend("TRY").costPerDeliveredMicros()).isEqualTo(57_500L);
            assertThat(spend("EUR")).as("never summed across currencies").isEqualTo(new Costs.CurrencySpend(7_000, 0, 1));

            fx.advanceStreamTimeTo(at("P4DT1M")); // u1 Unconfirmed
            assertThat(spend("TRY")).isEqualTo(new Costs.CurrencySpend(115_000, 65_000, 2));
            fx.pipe(receipt("u1", ReceiptStatus.DELIVERED, at("P4DT2M"), at("P4DT2M"))); // delivered late: no longer wasted
            assertThat(spend("TRY")).isEqualTo(new Costs.CurrencySpend(115_000, 25_000, 3));
            assertThat(fx.stats(M).costs().unpriced()).isZero();
        }

        @Test
        void shouldRepriceFromAFinalReceiptExactlyOnceWhateverArrivesFirst() {
            for (final boolean receiptFirst : new boolean[] {false, true}) {
                try (TopologyFixture f = new TopologyFixture()) {
                    final var dispatched = priced("s1", 20_000L, "TRY", "GSM7", 2, T0);
                    final var delivered = priced(receipt("s1", ReceiptStatus.DELIVERED, at("PT5S"), at("PT6S")), 26_000L, "TRY");
                    if (receiptFirst) {
                        f.pipe(delivered);
                        f.pipe(delivered); // a duplicate carries the same price: nothing moves twice
                        f.pipe(dispatched);
                    } else {
                        f.pipe(dispatched);
                        f.pipe(delivered);
                        f.pipe(delivered);
                    }
                    assertThat(f.stats(M).costs().currencies()).as("receipt first: %s", receiptFirst)
                            .isEqualTo(Map.of("TRY", new Costs.CurrencySpend(26_000, 0, 1)));
                    assertThat(f.stats(M).reconciliation().duplicateReceipts()).isEqualTo(1);
                    final var row = f.breakdown(M, Dimension.ROUTE).get("acme/286-01");
                    assertThat(row.costs().currencies()).isEqualTo(Map.of("TRY", new Costs.CurrencySpend(26_000, 0, 1)));
                }
            }
        }

        @Test
        void shouldMoveTheFiguresOnceWhenALaterReceiptChangesThePriceOfAFailedSms() {
            fx.pipe(priced("s1", 20_000L, "TRY", "GSM7", 1, T0));
            fx.pipe(priced(receipt("s1", ReceiptStatus.UNDELIVERABLE, at("PT5S"), at("PT6S")), 21_000L, "TRY"));
            assertThat(spend("TRY")).isEqualTo(new Costs.CurrencySpend(21_000, 21_000, 0));
            // A conflicting final later: counted as a conflict (rule 2), its price is the latest known.
            fx.pipe(priced(receipt("s1", ReceiptStatus.DELIVERED, at("PT7S"), at("PT8S")), 23_000L, "TRY"));
            assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(1, 0, 1, 0, 1));
            assertThat(spend("TRY")).isEqualTo(new Costs.CurrencySpend(23_000, 23_000, 0));
        }

        @Test
        void shouldCountTheSmsAndIgnoreABadPriceNegativeUnknownCurrencyOrACurrencyChange() {
            fx.pipe(priced("neg", -5L, "TRY", "GSM7", 1, T0));
            fx.pipe(priced("xxx", 5_000L, "XXY", "GSM7", 1, T0.plusSeconds(1)));
            fx.pipe(priced("chg", 5_000L, "TRY", "GSM7", 1, T0.plusSeconds(2)));
            fx.pipe(priced(receipt("chg", ReceiptStatus.DELIVERED, at("PT5S"), at("PT6S")), 9_000L, "EUR"));
            assertThat(fx.totals(M)).as("every SMS counted").isEqualTo(new PlatformCounts(3, 1, 0, 0, 3));
            assertThat(fx.stats(M).reconciliation().badPrices()).isEqualTo(3);
            assertThat(fx.stats(M).costs().unpriced()).as("neg and xxx: no usable price").isEqualTo(2);
            assertThat(fx.stats(M).costs().currencies()).as("chg keeps its first currency")
                    .isEqualTo(Map.of("TRY", new Costs.CurrencySpend(5_000, 0, 1)));
            assertThat(fx.deadLetters.readRecordsToList()).as("never a dead letter").isEmpty();
        }

        @Test
        void shouldPriceAnSmsWithoutAPriceFromTheTariffByItsPartsAndLetAReceiptPriceOverrideIt() {
            try (TopologyFixture f = new TopologyFixture(TopologyFixture.settings().withTariffs(() -> io.smsreports.lifecycle.Tariffs.parse(
                    "country,operator,currency,pricePerPart\nTR,*,TRY,0.0125\nTR,286-01,TRY,0.01\n")))) {
                f.pipe(priced("t1", null, null, "UCS2", 3, T0));
                f.pipe(SmsDispatched.newBuilder(priced("t2", null, null, "GSM7", 1, T0)).setSmsId("t2").setOperator("286-02").build());
                f.pipe(SmsDispatched.newBuilder(priced("t3", null, null, null, 1, T0)).setSmsId("t3").setCountry("DE").build());
                f.pipe(priced(receipt("t2", ReceiptStatus.DELIVERED, at("PT5S"), at("PT6S")), 9_000L, "EUR")); // tariffs give way
                final Costs costs = f.stats(M).costs();
                assertThat(costs.currencies()).isEqualTo(Map.of("TRY", new Costs.CurrencySpend(30_000, 0, 0),
                        "EUR", new Costs.CurrencySpend(9_000, 0, 1)));
                assertThat(costs.unpriced()).as("DE has no tariff").isEqualTo(1);
                assertThat(f.stats(M).reconciliation().badPrices()).isZero();
            }
        }

        @Test
        void shouldCountEncodingsPartsAndTheExtraPartsUcs2Costs() {
            fx.pipe(priced("g1", null, null, "GSM7", 1, T0));
            fx.pipe(priced("g2", null, null, "GSM7", 2, T0));
            fx.pipe(priced("u1", null, null, "UCS2", 1, T0)); // ≤ 70 chars: 1 GSM-7 part too
            fx.pipe(priced("u3", null, null, "UCS2", 3, T0)); // ≤ 201 chars: 2 GSM-7 parts
            fx.pipe(priced("n1", null, null, null, 1, T0)); // encoding unknown
            final Costs costs = fx.stats(M).costs();
            assertThat(List.of(costs.gsm7(), costs.gsm7Parts(), costs.ucs2(), costs.ucs2Parts(), costs.ucs2ExtraParts()))
                    .isEqualTo(List.of(2L, 3L, 2L, 4L, 1L));
            assertThat(costs.unpriced()).isEqualTo(5);
        }

        @Test
        void shouldKeepTheRouteScorecardEqualToTheCampaignsRouteRowsByDispatchHour() {
            fx.pipe(priced("r1", 10_000L, "TRY", "GSM7", 1, T0));
            fx.pipe(priced("r2", 10_000L, "TRY", "GSM7", 1, T0.plus(Duration.ofHours(1))));
            fx.pipe(SmsDispatched.newBuilder(priced("r3", 10_000L, "TRY", "GSM7", 1, T0)).setSmsId("r3").setProvider("globex").build());
            fx.pipe(SmsDispatched.newBuilder(dispatch("o1", "m-other", "ios", T0)).setOperator("286-01").build());
            fx.pipe(receipt("r1", ReceiptStatus.DELIVERED, at("PT2H"), at("PT2H"))); // counts in r1's dispatch hour
            fx.pipe(receipt("r3", ReceiptStatus.REJECTED, at("PT2H"), at("PT2H")));

            final Map<String, Map<Long, BreakdownRow>> routes = fx.routes();
            assertThat(routes).containsOnlyKeys("acme/286-01", "globex/286-01");
            final long hour0 = T0.toEpochMilli() / 3_600_000L * 3_600_000L;
            assertThat(routes.get("acme/286-01")).containsOnlyKeys(hour0, hour0 + 3_600_000L);
            assertThat(routes.get("acme/286-01").get(hour0).counts()).as("r1 and the other campaign's o1")
                    .isEqualTo(new PlatformCounts(2, 1, 0, 0, 2));
            assertThat(routes.get("globex/286-01").get(hour0).costs().currencies())
                    .isEqualTo(Map.of("TRY", new Costs.CurrencySpend(10_000, 10_000, 0)));
            for (final String route : routes.keySet()) {
                final BreakdownRow all = routes.get(route).values().stream().reduce(BreakdownRow.EMPTY, BreakdownRow::plus);
                final BreakdownRow campaigns = java.util.stream.Stream.of(M, "m-other")
                        .map(m -> fx.breakdown(m, Dimension.ROUTE).getOrDefault(route, BreakdownRow.EMPTY))
                        .reduce(BreakdownRow.EMPTY, BreakdownRow::plus);
                assertThat(all).as("route %s: its hours add up to the campaigns' rows", route).isEqualTo(campaigns);
            }
        }
    }

    @Nested
    class Rule13OrderDoesNotChangeANumber {
        @Test
        void shouldNotTimeOutWhileTheOtherInputIsBehind() {
            fx.pipe(dispatch("s1", M, "android", T0));
            fx.pipe(receipt("s0", ReceiptStatus.ACCEPTED, null, at("PT1M")));
            fx.pipe(dispatch("s2", M, "android", at("P5D"))); // the dispatches run five days ahead of the receipts
            fx.driver.advanceWallClockTime(fx.settings.expiryScanInterval());
            assertThat(fx.watermark()).as("the receipts' time").isEqualTo(at("PT1M").toEpochMilli());
            assertThat(fx.totals(M).unconfirmed()).as("s1's receipts may still come").isZero();

            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("P1D"), at("P1D")));
            assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(2, 1, 0, 0, 2));
            assertThat(fx.stats(M).reconciliation()).isEqualTo(Reconciliation.ZERO);
        }

        @Test
        void shouldJudgeALateReceiptByItsOwnTimeNotByWhenItWasProcessed() {
            fx.pipe(dispatch("s1", M, "android", T0));
            fx.advanceStreamTimeTo(at("P4DT1H")); // the timeout is judged before the receipt is processed
            assertThat(fx.totals(M).unconfirmed()).isEqualTo(1);
            // Done and received before the timeout, published late: it resolves the Unconfirmed, but is no late receipt.
            fx.receipts.pipeInput("s1", receipt("s1", ReceiptStatus.DELIVERED, at("P3DT22H"), at("P3DT23H")), at("P3DT23H"));
            assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(1, 1, 0, 0, 1));
            assertThat(fx.stats(M).reconciliation().lateReceipts()).isZero();
        }

        @Test
        void shouldNotApplyAReceiptThatArrivedAfterTheRetentionEvenWhenProcessedFirst() {
            // A gateway's backlog: the receipts are processed before the dispatch, but this one arrived 8 days after it.
            fx.pipe(receipt("s1", ReceiptStatus.ENROUTE, null, at("PT1M")));
            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("P8D"), at("P8D")));
            fx.pipe(dispatch("s1", M, "android", T0));
            fx.advanceStreamTimeTo(at("P20D"));
            assertThat(fx.totals(M)).as("Unconfirmed, as when the inputs came in time order").isEqualTo(new PlatformCounts(1, 0, 0, 1, 1));
            assertThat(fx.orphanReceipts()).as("the receipt of no SMS").isEqualTo(1);
            assertThat(fx.drainDelivered()).isEmpty();
        }

        @Test
        void shouldNeverCountAReplayedDispatchTwice() {
            fx.pipe(dispatch("s1", M, "android", T0));
            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("PT1M"), at("PT1M")));
            fx.advanceStreamTimeTo(at("P2D"));
            // Offsets reset, state kept: the same records again. Within the retention the state says it was counted ...
            fx.pipe(dispatch("s1", M, "android", T0));
            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("PT1M"), at("PT1M")));
            assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(1, 1, 0, 0, 1));
            // ... and past it, when the state is gone, the watermark says the dispatch is too old to be new.
            fx.advanceStreamTimeTo(at("P9D"));
            fx.pipe(dispatch("s1", M, "android", T0));
            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("PT1M"), at("PT1M")));
            assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(1, 1, 0, 0, 1));
            assertThat(fx.staleInputs()).isEqualTo(2);
            assertThat(fx.orphanReceipts()).isZero();
            assertThat(fx.drainDelivered()).hasSize(1);
        }

        @Test
        void shouldStopWaitingForAnInputThatIsCaughtUpAndSilent() {
            fx.pipe(dispatch("s1", M, "android", T0));
            fx.pipe(receipt("s0", ReceiptStatus.ACCEPTED, null, T0));
            fx.pipe(dispatch("s2", M, "android", at("P5D")));
            fx.driver.advanceWallClockTime(fx.settings.expiryScanInterval());
            assertThat(fx.totals(M).unconfirmed()).isZero();
            // The receipts input stays silent (and is consumed): after the idleness period it no longer holds s1 up.
            fx.advanceWallClock(fx.settings.inputIdleness().plus(fx.settings.expiryScanInterval()));
            assertThat(fx.watermark()).isEqualTo(at("P5D").toEpochMilli());
            assertThat(fx.totals(M).unconfirmed()).isEqualTo(1);
        }
    }

    @Nested
    class Rule6PendingIsTheRest {
        @Test
        void shouldDerivePendingFromTheOtherCountsAtEveryStep() {
            for (int i = 0; i < 10; i++) {
                fx.pipe(dispatch("s" + i, M, "android", T0.plusSeconds(i)));
            }
            assertThat(fx.totals(M).pending()).isEqualTo(10);
            fx.pipe(receipt("s0", ReceiptStatus.DELIVERED, at("PT1M"), at("PT1M")));
            fx.pipe(receipt("s1", ReceiptStatus.REJECTED, at("PT1M"), at("PT1M")));
            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("PT1M"), at("PT2M")));
            assertThat(fx.totals(M).pending()).isEqualTo(8);
            fx.advanceStreamTimeTo(at("P4DT1M"));
            final PlatformCounts totals = fx.totals(M);
            assertThat(totals.unconfirmed()).isEqualTo(8);
            assertThat(totals.pending()).isZero();
            assertThat(totals.pending()).isEqualTo(totals.sent() - totals.delivered() - totals.failed() - totals.unconfirmed());
        }

        @Test
        void shouldNeverReportNegativePending() {
            assertThat(new PlatformCounts(1, 1, 1, 0, 1).pending()).isZero();
        }
    }

    @Nested
    class Rule7OrphanReceipts {
        @Test
        void shouldCountReceiptsNeverDispatchedAsOrphansAfterTheHoldAndNowhereElse() {
            fx.pipe(receipt("ghost", ReceiptStatus.ENROUTE, null, at("PT1S")));
            fx.pipe(receipt("ghost", ReceiptStatus.DELIVERED, at("PT2S"), at("PT2S")));
            fx.advanceStreamTimeTo(at("P3DT23H"));
            assertThat(fx.orphanReceipts()).as("still held").isZero();

            fx.advanceStreamTimeTo(at("P4DT1M"));
            assertThat(fx.orphanReceipts()).isEqualTo(2);
            assertThat(fx.stats(M)).isNull();
            assertThat(fx.drainDelivered()).extracting(kv -> kv.key).doesNotContain("ghost");
        }

        @Test
        void shouldTreatADispatchAfterTheHoldAsANewPendingSms() {
            fx.pipe(receipt("late", ReceiptStatus.DELIVERED, at("PT2S"), at("PT2S")));
            fx.advanceStreamTimeTo(at("P4DT1M"));
            fx.pipe(dispatch("late", M, "android", at("P4DT2M")));
            assertThat(fx.orphanReceipts()).isEqualTo(1);
            assertThat(fx.totals(M)).isEqualTo(new PlatformCounts(1, 0, 0, 0, 1));
        }
    }

    @Nested
    class Rule8HourlyBuckets {
        @Test
        void shouldBucketSentByDispatchHourAndFinalsByDoneAtHour() {
            fx.pipe(dispatch("s1", M, "android", at("PT10M")));
            // done at 10:59 (hour 10 after T0's 08:00 + 2h), received an hour later: bucketed by doneAt
            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("PT2H59M"), at("PT3H30M")));
            fx.pipe(dispatch("s2", M, "android", at("PT20M")));
            fx.pipe(receipt("s2", ReceiptStatus.UNDELIVERABLE, null, at("PT5H1M"))); // no doneAt: receivedAt

            final Map<Instant, HourlyCounts> hours = fx.hourly(M);
            assertThat(hours).containsOnlyKeys(at("PT0S"), at("PT2H"), at("PT5H"));
            assertThat(hours.get(at("PT0S")).totals()).isEqualTo(new HourlyCounts.Counts(2, 0, 0));
            assertThat(hours.get(at("PT2H")).totals()).isEqualTo(new HourlyCounts.Counts(0, 1, 0));
            assertThat(hours.get(at("PT5H")).totals()).isEqualTo(new HourlyCounts.Counts(0, 0, 1));
        }

        @Test
        void shouldBucketALateFinalInTheHourItWasDone() {
            fx.pipe(dispatch("s1", M, "android", T0));
            fx.advanceStreamTimeTo(at("P4DT3H"));
            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("P2D"), at("P4DT4H"))); // done long ago, reported late
            assertThat(fx.hourly(M).get(at("P2D")).totals()).isEqualTo(new HourlyCounts.Counts(0, 1, 0));
        }
    }

    @Nested
    class Rule9PlatformBreakdown {
        @Test
        void shouldSumByTheDispatchPlatformAndMatchTotalsOverPlatformsAndHours() {
            fx.sendAndReceipt("a1", M, "android", T0, ReceiptStatus.DELIVERED, at("PT1M"));
            fx.sendAndReceipt("a2", M, "Android ", at("PT1H"), ReceiptStatus.EXPIRED, at("PT2H"));
            fx.sendAndReceipt("i1", M, "ios", at("PT2H"), ReceiptStatus.DELIVERED, at("PT3H"));
            fx.pipe(dispatch("u1", M, null, at("PT3H")));
            fx.pipe(dispatch("u2", M, "  ", at("PT3H")));

            final Map<String, PlatformCounts> platforms = fx.stats(M).platforms();
            assertThat(platforms).containsOnlyKeys("android", "ios", "unknown");
            assertThat(platforms.get("android")).isEqualTo(new PlatformCounts(2, 1, 1, 0, 2));
            assertThat(platforms.get("ios")).isEqualTo(new PlatformCounts(1, 1, 0, 0, 1));
            assertThat(platforms.get("unknown")).isEqualTo(new PlatformCounts(2, 0, 0, 0, 2));

            final PlatformCounts totals = fx.totals(M);
            assertThat(totals).isEqualTo(new PlatformCounts(5, 2, 1, 0, 5));
            final HourlyCounts.Counts overHours = fx.hourly(M).values().stream().map(HourlyCounts::totals)
                    .reduce(HourlyCounts.Counts.ZERO, HourlyCounts.Counts::plus);
            assertThat(overHours).isEqualTo(new HourlyCounts.Counts(totals.sent(), totals.delivered(), totals.failed()));
        }
    }

    @Nested
    class Rule10SmsDeliveredExactlyOnce {
        @Test
        void shouldEmitOneSmsDeliveredPerSmsIdWhateverTheReceiptsSay() {
            fx.pipe(dispatch("s1", M, "ios", T0));
            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("PT2.1S"), at("PT3S")));
            fx.pipe(receipt("s1", ReceiptStatus.DELIVERED, at("PT2.1S"), at("PT9S")));
            fx.pipe(receipt("s1", ReceiptStatus.UNDELIVERABLE, at("PT10S"), at("PT10S")));
            fx.pipe(dispatch("s1", M, "ios", T0));

            final List<KeyValue<String, SmsDelivered>> delivered = fx.drainDelivered();
            assertThat(delivered).hasSize(1);
            final SmsDelivered event = delivered.get(0).value;
            assertThat(delivered.get(0).key).isEqualTo("s1");
            assertThat(event.getMessageId()).isEqualTo(M);
            assertThat(event.getPlatform()).isEqualTo("ios");
            assertThat(event.getMsisdn()).isEqualTo(dispatch("s1", M, "ios", T0).getMsisdn());
            assertThat(event.getExternalId()).isEqualTo("user-s1");
            assertThat(event.getDispatchedAt()).isEqualTo(T0);
            assertThat(event.getDeliveredAt()).isEqualTo(at("PT2.1S"));
            assertThat(event.getLatencyMs()).isEqualTo(2100);
            assertThat(fx.latencyBuckets(M)).containsExactly(Map.entry(LatencyBuckets.bucketOf(2100), 1L));
        }

        @Test
        void shouldNotEmitForFailuresOrUnconfirmed() {
            fx.sendAndReceipt("s1", M, "ios", T0, ReceiptStatus.REJECTED, at("PT1S"));
            fx.pipe(dispatch("s2", M, "ios", T0));
            fx.advanceStreamTimeTo(at("P5D"));
            assertThat(fx.drainDelivered()).isEmpty();
        }
    }

    @Test
    void shouldKeepCampaignMetadataApartFromTheCountsAndCountDispatchesOfUnknownCampaigns() {
        fx.pipe(dispatch("s1", "m-unknown", "android", T0));
        assertThat(fx.totals("m-unknown").sent()).isEqualTo(1);
        assertThat(fx.campaignMetadata("m-unknown")).isNull();

        fx.pipe(campaign("m-unknown", 5000));
        assertThat(fx.campaignMetadata("m-unknown").getTargetAudience()).isEqualTo(5000);
        assertThat(fx.totals("m-unknown").sent()).isEqualTo(1);

        fx.rawCampaigns.pipeInput("m-unknown".getBytes(), null, T0.plusSeconds(5)); // tombstone
        assertThat(fx.campaignMetadata("m-unknown")).isNull();
        assertThat(fx.totals("m-unknown").sent()).as("counts stay").isEqualTo(1);
    }

    @Test
    void shouldKeepEachPersonsHistoryAndLookups() {
        final SmsDispatched first = SmsDispatched.newBuilder(dispatch("s1", M, "android", T0)).setEmail("Ayse@Example.com").build();
        fx.pipe(first);
        fx.pipe(receipt("s1", ReceiptStatus.UNDELIVERABLE, at("PT1M"), at("PT1M")));
        final SmsDispatched second = SmsDispatched.newBuilder(dispatch("s2", "m-2", "android", at("PT1H")))
                .setExternalId(first.getExternalId()).setMsisdn(first.getMsisdn()).build();
        fx.pipe(second);

        final String personId = TopologyFixture.personOf(first);
        assertThat(personId).isEqualTo("ext:user-s1");
        assertThat(fx.personMessages(personId)).satisfiesExactly(
                m -> {
                    assertThat(m.smsId()).isEqualTo("s1");
                    assertThat(m.status()).isEqualTo(Outcome.FAILED);
                    assertThat(m.failReason()).isEqualTo("reason UNDELIVERABLE");
                    assertThat(m.finalAt()).isEqualTo(at("PT1M").toEpochMilli());
                },
                m -> {
                    assertThat(m.smsId()).isEqualTo("s2");
                    assertThat(m.messageId()).isEqualTo("m-2");
                    assertThat(m.status()).isEqualTo(Outcome.PENDING);
                    assertThat(m.finalAt()).isNull();
                });
        assertThat(fx.person("tel:" + first.getMsisdn()).personId()).isEqualTo(personId);
        assertThat(fx.person("email:ayse@example.com").personId()).isEqualTo(personId);
        assertThat(fx.person(personId).msisdn()).isEqualTo(first.getMsisdn());
    }

    @Test
    void shouldForgetSmsStatesAfterTheRetentionAndKeepTheIndexBounded() {
        for (int i = 0; i < 50; i++) {
            fx.sendAndReceipt("s" + i, M, "android", T0.plusSeconds(i), ReceiptStatus.DELIVERED, T0.plusSeconds(i + 5));
        }
        fx.pipe(receipt("orphan", ReceiptStatus.ENROUTE, null, at("PT1M")));
        assertThat(fx.liveSmsStates()).isEqualTo(51);
        assertThat(fx.indexEntries()).as("one entry per state").isEqualTo(51);

        fx.advanceStreamTimeTo(at("P7DT1H"));
        assertThat(fx.liveSmsStates()).as("only the clock tick's own SMS is left").isEqualTo(1);
        assertThat(fx.indexEntries()).isEqualTo(1);
        assertThat(fx.totals(M).delivered()).as("counts outlive the per-SMS state").isEqualTo(50);
    }
}
