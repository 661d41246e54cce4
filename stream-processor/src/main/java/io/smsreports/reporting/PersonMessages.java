package io.smsreports.reporting;

import java.util.ArrayList;
import java.util.List;

/** The messages one person was sent at one instant (almost always one). */
public record PersonMessages(List<PersonMessage> messages) {

    public PersonMessages {
        messages = List.copyOf(messages);
    }

    /** This list with {@code message} added, or replacing the entry with the same smsId. */
    public PersonMessages upsert(final PersonMessage message) {
        final List<PersonMessage> next = new ArrayList<>(messages.size() + 1);
        for (final PersonMessage existing : messages) {
            if (!existing.smsId().equals(message.smsId())) {
                next.add(existing);
            }
        }
        next.add(message);
        return new PersonMessages(next);
    }
}
