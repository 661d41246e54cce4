package io.smsreports.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Waiting in tests, the way Kafka's own integration tests wait ({@code TestUtils.waitForCondition}): a condition is
 * evaluated, to completion, again and again until it holds or one deadline has passed. The deadline is judged
 * between evaluations, never by interrupting one, so a slow evaluation on a loaded machine costs time but cannot by
 * itself fail the wait, and at least one evaluation always completes (Awaitility's {@code atMost} counts a check that
 * outlasts it as a failure). Only the exception types a caller names as transient (a store migrating, a connection
 * refused while an instance restarts) mean "not yet"; any other exception fails at once, so no wrong number hides
 * behind a retry until the deadline. A failure says what was waited for and what was last seen.
 */
public final class Poll {

    /** A check that passes by returning and fails by throwing (an assertion, or a transient fault). */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    private Poll() {
    }

    /**
     * Evaluates {@code probe} every {@code every} until {@code done} accepts its value; returns that value.
     *
     * @param transients exception types of {@code probe} that mean "not yet" (anything else fails the wait at once)
     */
    @SafeVarargs
    public static <T> T until(final String what, final Duration atMost, final Duration every, final Callable<T> probe,
            final Predicate<? super T> done, final Class<? extends Throwable>... transients) {
        final long deadline = System.nanoTime() + atMost.toNanos();
        Object lastSeen = "nothing yet";
        int evaluations = 0;
        while (true) {
            evaluations++;
            try {
                final T value = probe.call();
                if (done.test(value)) {
                    return value;
                }
                lastSeen = value;
            } catch (Throwable e) {
                if (!isOneOf(e, List.of(transients))) {
                    throw new AssertionError(what + ": failed on evaluation " + evaluations + " with " + e, e);
                }
                lastSeen = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError(what + ": not done within " + atMost + " (" + evaluations + " evaluations); last seen: "
                        + lastSeen, lastSeen instanceof Throwable t ? t : null);
            }
            sleep(every);
        }
    }

    /** {@link #until} for a boolean condition. */
    @SafeVarargs
    public static void until(final String what, final Duration atMost, final Duration every, final Callable<Boolean> condition,
            final Class<? extends Throwable>... transients) {
        until(what, atMost, every, condition, Boolean.TRUE::equals, transients);
    }

    /**
     * Runs {@code check} every {@code every} until it passes (returns) or the deadline has passed; an
     * {@link AssertionError} means "not yet", as do the {@code transients}. The last failure is the reported cause.
     */
    @SafeVarargs
    public static void untilPasses(final String what, final Duration atMost, final Duration every, final Check check,
            final Class<? extends Throwable>... transients) {
        final Class<? extends Throwable>[] notYet = java.util.Arrays.copyOf(transients, transients.length + 1);
        notYet[transients.length] = AssertionError.class;
        until(what, atMost, every, () -> {
            check.run();
            return true;
        }, Boolean.TRUE::equals, notYet);
    }

    private static boolean isOneOf(final Throwable e, final List<Class<? extends Throwable>> types) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (final Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void sleep(final Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
