package io.smsreports.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsreports.reporting.FailureTaxonomy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's mapping table (rule 11) is the one the code applies, row for row. */
class FailureTableDocumentedTest {

    @Test
    void shouldDocumentEveryDefaultRowAsTheCodeHasIt() throws IOException {
        final String readme = Files.readString(Path.of("..", "README.md"));
        for (final FailureTaxonomy.Rule r : FailureTaxonomy.DEFAULTS) {
            final String row = "| " + (r.status().equals("*") ? "any failure" : r.status()) + " | "
                    + (r.code().equals("*") ? "any other" : "`" + r.code() + "`") + " | " + r.category() + " | "
                    + (r.permanent() ? "yes" : "no") + " | " + r.source() + " |";
            assertThat(readme).as("README row for %s %s", r.status(), r.code()).contains(row);
        }
    }
}
