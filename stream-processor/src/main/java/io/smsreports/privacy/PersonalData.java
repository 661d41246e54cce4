package io.smsreports.privacy;

import java.util.regex.Pattern;

/**
 * Keeps personal data (MSISDNs, emails, external ids) out of log lines (DESIGN, Security and privacy): every log
 * line that may carry a value from a record or a request goes through {@link #mask(String)}.
 *
 * <p>Masked: email addresses, phone numbers in E.164 form ({@code +} and 6 to 15 digits, also URL-encoded as
 * {@code %2B}), and every value quoted in single quotes, which is how this code's own messages quote ids and keys
 * (an external id has no recognisable shape, so the messages that could carry one quote it).
 */
public final class PersonalData {

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern MSISDN = Pattern.compile("(\\+|%2[Bb])[0-9]{6,15}");
    private static final Pattern QUOTED = Pattern.compile("(?<![A-Za-z])'[^'\\n]*'(?![A-Za-z])");

    private PersonalData() {
    }

    /** The text with personal data replaced by {@code <email>}, {@code <msisdn>} and {@code '…'}. */
    public static String mask(final String text) {
        if (text == null) {
            return null;
        }
        String masked = QUOTED.matcher(text).replaceAll("'…'");
        masked = EMAIL.matcher(masked).replaceAll("<email>");
        return MSISDN.matcher(masked).replaceAll("<msisdn>");
    }

    /**
     * A throwable to log in place of {@code original}: the same types' names, stack traces and causes, every message
     * masked.
     */
    public static Throwable redacted(final Throwable original) {
        if (original == null) {
            return null;
        }
        final RedactedException copy = new RedactedException(original.getClass().getName() + ": " + mask(original.getMessage()),
                original.getCause() == original ? null : redacted(original.getCause()));
        copy.setStackTrace(original.getStackTrace());
        return copy;
    }

    /** Carries a masked message and the original stack trace. */
    private static final class RedactedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RedactedException(final String message, final Throwable cause) {
            super(message, cause, false, true);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
