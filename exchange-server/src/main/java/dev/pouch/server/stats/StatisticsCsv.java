package dev.pouch.server.stats;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Statistics as CSV (RFC 4180: a header row, CRLF line ends, a field with a comma, quote or line
 * break in double quotes with its quotes doubled), UTF-8 without a byte-order mark. One row per
 * group, the same columns whatever the grouping (a column that does not apply is empty); the
 * totals are not a row, so that the rows sum. Rates are fractions with four decimals, the median
 * in whole seconds; an undefined rate or median is empty. The period is in every row, so a row
 * taken out of the file still says what it counts.
 */
public final class StatisticsCsv {

    public static final List<String> HEADER = List.of("period_from", "period_to", "organization", "name_zh", "name_en",
            "kind", "region", "units", "sent", "received", "delivered", "action_items", "replied", "reply_rate",
            "surveys_asked", "surveys_answered", "answered_on_time", "on_time_rate", "median_response_seconds",
            "surveys_sent", "survey_targets", "survey_responses", "survey_response_rate");

    private StatisticsCsv() {
    }

    public static byte[] write(Statistics statistics) {
        StringBuilder out = new StringBuilder();
        line(out, HEADER);
        String from = statistics.query().period().fromInZone().toString();
        String to = statistics.query().period().toInZone().toString();
        boolean organizations = statistics.query().grouping() == StatisticsQuery.Grouping.ORGANIZATION;
        for (Statistics.Row row : statistics.rows()) {
            Figures f = row.figures();
            List<String> fields = new ArrayList<>(List.of(from, to, organizations ? row.key() : "",
                    text(row.nameZh()), text(row.nameEn()), text(row.kind()), text(row.region())));
            fields.addAll(List.of(n(f.units()), n(f.sent()), n(f.received()), n(f.delivered()), n(f.actionItems()), n(f.replied()),
                    rate(f.replyRate()), n(f.surveysAsked()), n(f.surveysAnswered()), n(f.answeredOnTime()), rate(f.onTimeRate()),
                    f.medianResponseSeconds() == null ? "" : Long.toString(Math.round(f.medianResponseSeconds())),
                    n(f.surveysSent()), n(f.surveyTargets()), n(f.surveyResponses()), rate(f.surveyResponseRate())));
            line(out, fields);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One field, quoted if RFC 4180 requires it. */
    static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static void line(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        out.append("\r\n");
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static String n(long n) {
        return Long.toString(n);
    }

    private static String rate(Double rate) {
        return rate == null ? "" : String.format(Locale.ROOT, "%.4f", rate);
    }
}
