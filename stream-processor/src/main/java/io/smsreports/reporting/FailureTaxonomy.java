package io.smsreports.reporting;

import io.smsreports.events.ReceiptStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Rule 11: one mapping table from a failed SMS's (receipt status, error code, provider) to a {@link FailureCategory} and
 * a permanent flag (retrying the same number is pointless). The first matching rule wins; rules given for a provider
 * come before the defaults. Pure: no Kafka.
 *
 * <p>Error codes are matched in two namespaces, as providers report them: {@code 0x…} is an SMPP 3.4 {@code
 * command_status} (section 5.1.3; e.g. {@code 0x0000000B} = {@code 0x0B} = ESME_RINVDSTADR); decimal digits are the
 * network's error in the receipt's {@code err:} field, by convention the GSM MAP (3GPP TS 29.002) error code ({@code 001}
 * = 1 = unknown subscriber). Anything else matches only a rule that spells it exactly. The defaults ({@link #DEFAULTS})
 * are documented, with their sources, in the README.
 */
public final class FailureTaxonomy {

    /** A classification. */
    public record Classification(FailureCategory category, boolean permanent) {
    }

    /**
     * One row of the table. {@code provider}, {@code status} and {@code code} may be {@code *} (any).
     *
     * @param source where the row comes from (the standard or the operator's configuration)
     */
    public record Rule(String provider, String status, String code, FailureCategory category, boolean permanent, String source) {
        public Rule {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(category, "category");
            if (!status.equals("*")) {
                ReceiptStatus.valueOf(status); // fails on a misspelt status
            }
        }

        boolean matches(final String p, final ReceiptStatus s, final String c) {
            return (provider.equals("*") || provider.equalsIgnoreCase(p))
                    && (status.equals("*") || status.equals(s.name()))
                    && (code.equals("*") || sameCode(code, c));
        }
    }

    private static final String SMPP = "SMPP 3.4 §5.1.3 command_status";
    private static final String MAP = "GSM MAP error (3GPP TS 29.002 §17.6) in the receipt's err field";
    private static final String STATE = "SMPP 3.4 Appendix B message state (receipt stat)";

    /** The default table: SMPP 3.4 command_status codes, GSM MAP network errors, then one fallback per final status. */
    public static final List<Rule> DEFAULTS = List.of(
            rule("0x00000001", FailureCategory.VALIDATION, true, SMPP + ": ESME_RINVMSGLEN, message length invalid"),
            rule("0x00000008", FailureCategory.PROVIDER, false, SMPP + ": ESME_RSYSERR, system error"),
            rule("0x0000000A", FailureCategory.CONFIGURATION, true, SMPP + ": ESME_RINVSRCADR, sender address (id) invalid"),
            rule("0x0000000B", FailureCategory.DATA, true, SMPP + ": ESME_RINVDSTADR, destination address invalid"),
            rule("0x0000000D", FailureCategory.CONFIGURATION, true, SMPP + ": ESME_RBINDFAIL, bind failed"),
            rule("0x0000000E", FailureCategory.CONFIGURATION, true, SMPP + ": ESME_RINVPASWD, invalid password"),
            rule("0x0000000F", FailureCategory.CONFIGURATION, true, SMPP + ": ESME_RINVSYSID, invalid system id"),
            rule("0x00000014", FailureCategory.PROVIDER, false, SMPP + ": ESME_RMSGQFUL, message queue full"),
            rule("0x00000045", FailureCategory.PROVIDER, false, SMPP + ": ESME_RSUBMITFAIL, submit failed"),
            rule("0x00000058", FailureCategory.PROVIDER, false, SMPP + ": ESME_RTHROTTLED, throttling error"),
            rule("0x00000061", FailureCategory.VALIDATION, true, SMPP + ": ESME_RINVSCHED, scheduled delivery time invalid"),
            rule("0x00000062", FailureCategory.VALIDATION, true, SMPP + ": ESME_RINVEXPIRY, validity period invalid"),
            rule("0x000000FE", FailureCategory.PROVIDER, false, SMPP + ": ESME_RDELIVERYFAILURE, delivery failure"),
            rule("0x000000FF", FailureCategory.UNKNOWN, false, SMPP + ": ESME_RUNKNOWNERR, unknown error"),
            rule("001", FailureCategory.DATA, true, MAP + ": 1 unknownSubscriber"),
            rule("005", FailureCategory.DATA, true, MAP + ": 5 unidentifiedSubscriber"),
            rule("009", FailureCategory.DATA, true, MAP + ": 9 illegalSubscriber"),
            rule("011", FailureCategory.DATA, true, MAP + ": 11 teleserviceNotProvisioned (no SMS service)"),
            rule("012", FailureCategory.DATA, true, MAP + ": 12 illegalEquipment"),
            rule("013", FailureCategory.PROVIDER, false, MAP + ": 13 callBarred (often lifted: credit, roaming)"),
            rule("027", FailureCategory.PROVIDER, false, MAP + ": 27 absentSubscriberSM (handset off or out of coverage)"),
            rule("031", FailureCategory.PROVIDER, false, MAP + ": 31 subscriberBusyForMT-SMS"),
            rule("032", FailureCategory.PROVIDER, false, MAP + ": 32 sm-DeliveryFailure (e.g. memory capacity exceeded)"),
            rule("034", FailureCategory.PROVIDER, false, MAP + ": 34 systemFailure"),
            rule("036", FailureCategory.VALIDATION, true, MAP + ": 36 unexpectedDataValue"),
            new Rule("*", "EXPIRED", "*", FailureCategory.PROVIDER, false, STATE + ": EXPIRED, validity period passed undelivered"),
            new Rule("*", "DELETED", "*", FailureCategory.PROVIDER, false, STATE + ": DELETED by the SMSC or operator"),
            new Rule("*", "REJECTED", "*", FailureCategory.VALIDATION, true, STATE + ": REJECTD, the SMSC refused the message"),
            new Rule("*", "UNDELIVERABLE", "*", FailureCategory.UNKNOWN, false, STATE + ": UNDELIV without a known code"),
            new Rule("*", "UNKNOWN", "*", FailureCategory.UNKNOWN, false, STATE + ": UNKNOWN"));

    private final List<Rule> rules;

    /** The defaults, after the operator's own rules (which win). */
    public FailureTaxonomy(final List<Rule> operatorRules) {
        final List<Rule> all = new ArrayList<>(operatorRules);
        all.addAll(DEFAULTS);
        this.rules = List.copyOf(all);
    }

    public static FailureTaxonomy defaults() {
        return new FailureTaxonomy(List.of());
    }

    /** The classification of a failure; a status that is no failure (DELIVERED) is not classified here. */
    public Classification classify(final ReceiptStatus status, final String errorCode, final String provider) {
        for (final Rule rule : rules) {
            if (rule.matches(provider, status, errorCode)) {
                return new Classification(rule.category(), rule.permanent());
            }
        }
        return new Classification(FailureCategory.UNKNOWN, false);
    }

    public List<Rule> rules() {
        return rules;
    }

    /**
     * Operator rules from text, one a line: {@code provider status code category permanent [source…]}, {@code *} for any;
     * {@code #} starts a comment.
     *
     * @throws IllegalArgumentException naming the line that is wrong
     */
    public static List<Rule> parse(final String text) {
        final List<Rule> rules = new ArrayList<>();
        final String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            final String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final String[] f = line.split("\\s+", 6);
            try {
                if (f.length < 5 || !(f[4].equalsIgnoreCase("true") || f[4].equalsIgnoreCase("false"))) {
                    throw new IllegalArgumentException("expected: provider status code category permanent(true|false) [source]");
                }
                rules.add(new Rule(f[0], f[1].toUpperCase(Locale.ROOT), f[2], FailureCategory.valueOf(f[3].toUpperCase(Locale.ROOT)),
                        Boolean.parseBoolean(f[4]), f.length > 5 ? f[5] : "operator configuration, line " + (i + 1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " ('" + line + "'): " + e.getMessage(), e);
            }
        }
        return rules;
    }

    private static Rule rule(final String code, final FailureCategory category, final boolean permanent, final String source) {
        return new Rule("*", "*", code, category, permanent, source);
    }

    /** The same code: 0x-hex codes compare by value, decimal codes by value, anything else exactly (case-insensitive). */
    static boolean sameCode(final String pattern, final String code) {
        if (code == null) {
            return false;
        }
        final Long a = numeric(pattern);
        final Long b = numeric(code);
        if (a != null && b != null) {
            return a.equals(b) && isHex(pattern) == isHex(code);
        }
        return pattern.equalsIgnoreCase(code.strip());
    }

    private static boolean isHex(final String code) {
        final String c = code.strip().toLowerCase(Locale.ROOT);
        return c.startsWith("0x");
    }

    private static Long numeric(final String code) {
        final String c = code.strip().toLowerCase(Locale.ROOT);
        try {
            if (c.startsWith("0x") && c.length() > 2 && c.length() <= 18) {
                return Long.parseLong(c.substring(2), 16);
            }
            if (!c.isEmpty() && c.length() <= 18 && c.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(c);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }
}
