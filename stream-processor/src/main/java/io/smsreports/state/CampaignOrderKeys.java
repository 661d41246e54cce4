package io.smsreports.state;

import java.util.Arrays;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the campaign-list index: newest first (createdAt descending), then messageId; campaigns known only by their
 * counts (no metadata yet, {@link #NO_METADATA}) last. The {@link ExpiryKeys} layout over {@code ~createdAt}: a page of
 * the list is a range scan from the previous page's last key, never a scan of every campaign.
 */
public final class CampaignOrderKeys {

    /** The createdAt of a campaign whose metadata is not known (sorts last). */
    public static final long NO_METADATA = Long.MIN_VALUE;

    private CampaignOrderKeys() {
    }

    public static Bytes of(final long createdAt, final String messageId) {
        return ExpiryKeys.of(~createdAt, messageId);
    }

    public static long createdAt(final Bytes key) {
        return ~ExpiryKeys.deadline(key);
    }

    public static String messageId(final Bytes key) {
        return ExpiryKeys.smsId(key);
    }

    /** The lowest key after {@code key}: where the page after it starts. */
    public static Bytes after(final Bytes key) {
        return Bytes.wrap(Arrays.copyOf(key.get(), key.get().length + 1));
    }

    /** Above every key. */
    public static Bytes highest() {
        return ExpiryKeys.upTo(Long.MAX_VALUE);
    }
}
