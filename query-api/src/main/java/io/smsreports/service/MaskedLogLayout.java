package io.smsreports.service;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import io.smsreports.privacy.PersonalData;

/**
 * The service log's last line of defence for personal data (DESIGN, Security): the message and the stack trace of
 * every log line, this service's own and its libraries' (Kafka, Jetty, Javalin), go through
 * {@link PersonalData#mask}. The code masks what it logs where it logs it; this catches what a library or a future
 * log line lets through. Registered in {@code logback.xml} as {@code %maskedMsg} and {@code %maskedEx}.
 */
public final class MaskedLogLayout {

    private MaskedLogLayout() {
    }

    /** {@code %maskedMsg}: the formatted message, masked. */
    public static final class Message extends MessageConverter {
        @Override
        public String convert(final ILoggingEvent event) {
            return PersonalData.mask(super.convert(event));
        }
    }

    /** {@code %maskedEx}: the stack trace with every message in the chain masked. */
    public static final class StackTrace extends ThrowableProxyConverter {
        @Override
        protected String throwableProxyToString(final IThrowableProxy proxy) {
            return PersonalData.mask(super.throwableProxyToString(proxy));
        }
    }
}
