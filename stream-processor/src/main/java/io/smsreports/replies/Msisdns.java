package io.smsreports.replies;

/** Phone numbers as the replies index keys them. */
public final class Msisdns {

    private Msisdns() {
    }

    /**
     * The E.164 form of a msisdn as gateways write it: spaces, dashes, dots and parentheses dropped, {@code 00} read as
     * {@code +}, a bare number of 8 to 15 digits given its {@code +}. Anything else stays as it is (trimmed).
     */
    public static String normalize(final String raw) {
        final String compact = raw.strip().replaceAll("[\\s\\-.()]", "");
        if (compact.startsWith("00") && compact.length() > 2 && compact.substring(2).chars().allMatch(Character::isDigit)) {
            return "+" + compact.substring(2);
        }
        if (compact.length() >= 8 && compact.length() <= 15 && compact.chars().allMatch(Character::isDigit)) {
            return "+" + compact;
        }
        return compact;
    }
}
