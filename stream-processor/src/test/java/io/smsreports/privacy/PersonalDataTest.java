package io.smsreports.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PersonalDataTest {

    /** Each form personal data takes in a log line, and what is left of it. '|' separates input from output. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            the key '+905551112233' is not the record's smsId 's-1'      | the key '…' is not the record's smsId '…'
            E.164 +905551234567 done                                      | E.164 <msisdn> done
            E.164 with spaces +90 555 123 45 67                           | E.164 with spaces <msisdn>
            no plus 905551234567                                          | no plus <msisdn>
            national 0555 123 45 67                                       | national <msisdn>
            dashes 0555-123-45-67                                         | dashes <msisdn>
            parentheses (0555) 123-45-67                                  | parentheses <msisdn>
            German 01512 3456789 and Dutch 0612345678                     | German <msisdn> and Dutch <msisdn>
            URL-encoded GET /api/v1/people?msisdn=%2B905551234567         | URL-encoded GET /api/v1/people?msisdn=…
            path /api/v1/people/tel:%2B905551234567/messages              | path /api/v1/people/tel:<msisdn>/messages
            twice encoded tel:%252B905551234567                           | twice encoded tel:<msisdn>
            email Ann.Lee@Example.com                                     | email <email>
            encoded email ann%40example.com and ann%2540example.com      | encoded email <email> and <email>
            path /api/v1/people/email:ann@example.com/messages            | path /api/v1/people/email:<email>/messages
            external id in a path /api/v1/people/ext:u-4711/messages      | external id in a path /api/v1/people/ext:…/messages
            query ?externalId=u-4711&from=2026-11-01T00:00:00Z            | query ?externalId=…&from=2026-11-01T00:00:00Z
            query ?email=ann@example.com                                  | query ?email=…
            `JSON {"msisdn":"+905551234567","platform":"ios"}`            | `JSON {"msisdn":"…","platform":"ios"}`
            `JSON {"externalId": "u-4711", "email":"a@b.co"}`             | `JSON {"externalId": "…", "email":"…"}`
            `JSON {"personId":"tel:+905551234567"}`                       | `JSON {"personId":"…"}`
            `an inbound {"body":"STOP please"}`                           | `an inbound {"body":"…"}`
            offset 1234567 partition 2 of 12 tasks                        | offset 1234567 partition 2 of 12 tasks
            times 2026-11-27T10:00:00.123Z and 10:00:00.123              | times 2026-11-27T10:00:00.123Z and 10:00:00.123
            short +90 555 and version 4.4.0 and 192.168.10.20            | short +90 555 and version 4.4.0 and 192.168.10.20
            task 0_1 thread StreamThread-2 id 3f9a2c                      | task 0_1 thread StreamThread-2 id 3f9a2c
            """)
    void shouldMaskEachFormOfPersonalData(final String line, final String masked) {
        assertThat(PersonalData.mask(line)).isEqualTo(masked);
    }

    @Test
    void shouldLeaveNullAlone() {
        assertThat(PersonalData.mask(null)).isNull();
    }

    /** A hang guard, not a benchmark: a backtracking pattern would not finish on this line at all. */
    @Test
    @Timeout(60)
    void shouldNotBacktrackOnALongRunOfDigitsOrLetters() {
        final String digits = "1".repeat(50_000) + "x";
        assertThat(PersonalData.mask(digits)).isEqualTo(digits);
        final String word = "a".repeat(50_000) + "@";
        assertThat(PersonalData.mask(word)).isEqualTo(word);
    }

    @Test
    void shouldRedactAThrowableChainKeepingTypesAndStackTraces() {
        final IllegalStateException cause = new IllegalStateException("no person with msisdn +905551112233");
        final RuntimeException top = new RuntimeException("lookup of 'u-42' failed", cause);
        final Throwable redacted = PersonalData.redacted(top);
        assertThat(redacted.getMessage()).isEqualTo("java.lang.RuntimeException: lookup of '…' failed");
        assertThat(redacted.getCause().getMessage()).isEqualTo("java.lang.IllegalStateException: no person with msisdn <msisdn>");
        assertThat(redacted.getStackTrace()).isEqualTo(top.getStackTrace());
    }
}
