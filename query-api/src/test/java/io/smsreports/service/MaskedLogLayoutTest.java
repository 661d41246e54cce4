package io.smsreports.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The service's own log configuration masks what a library logs (here: a message and a cause with personal data). */
class MaskedLogLayoutTest {

    @Test
    void shouldMaskMessagesAndStackTracesOfEveryLogLine() throws Exception {
        final LoggerContext context = configuredByTheServicesLogbackXml();
        @SuppressWarnings("unchecked")
        final ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> console = (ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent>)
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
        final PatternLayoutEncoder encoder = (PatternLayoutEncoder) console.getEncoder();

        final LoggingEvent event = new LoggingEvent(MaskedLogLayoutTest.class.getName(), context.getLogger("org.apache.kafka.Some"),
                Level.WARN, "Record with key {} for {} failed", new RuntimeException("value {\"msisdn\":\"+905551234567\"} rejected",
                        new IllegalStateException("lookup of ann@example.com")), new Object[] {"905551234567", "ext:u-4711"});
        final String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertThat(line).contains("Record with key <msisdn> for ext:… failed").contains("java.lang.RuntimeException")
                .contains("{\"msisdn\":\"…\"}").contains("lookup of <email>").contains("at io.smsreports.service.MaskedLogLayoutTest");
        assertThat(line).doesNotContain("5551234567").doesNotContain("ann@example.com").doesNotContain("u-4711");
    }

    /**
     * Logback prints its own status lines on every start when the configuration has a warning (logback 1.6 deprecated
     * {@code converterClass}, and every user then saw thirty lines of logback internals before the service's first line).
     */
    @Test
    void shouldConfigureWithoutWarningsSoThatStartingPrintsOnlyTheServicesLines() throws Exception {
        final LoggerContext context = configuredByTheServicesLogbackXml();

        assertThat(context.getStatusManager().getCopyOfStatusList())
                .filteredOn(status -> status.getEffectiveLevel() >= ch.qos.logback.core.status.Status.WARN)
                .extracting(ch.qos.logback.core.status.Status::getMessage).isEmpty();
    }

    private static LoggerContext configuredByTheServicesLogbackXml() throws Exception {
        final LoggerContext context = new LoggerContext();
        final JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(MaskedLogLayoutTest.class.getResource("/logback.xml"));
        return context;
    }
}
