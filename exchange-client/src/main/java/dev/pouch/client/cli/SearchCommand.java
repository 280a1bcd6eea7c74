package dev.pouch.client.cli;

import dev.pouch.client.ExchangeClient;
import dev.pouch.protocol.message.SearchQuery;
import dev.pouch.protocol.message.SearchResults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code pouch search WORDS… [filters]}: the shared archive, as much of it as the signed-in person
 * may see (the exchange decides). Snippets are shown as text with the matches in 【】.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Search the shared archive: words and \"phrases\" (Chinese included), a document number, filters.")
final class SearchCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Mixin
    Output out;

    @Parameters(arity = "0..*", paramLabel = "WORDS", description = "Words to find (all must appear); quote a phrase.")
    List<String> words = new ArrayList<>();

    @Option(names = "--number", paramLabel = "文号", description = "The exact document number.")
    String number = "";

    @Option(names = "--type", split = ",", description = "Document types (notice, request, survey_request, report, reply, statistics, bulletin).")
    List<String> types = new ArrayList<>();

    @Option(names = "--region", split = ",", description = "The sender's region (HQ, EUROPE, AFRICA, ASIA, WEST_ASIA, EURASIA, AMERICAS, OCEANIA).")
    List<String> regions = new ArrayList<>();

    @Option(names = "--org", split = ",", description = "An organization that sent or received the document.")
    List<String> organizations = new ArrayList<>();

    @Option(names = "--sender", description = "The sending organization.")
    String sender = "";

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "Accepted on or after this day (UTC).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Accepted on or before this day (UTC).")
    LocalDate to;

    @Option(names = "--classification", split = ",", description = "public, internal")
    List<String> classifications = new ArrayList<>();

    @Option(names = "--precedence", split = ",", description = "routine, urgent, flash")
    List<String> precedences = new ArrayList<>();

    @Option(names = "--sort", description = "relevance (default) or date")
    String sort = "relevance";

    @Option(names = "--page", description = "Page, from 1 (default 1).")
    int page = 1;

    @Option(names = "--size", description = "Results per page, 1 to 200 (default 20).")
    int size = 20;

    @Override
    public Integer call() {
        if (page < 1 || size < 1 || size > SearchQuery.MAX_PAGE_SIZE) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--page is counted from 1 and --size is 1 to " + SearchQuery.MAX_PAGE_SIZE);
        }
        ZoneId utc = ZoneId.of("UTC");
        SearchQuery query = new SearchQuery(String.join(" ", words), number, upper(types), upper(regions), upper(organizations),
                sender.toUpperCase(java.util.Locale.ROOT), Optional.ofNullable(from).map(d -> d.atStartOfDay(utc).toInstant()),
                Optional.ofNullable(to).map(d -> d.plusDays(1).atStartOfDay(utc).toInstant()), upper(classifications),
                upper(precedences), sort.toLowerCase(java.util.Locale.ROOT), page - 1, size);
        SearchResults results;
        try (ExchangeClient c = client.connect(null)) {
            results = c.search(query);
        }
        List<Map<String, Object>> hits = new ArrayList<>();
        for (SearchResults.Hit h : results.hits()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", h.documentId().toString());
            row.put("number", h.documentNumber());
            row.put("type", h.type());
            row.put("subject", h.subject());
            row.put("sender", h.sender());
            row.put("acceptedAt", h.acceptedAt());
            row.put("classification", h.classification());
            row.put("snippet", text(h.snippet()));
            hits.add(row);
        }
        Map<String, Object> facets = new LinkedHashMap<>();
        results.facets().forEach(f -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            f.counts().forEach(c -> counts.put(c.value(), c.count()));
            facets.put(f.field(), counts);
        });
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ok", true);
        result.put("total", results.total());
        result.put("page", page);
        result.put("hits", hits);
        result.put("facets", facets);
        out.result(result, () -> {
            out.table(List.of("ACCEPTED", "NUMBER", "TYPE", "FROM", "CLASS", "SUBJECT"), results.hits().stream()
                    .map(h -> List.of(StatusCommand.TIME.format(h.acceptedAt()), h.documentNumber(), h.type(), h.sender(),
                            h.classification(), h.subject())).toList());
            for (SearchResults.Hit h : results.hits()) {
                out.out().println(h.documentId() + "  " + text(h.snippet()));
            }
            long first = results.hits().isEmpty() ? 0 : (long) (page - 1) * size + 1;
            out.out().println(results.total() + " found; showing " + first + "–" + ((long) (page - 1) * size + results.hits().size()));
            results.facets().forEach(f -> out.out().println("  " + f.field() + ": " + String.join(", ",
                    f.counts().stream().map(c -> c.value() + " " + c.count()).toList())));
        });
        return 0;
    }

    /** The exchange's HTML snippet as plain text: matches in 【】, entities decoded, other tags dropped. */
    static String text(String html) {
        String marked = html.replace("<mark>", "【").replace("</mark>", "】").replaceAll("<[^>]*>", "");
        return marked.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    private static List<String> upper(List<String> values) {
        return values.stream().map(v -> v.strip().toUpperCase(java.util.Locale.ROOT)).filter(v -> !v.isEmpty()).toList();
    }
}
