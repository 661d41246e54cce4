package io.smsreports.privacy;

import java.util.regex.Pattern;

/**
 * Keeps personal data (MSISDNs, emails, external ids) out of log lines (DESIGN, Security and privacy): every log
 * line that may carry a value from a record or a request goes through {@link #mask(String)}, and the service's log
 * encoder masks every line once more.
 *
 * <p>Masked, in these forms (each listed in {@code PersonalDataTest}):
 * <ul>
 *   <li>email addresses, also with {@code @} URL-encoded ({@code %40}, {@code %2540});</li>
 *   <li>phone numbers: {@code +} and 6 to 15 digits, the {@code +} also URL-encoded once or twice ({@code %2B},
 *       {@code %252B}); and any run of 10 to 15 digits, with single spaces, dashes or parentheses between groups
 *       ({@code 905551234567}, {@code 0555 123 45 67}, {@code (0555) 123-45-67}): national and international forms
 *       without the {@code +}. Shorter numbers (offsets, counts, partitions) are left alone;</li>
 *   <li>the value of an identifier in JSON ({@code "msisdn":"…"}, {@code "externalId":"…"}, {@code "email"},
 *       {@code "personId"}, an inbound message's {@code "body"}) and in query strings ({@code externalId=…}, {@code msisdn=…}, …);</li>
 *   <li>a person id in a path ({@code ext:…}, {@code tel:…}, {@code email:…});</li>
 *   <li>every value quoted in single quotes, which is how this code's own messages quote ids and keys (an external id
 *       has no recognisable shape, so the messages that could carry one quote it).</li>
 * </ul>
 */
public final class PersonalData {

    private static final String IDENTIFIER_KEYS = "msisdn|externalId|external_id|email|personId|person_id|body";
    private static final Pattern JSON_IDENTIFIER = Pattern.compile("(\"(?:" + IDENTIFIER_KEYS + ")\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*+\"");
    private static final Pattern QUERY_IDENTIFIER = Pattern.compile("(?:(?<=[?&;\\s])|^)((?:" + IDENTIFIER_KEYS + ")=)[^&#\\s\"']*");
    private static final Pattern PERSON_ID = Pattern.compile("(?<![A-Za-z])(ext|tel|email):(?!<|…)[^/?&#\\s\"']+");
    private static final Pattern EMAIL = Pattern.compile("(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+(?:@|%40|%2540)[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern MSISDN = Pattern.compile("(?:\\+|%2[Bb]|%252[Bb])[0-9]{6,15}(?![0-9])");
    /**
     * Groups of two or more digits (one may be in parentheses) joined by single spaces or dashes; masked when they hold 10
     * to 15 digits in all. Possessive, so a long run of digits costs one pass, not a backtracking search.
     */
    private static final Pattern BARE_NUMBER = Pattern.compile(
            "(?<![0-9A-Za-z.:_-])\\+?(?:\\([0-9]{2,}+\\)|[0-9]{2,}+)(?:[ -](?:\\([0-9]{2,}+\\)|[0-9]{2,}+))*+(?![0-9A-Za-z_])");
    private static final Pattern QUOTED = Pattern.compile("(?<![A-Za-z])'[^'\\n]*'(?![A-Za-z])");

    private PersonalData() {
    }

    /** The text with personal data replaced by {@code <email>}, {@code <msisdn>}, {@code …} and {@code '…'}. */
    public static String mask(final String text) {
        if (text == null) {
            return null;
        }
        String masked = QUOTED.matcher(text).replaceAll("'…'");
        masked = JSON_IDENTIFIER.matcher(masked).replaceAll("$1\"…\"");
        masked = QUERY_IDENTIFIER.matcher(masked).replaceAll("$1…");
        masked = EMAIL.matcher(masked).replaceAll("<email>");
        masked = MSISDN.matcher(masked).replaceAll("<msisdn>");
        masked = PERSON_ID.matcher(masked).replaceAll("$1:…");
        return BARE_NUMBER.matcher(masked).replaceAll(match -> {
            final String digits = match.group().replaceAll("[^0-9]", "");
            return digits.length() >= 10 && digits.length() <= 15 ? "<msisdn>" : match.group().replace("\\", "\\\\").replace("$", "\\$");
        });
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
