package io.smsreports.registry.internals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smsreports.registry.CompatibilityLevel;
import io.smsreports.registry.ErrorCodes;
import io.smsreports.registry.IncompatibleSchemaException;
import io.smsreports.registry.InvalidSchemaException;
import io.smsreports.registry.RegisteredSchema;
import io.smsreports.registry.SchemaNotFoundException;
import io.smsreports.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaParseException;

/**
 * The registry semantics shared by the {@code mock://} registry and the dev registry server: global ids,
 * versioned subjects, compatibility levels checked with Avro's own {@link SchemaCompatibility}.
 *
 * <p>Optionally journals every change to a file (one JSON object a line) and replays it at start, so that a
 * registry restarted on the same file keeps its ids: records already in Kafka stay readable.
 *
 * <p>Thread-safe: every operation holds the store's lock.
 */
public final class SchemaStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonicalText = new HashMap<>();
    private final Map<String, List<RegisteredSchema>> subjects = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private final Path journal;
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int nextId = 1;

    /** An in-memory store. */
    public SchemaStore() {
        this.journal = null;
    }

    /**
     * A store journaled to {@code journal}, replaying what the file already holds.
     *
     * @throws IllegalStateException naming the file and line when the journal cannot be read back
     */
    public SchemaStore(final Path journal) {
        this.journal = journal;
        replay();
    }

    public synchronized RegisteredSchema register(final String subject, final Schema schema) {
        requireSubject(subject);
        final List<RegisteredSchema> versions = subjects.getOrDefault(subject, List.of());
        final String text = canonical(schema);
        for (final RegisteredSchema existing : versions) {
            if (canonical(existing.schema()).equals(text)) {
                return existing;
            }
        }
        final List<String> problems = incompatibilities(subject, schema, versions);
        if (!problems.isEmpty()) {
            throw new IncompatibleSchemaException("Schema being registered is incompatible with an earlier schema for subject '"
                    + subject + "' (compatibility " + levelOf(subject) + "): " + String.join("; ", problems));
        }
        final int id = idsByCanonicalText.computeIfAbsent(text, t -> nextId++);
        schemasById.putIfAbsent(id, schema);
        final RegisteredSchema registered = new RegisteredSchema(subject, versions.size() + 1, id, schema);
        subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(registered);
        append(schemaEntry(registered));
        return registered;
    }

    public synchronized RegisteredSchema lookup(final String subject, final Schema schema) {
        final String text = canonical(schema);
        for (final RegisteredSchema existing : versionsOf(subject)) {
            if (canonical(existing.schema()).equals(text)) {
                return existing;
            }
        }
        throw new SchemaNotFoundException("Schema not found under subject '" + subject + "'", ErrorCodes.SCHEMA_NOT_FOUND);
    }

    public synchronized Schema schemaById(final int id) {
        final Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException("Schema " + id + " not found", ErrorCodes.SCHEMA_NOT_FOUND);
        }
        return schema;
    }

    public synchronized RegisteredSchema latest(final String subject) {
        final List<RegisteredSchema> versions = versionsOf(subject);
        return versions.get(versions.size() - 1);
    }

    public synchronized RegisteredSchema version(final String subject, final int version) {
        final List<RegisteredSchema> versions = versionsOf(subject);
        if (version < 1 || version > versions.size()) {
            throw new SchemaNotFoundException("Version " + version + " not found for subject '" + subject + "'",
                    ErrorCodes.VERSION_NOT_FOUND);
        }
        return versions.get(version - 1);
    }

    public synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    public synchronized List<Integer> versions(final String subject) {
        return versionsOf(subject).stream().map(RegisteredSchema::version).toList();
    }

    /** The incompatibilities that registering {@code schema} under {@code subject} would meet; empty when none. */
    public synchronized List<String> incompatibilities(final String subject, final Schema schema) {
        return incompatibilities(subject, schema, subjects.getOrDefault(subject, List.of()));
    }

    /** The incompatibilities between {@code schema} and one given version; empty when none. */
    public synchronized List<String> incompatibilities(final String subject, final Schema schema, final int version) {
        return check(levelOf(subject), schema, List.of(version(subject, version)));
    }

    public synchronized CompatibilityLevel levelOf(final String subject) {
        if (subject == null) {
            return globalLevel;
        }
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    public synchronized void setLevel(final String subject, final CompatibilityLevel level) {
        applyLevel(subject, level);
        final ObjectNode entry = JSON.createObjectNode().put("type", "config").put("level", level.name());
        if (subject != null) {
            entry.put("subject", subject);
        }
        append(entry);
    }

    /** Parses schema text the way the registry does, mapping parse errors to error 42201. */
    public static Schema parse(final String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw new InvalidSchemaException("Invalid schema: empty", ErrorCodes.INVALID_SCHEMA);
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (SchemaParseException | NullPointerException e) {
            throw new InvalidSchemaException("Invalid schema: " + e.getMessage(), ErrorCodes.INVALID_SCHEMA);
        }
    }

    private List<String> incompatibilities(final String subject, final Schema schema, final List<RegisteredSchema> versions) {
        if (versions.isEmpty()) {
            return List.of();
        }
        final CompatibilityLevel level = levelOf(subject);
        final List<RegisteredSchema> against = level.transitive() ? versions : List.of(versions.get(versions.size() - 1));
        return check(level, schema, against);
    }

    private static List<String> check(final CompatibilityLevel level, final Schema candidate, final List<RegisteredSchema> against) {
        final List<String> problems = new ArrayList<>();
        for (final RegisteredSchema existing : against) {
            if (level.backward()) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing.schema()).getResult(),
                        "new schema cannot read data written with version " + existing.version(), problems);
            }
            if (level.forward()) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(existing.schema(), candidate).getResult(),
                        "version " + existing.version() + " cannot read data written with the new schema", problems);
            }
        }
        return problems;
    }

    private static void describe(final SchemaCompatibilityResult result, final String what, final List<String> problems) {
        if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (final Incompatibility incompatibility : result.getIncompatibilities()) {
            problems.add(what + ": " + incompatibility.getType() + " at " + incompatibility.getLocation()
                    + " (" + incompatibility.getMessage() + ")");
        }
    }

    private List<RegisteredSchema> versionsOf(final String subject) {
        final List<RegisteredSchema> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SchemaNotFoundException("Subject '" + subject + "' not found.", ErrorCodes.SUBJECT_NOT_FOUND);
        }
        return versions;
    }

    private void applyLevel(final String subject, final CompatibilityLevel level) {
        if (subject == null) {
            globalLevel = level;
        } else {
            subjectLevels.put(subject, level);
        }
    }

    private static void requireSubject(final String subject) {
        if (subject == null || subject.isBlank()) {
            throw new InvalidSchemaException("Invalid subject: empty", ErrorCodes.INVALID_SCHEMA);
        }
    }

    private static String canonical(final Schema schema) {
        return schema.toString();
    }

    private static ObjectNode schemaEntry(final RegisteredSchema registered) {
        return JSON.createObjectNode()
                .put("type", "schema")
                .put("subject", registered.subject())
                .put("version", registered.version())
                .put("id", registered.id())
                .put("schema", registered.schema().toString());
    }

    private void append(final ObjectNode entry) {
        if (journal == null) {
            return;
        }
        final byte[] line = (entry.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            channel.write(java.nio.ByteBuffer.wrap(line));
            channel.force(true);
        } catch (IOException e) {
            throw new SchemaRegistryException("Could not write the schema registry journal " + journal + ": " + e.getMessage(),
                    500, ErrorCodes.STORE_ERROR, e);
        }
    }

    private void replay() {
        if (!Files.exists(journal)) {
            return;
        }
        final List<String> lines;
        try {
            lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the schema registry journal " + journal, e);
        }
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                replayEntry(JSON.readTree(line));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("The schema registry journal " + journal + " is corrupt at line " + (i + 1)
                        + " (" + e.getMessage() + "). Move it away to start with an empty registry; records written "
                        + "with its schema ids would then no longer be readable.", e);
            }
        }
    }

    private void replayEntry(final JsonNode entry) {
        switch (entry.path("type").asText()) {
            case "schema" -> {
                final String subject = entry.get("subject").asText();
                final int id = entry.get("id").asInt();
                final int version = entry.get("version").asInt();
                final Schema schema = new Schema.Parser().parse(entry.get("schema").asText());
                final List<RegisteredSchema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
                if (version != versions.size() + 1) {
                    throw new IllegalStateException("version " + version + " of subject '" + subject + "' out of sequence");
                }
                versions.add(new RegisteredSchema(subject, version, id, schema));
                schemasById.putIfAbsent(id, schema);
                idsByCanonicalText.putIfAbsent(canonical(schema), id);
                nextId = Math.max(nextId, id + 1);
            }
            case "config" -> applyLevel(entry.hasNonNull("subject") ? entry.get("subject").asText() : null,
                    CompatibilityLevel.parse(entry.get("level").asText()));
            default -> throw new IllegalStateException("unknown entry type '" + entry.path("type").asText() + "'");
        }
    }
}
