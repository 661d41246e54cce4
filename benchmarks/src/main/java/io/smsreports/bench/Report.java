package io.smsreports.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Writes one benchmark's results into its section of BENCHMARKS.md, between {@code <!-- bench:NAME -->} and
 * {@code <!-- /bench:NAME -->}, replacing the previous run's; the rest of the file (the prose) is kept.
 */
final class Report {

    private Report() {
    }

    static void write(final Path file, final String name, final String command, final String body) throws IOException {
        final String begin = "<!-- bench:" + name + " -->";
        final String end = "<!-- /bench:" + name + " -->";
        final String section = begin + "\n"
                + "_Measured " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))
                + " on " + Machine.describe() + "._  \n"
                + "_Command:_ `" + command + "`\n\n"
                + body.strip() + "\n" + end;
        final String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Benchmarks\n";
        Files.writeString(file, replaceSection(text, begin, end, section), StandardCharsets.UTF_8);
    }

    static String replaceSection(final String text, final String begin, final String end, final String section) {
        final int from = text.indexOf(begin);
        final int to = text.indexOf(end);
        if (from >= 0 && to > from) {
            return text.substring(0, from) + section + text.substring(to + end.length());
        }
        return text.stripTrailing() + "\n\n" + section + "\n";
    }
}
