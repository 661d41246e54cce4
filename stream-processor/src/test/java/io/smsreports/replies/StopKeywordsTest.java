package io.smsreports.replies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StopKeywordsTest {

    private final StopKeywords defaults = StopKeywords.defaults();

    @ParameterizedTest(name = "''{0}'' is an opt-out: {1}")
    @CsvSource(delimiter = '|', value = {
            "İPTAL|true", "iptal|true", "IPTAL|true", "ıptal|true", "İptal ediyorum|true", "Iptal|true",
            "STOP|true", "stop|true", "Stop.|true", "*stop*|true", "  STOP  please|true", "STOP\tthanks|true",
            "unsubscribe|true", "Cancel|true", "END|true", "quit|true", "RET|true", "ret|true", "DUR|true", "dür|true", "Dur!|true",
            "please stop|false", "stopped|false", "STOPIT|false", "İPTALLER|false", "merhaba|false", "''|false", "' '|false",
            "durum nedir|false", "retweet|false"})
    void judgesTheFirstWord(final String body, final boolean optOut) {
        assertThat(defaults.isOptOut(body)).isEqualTo(optOut);
    }

    @ParameterizedTest
    @CsvSource({"Hayır,HAYIR", "hayir,HAYIR", "ÇIK,CIK", "çık,CIK"})
    void configuredKeywordsAreFoldedTheSameWay(final String body, final String keyword) {
        assertThat(StopKeywords.of(List.of(keyword)).isOptOut(body)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"two words", "' '", "!!"})
    void aKeywordMustBeOneWord(final String keyword) {
        assertThatThrownBy(() -> StopKeywords.of(List.of(keyword))).isInstanceOf(IllegalArgumentException.class);
    }
}
