package dev.pouch.client.cli;

import dev.pouch.client.ExchangeApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/**
 * {@code pouch stats}: per-unit statistics — documents sent and received, reply rate, surveys
 * answered, on-time rate, median response time — per organization, per region or in total, for
 * a period, as a table, JSON or a CSV file. The exchange decides what the caller may see and
 * validates the request; see docs/statistics.md for what each figure counts.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Per-unit statistics for a period: documents sent and received, reply rate, surveys answered,"
                + " on-time rate, median response time.",
                "Staff of an overseas office see their own organization's figures only."})
final class StatsCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** How rows are formed. */
    enum By { ORGANIZATION, REGION, TOTAL }

    /** Which organizations. */
    enum Kind { HQ_DEPARTMENT, OVERSEAS_OFFICE }

    @Mixin
    ClientOptions client;

    @Mixin
    Output out;

    @Option(names = "--by", paramLabel = "organization|region|total", defaultValue = "organization",
            description = "One row per organization (the default: units without activity show zeros), per region, or one total.")
    By by;

    @Option(names = "--region", paramLabel = "REGION", description = "Only the organizations of this region (e.g. EUROPE, HQ).")
    String region;

    @Option(names = "--org", paramLabel = "CODE", description = "Only this organization (e.g. FR-EMB).")
    String organization;

    @Option(names = "--kind", paramLabel = "hq_department|overseas_office", description = "Only HQ departments or only overseas offices.")
    Kind kind;

    @Option(names = "--period", paramLabel = "PERIOD",
            description = "A month (2026-11), quarter (2026-Q4) or year (2026). Default: the current month.")
    String period;

    @Option(names = "--from", paramLabel = "DATE", description = "Start (included): a date (2026-11-01) or time (2026-11-01T08:00).")
    String from;

    @Option(names = "--to", paramLabel = "DATE", description = "End (not included): --from 2026-11-01 --to 2026-12-01 is November.")
    String to;

    @Option(names = "--zone", paramLabel = "ZONE", description = "The time zone dates are read in. Default: Asia/Shanghai.")
    String zone;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write the rows to FILE as CSV (UTF-8, a header row) instead of a table.")
    Path csv;

    @Override
    public Integer call() {
        ExchangeApi api = client.api();
        String path = "/api/stats?" + query();
        if (csv != null) {
            api.download(path + "&format=csv", csv);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ok", true);
            result.put("csv", csv.toAbsolutePath().toString());
            out.result(result, () -> out.out().println("Statistics written to " + csv));
            return 0;
        }
        JsonNode answer = api.get(path);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ok", true);
        result.putAll(JSON.convertValue(answer, Map.class));
        out.result(result, () -> print(answer));
        return 0;
    }

    private String query() {
        StringJoiner q = new StringJoiner("&");
        q.add("by=" + by.name().toLowerCase(Locale.ROOT));
        add(q, "region", region);
        add(q, "org", organization);
        add(q, "kind", kind == null ? null : kind.name());
        add(q, "period", period);
        add(q, "from", from);
        add(q, "to", to);
        add(q, "zone", zone);
        return q.toString();
    }

    private static void add(StringJoiner q, String name, String value) {
        if (value != null) {
            q.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private void print(JsonNode answer) {
        JsonNode p = answer.get("period");
        out.out().println("Statistics by " + answer.get("grouping").asString().toLowerCase(Locale.ROOT) + ", " + p.get("label").asString()
                + " (" + TIME.format(OffsetDateTime.parse(p.get("from").asString())) + " to "
                + TIME.format(OffsetDateTime.parse(p.get("to").asString())) + " " + p.get("zone").asString() + ", end not included)");
        boolean organizations = "ORGANIZATION".equals(answer.get("grouping").asString());
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : answer.get("rows")) {
            String name = organizations ? row.path("nameZh").asString("") : row.get("figures").get("units").asLong() + " units";
            rows.add(cells(row.get("key").asString(), name, row.get("figures")));
        }
        if (answer.get("rows").size() > 1) {
            JsonNode t = answer.get("totals");
            rows.add(cells("TOTAL", t.get("units").asLong() + " units", t));
        }
        out.table(List.of("UNIT", "NAME", "SENT", "RECEIVED", "DELIVERED", "ACTION", "REPLIED", "REPLY RATE", "SURVEYS", "ANSWERED",
                "ON TIME", "MEDIAN RESPONSE", "SURVEYS SENT", "RESPONSE RATE"), rows);
    }

    private static List<String> cells(String unit, String name, JsonNode f) {
        return List.of(unit, name, count(f, "sent"), count(f, "received"), count(f, "delivered"), count(f, "actionItems"),
                count(f, "replied"), percent(f.get("replyRate")), count(f, "surveysAsked"), count(f, "surveysAnswered"),
                percent(f.get("onTimeRate")), duration(f.get("medianResponseSeconds")), count(f, "surveysSent"),
                percent(f.get("surveyResponseRate")));
    }

    private static String count(JsonNode f, String field) {
        return Long.toString(f.get(field).asLong());
    }

    /** A rate as a percentage with one decimal, "—" when there is nothing to divide by. */
    static String percent(JsonNode rate) {
        if (rate == null || rate.isNull()) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.1f%%", rate.asDouble() * 100);
    }

    /** A duration for a person: "2 d 4 h", "3 h 12 min", "12 min", "40 s"; "—" when there is none. */
    static String duration(JsonNode seconds) {
        if (seconds == null || seconds.isNull()) {
            return "—";
        }
        long s = Math.round(seconds.asDouble());
        long days = s / 86_400;
        long hours = s % 86_400 / 3_600;
        long minutes = s % 3_600 / 60;
        if (days > 0) {
            return days + " d " + hours + " h";
        }
        if (hours > 0) {
            return hours + " h " + minutes + " min";
        }
        if (minutes > 0) {
            return minutes + " min";
        }
        return s + " s";
    }
}
