package io.smsreports.replies;

import java.text.Normalizer;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The stop keywords of rule 17: a reply whose first word is one of them, case- and accent-insensitive, is an opt-out.
 * Turkish dotted and dotless i are folded first ({@code İ} → I, {@code ı} → i), so {@code İPTAL}, {@code iptal},
 * {@code IPTAL} and {@code ıptal} all match {@code IPTAL}; then accents are stripped ({@code DÜR} → DUR) and the word
 * upper-cased in the root locale. Punctuation around the word does not count ({@code "STOP."}, {@code "*iptal*"}).
 */
public final class StopKeywords {

    public static final List<String> DEFAULTS = List.of("STOP", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "IPTAL", "RET", "DUR");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_A_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private final Set<String> keywords;

    private StopKeywords(final Set<String> keywords) {
        this.keywords = keywords;
    }

    /** The given keywords (at least one; each a single word). */
    public static StopKeywords of(final Collection<String> words) {
        final Set<String> normalized = new TreeSet<>();
        for (final String word : words) {
            final String n = normalize(word);
            if (n.isEmpty() || SPACE.matcher(word.strip()).find()) {
                throw new IllegalArgumentException("a stop keyword must be one word, was '" + word + "'");
            }
            normalized.add(n);
        }
        if (normalized.isEmpty()) {
            throw new IllegalArgumentException("at least one stop keyword is needed");
        }
        return new StopKeywords(Set.copyOf(normalized));
    }

    public static StopKeywords defaults() {
        return of(DEFAULTS);
    }

    /** Whether the body's first word is a stop keyword. */
    public boolean isOptOut(final String body) {
        if (body == null) {
            return false;
        }
        final String stripped = body.strip();
        if (stripped.isEmpty()) {
            return false;
        }
        return keywords.contains(normalize(SPACE.split(stripped, 2)[0]));
    }

    /** A word folded for comparison: Turkish i's, accents and case gone, only letters and digits kept. */
    static String normalize(final String word) {
        final String turkish = word.replace('İ', 'I').replace('ı', 'i');
        final String unaccented = MARKS.matcher(Normalizer.normalize(turkish, Normalizer.Form.NFD)).replaceAll("");
        return NOT_A_WORD.matcher(unaccented.toUpperCase(Locale.ROOT)).replaceAll("");
    }

    /** The keywords as compared (normalized), sorted. */
    public Set<String> keywords() {
        return keywords;
    }

    @Override
    public String toString() {
        return String.join(",", keywords);
    }
}
