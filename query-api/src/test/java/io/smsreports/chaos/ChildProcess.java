package io.smsreports.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A JVM child process on the test classpath, its output in a log file; stoppable with SIGTERM or SIGKILL. */
final class ChildProcess {

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final Path logDirectory;
    private int starts;
    private Process process;
    private Path log;

    ChildProcess(final String name, final String heap, final String mainClass, final List<String> args, final Map<String, String> environment,
            final Path workingDirectory, final Path logDirectory) {
        this(name, List.of(heap), mainClass, args, environment, workingDirectory, logDirectory);
    }

    /** @param jvmOptions the heap and any other option of the child JVM (a system property, a logging configuration) */
    ChildProcess(final String name, final List<String> jvmOptions, final String mainClass, final List<String> args,
            final Map<String, String> environment, final Path workingDirectory, final Path logDirectory) {
        this.name = name;
        this.command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        this.command.addAll(jvmOptions);
        this.command.addAll(List.of("-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), mainClass));
        this.command.addAll(args);
        this.environment = environment;
        this.workingDirectory = workingDirectory;
        this.logDirectory = logDirectory;
    }

    synchronized ChildProcess start() throws IOException {
        Files.createDirectories(workingDirectory);
        log = logDirectory.resolve(name + "-" + (++starts) + ".log");
        final ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("SMS_") || key.equals("KAFKA_BOOTSTRAP_SERVERS")
                || key.equals("SCHEMA_REGISTRY_URL"));
        builder.environment().putAll(environment);
        process = builder.start();
        return this;
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        final Process p = process;
        return p != null && p.isAlive();
    }

    boolean logContains(final String text) {
        try {
            return log != null && Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Every log line of every start of this child. */
    String allLogs() throws IOException {
        final StringBuilder text = new StringBuilder();
        for (int i = 1; i <= starts; i++) {
            final Path path = logDirectory.resolve(name + "-" + i + ".log");
            if (Files.exists(path)) {
                text.append(Files.readString(path, StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
    }

    /** SIGTERM, and waits for the exit; returns the milliseconds it took. */
    long terminate() throws InterruptedException {
        final long started = System.nanoTime();
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError(name + " did not stop within 90 s of SIGTERM");
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** SIGKILL: no shutdown hook, no clean close, open transactions left behind. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    void killQuietly() {
        final Process p = process;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
