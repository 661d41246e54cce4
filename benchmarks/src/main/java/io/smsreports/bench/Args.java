package io.smsreports.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code --name value} command-line options of a benchmark, with defaults. */
final class Args {

    private final Map<String, String> values = new HashMap<>();
    private final String command;

    private Args(final String command) {
        this.command = command;
    }

    static Args parse(final String name, final String[] args) {
        final Args parsed = new Args("bench/run " + name + (args.length == 0 ? "" : " " + String.join(" ", args)));
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got '" + args[i] + "'");
            }
            parsed.values.put(args[i].substring(2), args[++i]);
        }
        return parsed;
    }

    String command() {
        return command;
    }

    long number(final String name, final long fallback) {
        final String value = values.get(name);
        return value == null ? fallback : Long.parseLong(value.replace("_", ""));
    }

    String text(final String name, final String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** Service settings given as {@code --set KEY=VALUE,KEY=VALUE} (e.g. {@code SMS_CACHE_MAX_BYTES=0}). */
    Map<String, String> settings() {
        final Map<String, String> settings = new HashMap<>();
        final String raw = values.get("set");
        if (raw != null) {
            for (final String pair : raw.split(",")) {
                final int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--set takes KEY=VALUE pairs separated by commas, got '" + pair + "'");
                }
                settings.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return settings;
    }

    Path report() {
        return Path.of(text("report", "BENCHMARKS.md"));
    }
}
