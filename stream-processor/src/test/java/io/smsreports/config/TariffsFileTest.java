package io.smsreports.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsreports.lifecycle.Price;
import io.smsreports.lifecycle.Tariffs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule 15's tariff file: per part, per country and operator; a reload is whole or not at all. */
class TariffsFileTest {

    private static void write(final Path file, final String csv, final Instant modified) throws Exception {
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(modified)); // a new version, whatever the clock's resolution
    }

    @Test
    void shouldPricePerPartByOperatorElseTheCountrysDefault() {
        final Tariffs tariffs = Tariffs.parse("country,operator,currency,pricePerPart\n# a comment\nTR,*,TRY,0.2\ntr,286-01,try,0.15\n"
                + "DE,,EUR,0.075\n");
        assertThat(tariffs.price("TR", "286-01", 2)).isEqualTo(new Price(300_000, "TRY"));
        assertThat(tariffs.price("TR", "286-02", 1)).as("the country's default").isEqualTo(new Price(200_000, "TRY"));
        assertThat(tariffs.price("DE", null, 3)).as("an empty operator is the default").isEqualTo(new Price(225_000, "EUR"));
        assertThat(tariffs.price("GB", "234-10", 1)).as("no tariff: unpriced").isNull();
        assertThat(tariffs.price(null, "286-01", 1)).isNull();
    }

    @Test
    void shouldNameEveryBadLine() {
        assertThatThrownBy(() -> Tariffs.parse("TR,*,TRY,0.2\nTR,*,TRY,0.3\nXX1,*,TRY,1\nNL,*,EURO,1\nDE,*,EUR,-1\nGB,*,GBP,0.0000001\nFR,*,EUR\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2").hasMessageContaining("has a tariff already")
                .hasMessageContaining("line 3").hasMessageContaining("ISO 3166")
                .hasMessageContaining("line 4").hasMessageContaining("'EURO' is not an ISO 4217 currency code")
                .hasMessageContaining("line 5").hasMessageContaining("must not be negative")
                .hasMessageContaining("line 6").hasMessageContaining("at most 6 decimals")
                .hasMessageContaining("line 7").hasMessageContaining("4 cells expected");
    }

    @Test
    void shouldReloadAChangedFileWholeAndKeepTheTariffsInUseWhenTheNewOneIsBad(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("tariffs.csv");
        final Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        write(file, "TR,*,TRY,0.2\nDE,*,EUR,0.07\n", t0);
        final TariffsFile tariffs = TariffsFile.load(file);
        assertThat(tariffs.get().price("TR", null, 1)).isEqualTo(new Price(200_000, "TRY"));

        // A bad version: rejected as a whole (its good first line is not taken either), the old tariffs stay.
        write(file, "TR,*,TRY,0.25\nDE,*,EUR,oops\n", t0.plusSeconds(60));
        tariffs.reloadIfChanged();
        assertThat(tariffs.get().price("TR", null, 1)).isEqualTo(new Price(200_000, "TRY"));
        assertThat(tariffs.get().price("DE", null, 1)).isEqualTo(new Price(70_000, "EUR"));

        // Fixed: taken whole; a country no longer listed is unpriced from now on.
        write(file, "TR,*,TRY,0.25\n", t0.plusSeconds(120));
        tariffs.reloadIfChanged();
        assertThat(tariffs.get().price("TR", null, 1)).isEqualTo(new Price(250_000, "TRY"));
        assertThat(tariffs.get().price("DE", null, 1)).isNull();

        // Deleted: the tariffs in use stay (a missing file is an operator's mistake, not a reason to stop pricing).
        Files.delete(file);
        tariffs.reloadIfChanged();
        assertThat(tariffs.get().price("TR", null, 1)).isEqualTo(new Price(250_000, "TRY"));
    }

    @Test
    void shouldRefuseToStartOnABadOrMissingFile(@TempDir final Path dir) throws Exception {
        assertThatThrownBy(() -> TariffsFile.load(dir.resolve("missing.csv"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read");
        final Path bad = dir.resolve("bad.csv");
        write(bad, "TR,*,TRY\n", Instant.parse("2026-12-01T00:00:00Z"));
        assertThatThrownBy(() -> TariffsFile.load(bad)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
    }
}
