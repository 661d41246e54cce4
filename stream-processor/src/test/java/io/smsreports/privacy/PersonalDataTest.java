package io.smsreports.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PersonalDataTest {

    @Test
    void shouldMaskMsisdnsEmailsAndQuotedIds() {
        assertThat(PersonalData.mask("the key '+905551112233' is not the record's smsId 's-1': records must be keyed by smsId"))
                .isEqualTo("the key '…' is not the record's smsId '…': records must be keyed by smsId");
        assertThat(PersonalData.mask("GET /api/v1/people/tel:%2B905551112233/messages for Ann.Lee@Example.com and +90 555"))
                .isEqualTo("GET /api/v1/people/tel:<msisdn>/messages for <email> and +90 555");
        assertThat(PersonalData.mask("offset 1234567 partition 2")).as("plain numbers are not phone numbers").isEqualTo("offset 1234567 partition 2");
        assertThat(PersonalData.mask(null)).isNull();
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
