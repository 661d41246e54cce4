package io.smsreports.replies;

import java.time.Duration;
import java.util.Objects;

/**
 * What rule 17 is configured with.
 *
 * @param window       how long after an SMS a reply from its msisdn is attributed to it (default 72 h)
 * @param stopKeywords the words that make a reply an opt-out
 */
public record ReplyRules(Duration window, StopKeywords stopKeywords) {

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(72);
    public static final ReplyRules DEFAULTS = new ReplyRules(DEFAULT_WINDOW, StopKeywords.defaults());

    public ReplyRules {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(stopKeywords, "stopKeywords");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the reply window must be a positive duration, was " + window);
        }
    }
}
