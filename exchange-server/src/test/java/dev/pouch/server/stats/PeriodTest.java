package dev.pouch.server.stats;

import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Periods as people name them, read in Beijing time unless another zone is given. */
class PeriodTest {

    // 2026-11-30 20:00 UTC is already 1 December in Beijing.
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T20:00:00Z"), ZoneOffset.UTC);

    private static Period parse(String period, String from, String to, String zone) {
        return Period.parse(period, from, to, zone, CLOCK);
    }

    @Test
    void a_month_runs_from_its_first_midnight_in_beijing_to_the_next_month_s() {
        Period p = parse("2026-11", null, null, null);
        assertThat(p.from()).isEqualTo(Instant.parse("2026-10-31T16:00:00Z"));
        assertThat(p.to()).isEqualTo(Instant.parse("2026-11-30T16:00:00Z"));
        assertThat(p.zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(p.label()).isEqualTo("2026-11");
        assertThat(p.fromInZone().toString()).isEqualTo("2026-11-01T00:00+08:00");
    }

    @Test
    void a_quarter_and_a_year() {
        Period q = parse("2026-q4", null, null, null);
        assertThat(q.from()).isEqualTo(Instant.parse("2026-09-30T16:00:00Z"));
        assertThat(q.to()).isEqualTo(Instant.parse("2026-12-31T16:00:00Z"));
        assertThat(q.label()).isEqualTo("2026-Q4");
        Period q1 = parse("2026-Q1", null, null, null);
        assertThat(q1.fromInZone().toString()).isEqualTo("2026-01-01T00:00+08:00");
        assertThat(q1.toInZone().toString()).isEqualTo("2026-04-01T00:00+08:00");
        Period y = parse("2026", null, null, null);
        assertThat(y.from()).isEqualTo(Instant.parse("2025-12-31T16:00:00Z"));
        assertThat(y.to()).isEqualTo(Instant.parse("2026-12-31T16:00:00Z"));
    }

    @Test
    void another_zone_moves_the_boundaries_summer_time_included() {
        Period p = parse("2026-07", null, null, "Europe/Paris");
        assertThat(p.from()).isEqualTo(Instant.parse("2026-06-30T22:00:00Z"));
        assertThat(p.to()).isEqualTo(Instant.parse("2026-07-31T22:00:00Z"));
        assertThat(parse("2026-12", null, null, "+01:00").from()).isEqualTo(Instant.parse("2026-11-30T23:00:00Z"));
    }

    @Test
    void without_a_period_the_current_month_where_the_zone_is() {
        assertThat(parse(null, null, null, null).label()).isEqualTo("2026-12");
        assertThat(parse(null, null, null, "UTC").label()).isEqualTo("2026-11");
    }

    @Test
    void dates_are_midnights_and_to_is_not_included() {
        Period p = parse(null, "2026-11-01", "2026-11-02", null);
        assertThat(p.from()).isEqualTo(Instant.parse("2026-10-31T16:00:00Z"));
        assertThat(p.to()).isEqualTo(Instant.parse("2026-11-01T16:00:00Z"));
        assertThat(p.label()).isEqualTo("2026-11-01/2026-11-02");
        Period t = parse(null, "2026-11-01T08:30", "2026-11-01T09:00:00.000001+01:00", null);
        assertThat(t.from()).isEqualTo(Instant.parse("2026-11-01T00:30:00Z"));
        assertThat(t.to()).isEqualTo(Instant.parse("2026-11-01T08:00:00.000001Z"));
    }

    @Test
    void malformed_or_contradictory_periods_are_refused_with_invalid_request() {
        refused(() -> parse("2026-13", null, null, null), "period '2026-13' is not a month, quarter or year");
        refused(() -> parse("2026-Q0", null, null, null), "is not a month, quarter or year");
        refused(() -> parse("November", null, null, null), "is not a month, quarter or year");
        refused(() -> parse("2026-11", "2026-11-01", null, null), "either period or from and to");
        refused(() -> parse(null, "2026-11-01", null, null), "give both from and to");
        refused(() -> parse(null, null, "2026-11-01", null), "give both from and to");
        refused(() -> parse(null, "2026-12-01", "2026-11-01", null), "from (2026-12-01) must be before to (2026-11-01)");
        refused(() -> parse(null, "2026-11-01", "2026-11-01", null), "must be before to");
        refused(() -> parse(null, "2026-11-31", "2026-12-01", null), "from '2026-11-31' is not a date");
        refused(() -> parse(null, "2026-11-01", "soon", null), "to 'soon' is not a date");
        refused(() -> parse("2026", null, null, "Beijing"), "zone 'Beijing' is not a time zone");
    }

    private static void refused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String sentence) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(e.detail()).contains(sentence);
        });
    }
}
