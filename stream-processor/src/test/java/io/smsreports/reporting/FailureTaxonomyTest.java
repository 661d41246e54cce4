package io.smsreports.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsreports.events.ReceiptStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rule 11: one test per default row of the mapping table, written out here independently of the table. */
class FailureTaxonomyTest {

    private final FailureTaxonomy defaults = FailureTaxonomy.defaults();

    @ParameterizedTest(name = "{0} {1} -> {2}, permanent {3}")
    @CsvSource({
        // SMPP 3.4 command_status, in any spelling of the hex value, under any failed status
        "UNDELIVERABLE, 0x00000001, VALIDATION, true",
        "REJECTED, 0x8, PROVIDER, false",
        "UNDELIVERABLE, 0x0000000a, CONFIGURATION, true",
        "UNDELIVERABLE, 0x0B, DATA, true",
        "REJECTED, 0x0000000D, CONFIGURATION, true",
        "REJECTED, 0x0000000E, CONFIGURATION, true",
        "REJECTED, 0x0000000F, CONFIGURATION, true",
        "UNDELIVERABLE, 0x14, PROVIDER, false",
        "UNDELIVERABLE, 0x45, PROVIDER, false",
        "UNDELIVERABLE, 0x58, PROVIDER, false",
        "REJECTED, 0x61, VALIDATION, true",
        "REJECTED, 0x62, VALIDATION, true",
        "UNDELIVERABLE, 0xFE, PROVIDER, false",
        "UNKNOWN, 0xFF, UNKNOWN, false",
        // GSM MAP errors in the receipt's err field, 3 digits or not
        "UNDELIVERABLE, 001, DATA, true",
        "UNDELIVERABLE, 5, DATA, true",
        "UNDELIVERABLE, 009, DATA, true",
        "UNDELIVERABLE, 011, DATA, true",
        "UNDELIVERABLE, 012, DATA, true",
        "UNDELIVERABLE, 013, PROVIDER, false",
        "EXPIRED, 027, PROVIDER, false",
        "UNDELIVERABLE, 031, PROVIDER, false",
        "UNDELIVERABLE, 032, PROVIDER, false",
        "UNDELIVERABLE, 034, PROVIDER, false",
        "UNDELIVERABLE, 036, VALIDATION, true",
        // one fallback per final failure status, when no code matches (or there is none)
        "EXPIRED, , PROVIDER, false",
        "DELETED, E7, PROVIDER, false",
        "REJECTED, , VALIDATION, true",
        "UNDELIVERABLE, 999, UNKNOWN, false",
        "UNKNOWN, , UNKNOWN, false"
    })
    void shouldClassifyEveryDefaultRow(final ReceiptStatus status, final String code, final FailureCategory category, final boolean permanent) {
        assertThat(defaults.classify(status, code, "acme")).isEqualTo(new FailureTaxonomy.Classification(category, permanent));
    }

    @Test
    void shouldHaveATestRowForEveryDefaultRule() {
        assertThat(FailureTaxonomy.DEFAULTS).hasSize(30); // 14 SMPP + 11 MAP + 5 status fallbacks, each listed above
    }

    @Test
    void shouldKeepTheTwoCodeNamespacesApart() {
        // 0x01 is SMPP's invalid message length; 1 (001) is MAP's unknown subscriber
        assertThat(defaults.classify(ReceiptStatus.UNDELIVERABLE, "0x01", null).category()).isEqualTo(FailureCategory.VALIDATION);
        assertThat(defaults.classify(ReceiptStatus.UNDELIVERABLE, "1", null).category()).isEqualTo(FailureCategory.DATA);
    }

    @Test
    void shouldLetAnOperatorExtendTheTablePerProvider() {
        final FailureTaxonomy taxonomy = new FailureTaxonomy(FailureTaxonomy.parse("""
                # provider status code category permanent source
                globex  *             E42  DATA       true   Globex API docs: number ported out
                globex  UNDELIVERABLE *    PROVIDER   false
                """));
        assertThat(taxonomy.classify(ReceiptStatus.REJECTED, "E42", "Globex")).isEqualTo(
                new FailureTaxonomy.Classification(FailureCategory.DATA, true));
        assertThat(taxonomy.classify(ReceiptStatus.UNDELIVERABLE, "999", "globex").category()).isEqualTo(FailureCategory.PROVIDER);
        assertThat(taxonomy.classify(ReceiptStatus.UNDELIVERABLE, "999", "acme").category()).as("other providers keep the defaults")
                .isEqualTo(FailureCategory.UNKNOWN);
        assertThat(taxonomy.classify(ReceiptStatus.UNDELIVERABLE, "001", "globex").category()).as("the operator's row wins")
                .isEqualTo(FailureCategory.PROVIDER);
        assertThatThrownBy(() -> FailureTaxonomy.parse("globex * E42 FATAL true")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> FailureTaxonomy.parse("\nglobex BOUNCED E42 DATA true")).hasMessageContaining("line 2");
        assertThat(List.of(FailureCategory.values())).hasSize(5);
    }
}
