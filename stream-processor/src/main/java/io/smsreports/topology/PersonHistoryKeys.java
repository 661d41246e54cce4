package io.smsreports.topology;

/**
 * Keys of the person history store: the person, a NUL, the smsId. All of one person's SMS are the key range
 * [{@link #first}, {@link #last}] (no identifier holds a NUL), and each SMS has its own entry, so a status change
 * overwrites it without reading the history.
 */
public final class PersonHistoryKeys {

    private static final char SEPARATOR = '\u0000';

    private PersonHistoryKeys() {
    }

    public static String of(final String personId, final String smsId) {
        return personId + SEPARATOR + smsId;
    }

    /** The lowest key of a person's SMS. */
    public static String first(final String personId) {
        return personId + SEPARATOR;
    }

    /** A key above every key of a person's SMS and below every other person's. */
    public static String last(final String personId) {
        return personId + '\u0001';
    }
}
