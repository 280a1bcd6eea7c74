package dev.pouch.server.stats;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The CSV form: RFC 4180 quoting, UTF-8, rates and medians as a spreadsheet reads them. */
class StatisticsCsvTest {

    @Test
    void fields_with_commas_quotes_or_line_breaks_are_quoted_with_quotes_doubled() {
        assertThat(StatisticsCsv.field("欧洲司")).isEqualTo("欧洲司");
        assertThat(StatisticsCsv.field("Office, Embassy in France")).isEqualTo("\"Office, Embassy in France\"");
        assertThat(StatisticsCsv.field("the \"Pouch\"")).isEqualTo("\"the \"\"Pouch\"\"\"");
        assertThat(StatisticsCsv.field("two\r\nlines")).isEqualTo("\"two\r\nlines\"");
        assertThat(StatisticsCsv.field("")).isEmpty();
    }

    @Test
    void a_row_has_the_period_the_unit_the_counts_rates_with_four_decimals_and_the_median_in_seconds() {
        Period period = new Period(Instant.parse("2026-10-31T16:00:00Z"), Instant.parse("2026-11-30T16:00:00Z"),
                Period.DEFAULT_ZONE, "2026-11");
        StatisticsQuery query = new StatisticsQuery(StatisticsQuery.Grouping.ORGANIZATION, Optional.empty(), Optional.empty(),
                Optional.empty(), period, StatisticsQuery.Format.CSV);
        Figures f = Figures.of(1, 4, 3, 2, 3, 2, 2, 1, 1, 7_830.5, 0, 0, 0);
        Figures none = Figures.of(1, 0, 0, 0, 0, 0, 0, 0, 0, null, 0, 0, 0);
        Statistics s = new Statistics(query, List.of(
                new Statistics.Row("FR-EMB", "OVERSEAS_OFFICE", "EUROPE", "驻法国使馆经济商务处", "Economic and Commercial Office, Embassy in France", f),
                new Statistics.Row("ES-EMB", "OVERSEAS_OFFICE", "EUROPE", "驻西班牙使馆经济商务处", "Spain", none)),
                new Statistics.Row("TOTAL", null, null, null, null, f));
        String csv = new String(StatisticsCsv.write(s), StandardCharsets.UTF_8);
        assertThat(csv.split("\r\n")).containsExactly(
                String.join(",", StatisticsCsv.HEADER),
                "2026-11-01T00:00+08:00,2026-12-01T00:00+08:00,FR-EMB,驻法国使馆经济商务处,\"Economic and Commercial Office, Embassy in France\","
                        + "OVERSEAS_OFFICE,EUROPE,1,4,3,2,3,2,0.6667,2,1,1,1.0000,7831,0,0,0,",
                "2026-11-01T00:00+08:00,2026-12-01T00:00+08:00,ES-EMB,驻西班牙使馆经济商务处,Spain,OVERSEAS_OFFICE,EUROPE,1,0,0,0,0,0,,0,0,0,,,0,0,0,");
        assertThat(csv).endsWith("\r\n").doesNotStartWith("\uFEFF");
    }
}
