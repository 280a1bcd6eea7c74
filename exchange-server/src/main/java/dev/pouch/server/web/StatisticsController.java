package dev.pouch.server.web;

import dev.pouch.server.directory.Staff;
import dev.pouch.server.stats.Figures;
import dev.pouch.server.stats.Statistics;
import dev.pouch.server.stats.StatisticsCsv;
import dev.pouch.server.stats.StatisticsQuery;
import dev.pouch.server.stats.StatisticsService;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Per-unit statistics over HTTPS with a staff certificate: {@code GET /api/stats?by=&region=&org=
 * &kind=&period=|from=&to=&zone=}, as JSON, or as CSV with {@code Accept: text/csv} or
 * {@code format=csv}. Who sees which units, and the audit, are the service's.
 */
@RestController
@RequestMapping("/api/stats")
class StatisticsController {

    static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    /** The JSON answer. */
    record Answer(PeriodView period, String grouping, Filters filters, List<Statistics.Row> rows, Figures totals) {
    }

    record PeriodView(String label, String from, String to, String zone) {
    }

    record Filters(String region, String organization, String kind) {
    }

    private final Callers callers;
    private final StatisticsService statistics;

    StatisticsController(Callers callers, StatisticsService statistics) {
        this.callers = callers;
        this.statistics = statistics;
    }

    @GetMapping
    ResponseEntity<?> statistics(HttpServletRequest request) {
        Staff caller = callers.require(request);
        Statistics result = statistics.report(caller, request.getParameterMap(), prefersCsv(request));
        StatisticsQuery q = result.query();
        if (q.format() == StatisticsQuery.Format.CSV) {
            String file = "pouch-statistics-" + q.period().label().replace('/', '_').replace(':', '-') + "-by-"
                    + q.grouping().name().toLowerCase(Locale.ROOT) + ".csv";
            return ResponseEntity.ok().contentType(CSV)
                    .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(file, StandardCharsets.UTF_8)
                            .build().toString())
                    .body(StatisticsCsv.write(result));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(new Answer(
                new PeriodView(q.period().label(), q.period().fromInZone().toString(), q.period().toInZone().toString(),
                        q.period().zone().getId()),
                q.grouping().name(),
                new Filters(q.region().map(Enum::name).orElse(null), q.organization().map(o -> o.value()).orElse(null),
                        q.kind().map(Enum::name).orElse(null)),
                result.rows(), result.totals().figures()));
    }

    /** Whether the Accept header ranks CSV above JSON (a missing header or {@code *}/{@code *} means JSON). */
    private static boolean prefersCsv(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null || accept.isBlank()) {
            return false;
        }
        List<MediaType> types;
        try {
            types = MediaType.parseMediaTypes(accept);
        } catch (RuntimeException e) {
            return false;
        }
        List<MediaType> byQuality = types.stream()
                .sorted(java.util.Comparator.comparingDouble(MediaType::getQualityValue).reversed()).toList();
        for (MediaType t : byQuality) {
            if (t.isCompatibleWith(CSV) && !t.isWildcardType()) {
                return true;
            }
            if (t.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                return false;
            }
        }
        return false;
    }
}
