package io.smsreports.smpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.ReceiptStatus;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SmppReceiptParserTest {

    private final SmppReceiptParser parser = new SmppReceiptParser();

    @Test
    void shouldParseACompleteReceiptWithSeconds() {
        final SmppReceipt receipt = parser.parse(
                "id:0123456789 sub:001 dlvrd:001 submit date:2611271000 done date:261127100512 stat:DELIVRD err:000 text:Hello world");
        assertThat(receipt.providerMessageId()).isEqualTo("0123456789");
        assertThat(receipt.submitted()).isEqualTo(1);
        assertThat(receipt.delivered()).isEqualTo(1);
        assertThat(receipt.submitDate()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
        assertThat(receipt.doneDate()).isEqualTo(Instant.parse("2026-11-27T10:05:12Z"));
        assertThat(receipt.stat()).isEqualTo("DELIVRD");
        assertThat(receipt.status()).isEqualTo(ReceiptStatus.DELIVERED);
        assertThat(receipt.errorCode()).isEqualTo("000");
        assertThat(receipt.text()).isEqualTo("Hello world");
        assertThat(receipt.isFinal()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "DELIVRD, DELIVERED", "EXPIRED, EXPIRED", "DELETED, DELETED", "UNDELIV, UNDELIVERABLE",
        "ACCEPTD, ACCEPTED", "UNKNOWN, UNKNOWN", "REJECTD, REJECTED", "ENROUTE, ENROUTE",
        "delivrd, DELIVERED", "FAILED, UNKNOWN", "BLOCKED, UNKNOWN"})
    void shouldMapStatPerTheContract(final String stat, final ReceiptStatus expected) {
        final SmppReceipt receipt = parser.parse("id:x1 stat:" + stat);
        assertThat(receipt.status()).isEqualTo(expected);
        assertThat(receipt.stat()).as("raw value kept").isEqualTo(stat);
    }

    @Test
    void shouldAcceptFieldsInAnyCaseAndOrderWithTextHoldingColons() {
        final SmppReceipt receipt = parser.parse("Stat:UNDELIV ID:abc-1 Err:0B1 Done Date:2611271005 Text:call me: 10:00 stat:x");
        assertThat(receipt.providerMessageId()).isEqualTo("abc-1");
        assertThat(receipt.status()).isEqualTo(ReceiptStatus.UNDELIVERABLE);
        assertThat(receipt.errorCode()).isEqualTo("0B1");
        assertThat(receipt.doneDate()).isEqualTo(Instant.parse("2026-11-27T10:05:00Z"));
        assertThat(receipt.text()).isEqualTo("call me: 10:00 stat:x");
        assertThat(receipt.submitDate()).isNull();
    }

    @Test
    void shouldReadDatesInTheSmscTimeZone() {
        final SmppReceipt receipt = new SmppReceiptParser(ZoneId.of("Europe/Istanbul"))
                .parse("id:1 done date:2611271305 stat:DELIVRD");
        assertThat(receipt.doneDate()).isEqualTo(Instant.parse("2026-11-27T10:05:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "   ",
        "hello there",
        "stat:DELIVRD",                                           // no id
        "id:123",                                                 // no stat
        "id:1 stat:DELIVRD done date:26112710",                   // 8 digits
        "id:1 stat:DELIVRD done date:2613271000",                 // month 13
        "id:1 stat:DELIVRD submit date:2611271061",               // minute 61
        "id:1 stat:DELIVRD sub:abc",
        "id:1 stat:DELIVRD dlvrd:1234",
        "id:1 stat:DELIVRD err:!!",
        "id:1 stat:DEL-IVRD",
        "id:1 id:2 stat:DELIVRD",
        "garbage id:1 stat:DELIVRD",
        "id: stat:DELIVRD"})
    void shouldRejectMalformedReceiptsClearly(final String text) {
        assertThatThrownBy(() -> parser.parse(text))
                .isInstanceOf(SmppReceiptParseException.class)
                .hasMessageContaining("SMPP")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("null"));
    }

    @Test
    void shouldNameTheMalformedField() {
        assertThatThrownBy(() -> parser.parse("id:1 stat:DELIVRD done date:2613271000"))
                .hasMessageContaining("'done date'")
                .hasMessageContaining("2613271000");
        assertThatThrownBy(() -> parser.parse("id:1 sub:1 dlvrd:1"))
                .hasMessageContaining("no 'stat:' field");
    }

    @Test
    void shouldBuildTheDeliveryReceiptAGatewayPublishes() {
        final Instant received = Instant.parse("2026-11-27T10:06:00Z");
        final DeliveryReceipt failed = parser.parse("id:p-9 sub:001 dlvrd:000 submit date:2611271000 done date:2611271005 stat:UNDELIV err:001 text:x")
                .toDeliveryReceipt("sms-9", "acme", received);
        assertThat(failed.getSmsId()).isEqualTo("sms-9");
        assertThat(failed.getProvider()).isEqualTo("acme");
        assertThat(failed.getStatus()).isEqualTo(ReceiptStatus.UNDELIVERABLE);
        assertThat(failed.getProviderStatus()).isEqualTo("UNDELIV");
        assertThat(failed.getErrorCode()).isEqualTo("001");
        assertThat(failed.getFailReason()).contains("undeliverable").contains("UNDELIV").contains("001");
        assertThat(failed.getDoneAt()).isEqualTo(Instant.parse("2026-11-27T10:05:00Z"));
        assertThat(failed.getReceivedAt()).isEqualTo(received);

        final DeliveryReceipt delivered = parser.parse("id:p-9 stat:DELIVRD err:000").toDeliveryReceipt("sms-9", "acme", received);
        assertThat(delivered.getFailReason()).isNull();
        assertThat(delivered.getDoneAt()).isNull();
    }
}
