package io.smsreports.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The heatmap's cells are whole UTC hours: a zone with a non-hour offset is refused (400), never shifted without a word. */
class HeatmapZoneTest {

    private static final Instant FROM = Instant.parse("2026-05-28T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-28T01:00:00Z");

    @Test
    void shouldRefuseZonesWithAHalfOrQuarterHourOffset() {
        assertThat(Params.offsetNotWholeHours(ZoneId.of("Asia/Kolkata"), FROM, TO)).isEqualTo(ZoneOffset.ofHoursMinutes(5, 30));
        assertThat(Params.offsetNotWholeHours(ZoneId.of("Asia/Kathmandu"), FROM, TO)).isEqualTo(ZoneOffset.ofHoursMinutes(5, 45));
        assertThat(Params.offsetNotWholeHours(ZoneId.of("+05:30"), FROM, TO)).isNotNull();
        // Adelaide is +09:30 in winter and +10:30 in summer: refused whichever part of the window the data is in.
        assertThat(Params.offsetNotWholeHours(ZoneId.of("Australia/Adelaide"), FROM, TO)).isNotNull();
    }

    @Test
    void shouldAcceptZonesWhoseOffsetsAreWholeHoursAcrossTheWindow() {
        for (final String zone : new String[] {"UTC", "Europe/Istanbul", "Europe/Berlin", "America/New_York", "+03:00", "Asia/Tokyo"}) {
            assertThat(Params.offsetNotWholeHours(ZoneId.of(zone), FROM, TO)).as(zone).isNull();
        }
    }

    @Test
    void shouldLookAtEveryOffsetInTheWindowNotOnlyTheFirst() {
        // Lord Howe Island moves by half an hour: +10:30 in (its) winter, +11:00 in summer. A window that starts in
        // summer still meets the winter offset.
        final Instant summer = Instant.parse("2026-01-15T00:00:00Z");
        assertThat(ZoneId.of("Australia/Lord_Howe").getRules().getOffset(summer)).isEqualTo(ZoneOffset.ofHours(11));
        assertThat(Params.offsetNotWholeHours(ZoneId.of("Australia/Lord_Howe"), summer, TO)).isEqualTo(ZoneOffset.ofHoursMinutes(10, 30));
    }
}
