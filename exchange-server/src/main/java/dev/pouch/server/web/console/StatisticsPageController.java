package dev.pouch.server.web.console;

import dev.pouch.server.directory.Region;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.stats.Statistics;
import dev.pouch.server.stats.StatisticsCsv;
import dev.pouch.server.stats.StatisticsQuery;
import dev.pouch.server.stats.StatisticsService;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-unit statistics as a table and a bar chart (inline SVG), with the same parameters, visibility
 * and audit as {@code GET /api/stats}; and the same figures as CSV.
 */
@Controller
class StatisticsPageController {

    /** Units drawn in the chart, the busiest first (the table lists them all, silent ones included). */
    static final int CHART_UNITS = 30;

    private final ConsoleAccess access;
    private final StatisticsService statistics;

    StatisticsPageController(ConsoleAccess access, StatisticsService statistics) {
        this.access = access;
        this.statistics = statistics;
    }

    @GetMapping("/console/stats")
    String page(HttpServletRequest request, Model model) {
        Staff me = access.require(request);
        Map<String, String[]> query = query(request, "json");
        Statistics result = statistics.report(me, query, false);
        String lang = (String) request.getAttribute("lang");
        List<BarChart.Bar> bars = result.rows().stream()
                .filter(r -> r.figures().sent() + r.figures().received() > 0)
                .sorted(Comparator.comparingLong((Statistics.Row r) -> r.figures().sent() + r.figures().received()).reversed())
                .limit(CHART_UNITS)
                .map(r -> new BarChart.Bar(label(r, lang), r.figures().sent(), r.figures().received())).toList();
        model.addAttribute("result", result);
        model.addAttribute("chart", BarChart.svg(bars, result.query().period().label()));
        model.addAttribute("regions", Region.values());
        model.addAttribute("params", single(query));
        return "console/stats";
    }

    @GetMapping("/console/stats.csv")
    ResponseEntity<byte[]> csv(HttpServletRequest request) {
        Staff me = access.require(request);
        Statistics result = statistics.report(me, query(request, "csv"), true);
        StatisticsQuery q = result.query();
        String file = "pouch-statistics-" + q.period().label().replace('/', '_').replace(':', '-') + ".csv";
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(file, StandardCharsets.UTF_8)
                        .build().toString())
                .body(StatisticsCsv.write(result));
    }

    private String label(Statistics.Row r, String lang) {
        if ("en".equals(lang)) {
            return r.nameEn() == null || r.nameEn().isBlank() ? r.key() : r.nameEn();
        }
        return r.nameZh() == null || r.nameZh().isBlank() ? r.key() : r.nameZh();
    }

    /** The statistics parameters of the request (empty ones dropped), and the format. */
    private static Map<String, String[]> query(HttpServletRequest request, String format) {
        Map<String, String[]> q = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> {
            if (StatisticsQuery.PARAMETERS.contains(k) && !"format".equals(k) && v.length > 0 && !v[0].isBlank()) {
                q.put(k, v);
            }
        });
        q.put("format", new String[] {format});
        return q;
    }

    private static Map<String, String> single(Map<String, String[]> query) {
        Map<String, String> m = new LinkedHashMap<>();
        query.forEach((k, v) -> m.put(k, v[0]));
        return m;
    }
}
