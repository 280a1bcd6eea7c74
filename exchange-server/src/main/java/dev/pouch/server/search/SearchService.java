package dev.pouch.server.search;

import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.config.PouchProperties;
import dev.pouch.server.directory.Staff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Searches the shared archive for a staff member: full text (Chinese by bigrams, other languages
 * by words), document number, filters, facets, relevance or date order, pages and snippets — all
 * of it read under the database's access rule and checked again here against the same rule.
 * Every search, and every refused one, is audited with who asked what.
 */
@Service
public class SearchService {

    private static final Logger log = LoggerFactory.getLogger(SearchService.class);
    /** Values listed per facet. */
    static final int FACET_VALUES = 50;

    private final ArchiveAccess access;
    private final SearchRepository repository;
    private final int limit;

    SearchService(ArchiveAccess access, SearchRepository repository, PouchProperties properties) {
        this.access = access;
        this.repository = repository;
        this.limit = properties.search().maxMatches();
    }

    /** The page {@code request} asks for, of what {@code caller} may see. */
    public SearchResult search(Staff caller, SearchRequest request) {
        Viewer viewer = access.viewer(caller);
        return access.read(viewer, AuditLog.Action.SEARCH, () -> {
            List<SearchRepository.Match> found = repository.matches(request, viewer, limit + 1);
            boolean exact = found.size() <= limit;
            List<SearchRepository.Match> matches = new ArrayList<>(exact ? found : found.subList(0, limit));
            // The service's own check of the rule: the database has already filtered these rows.
            int before = matches.size();
            matches.removeIf(m -> !viewer.maySee(m.party(), SearchRepository.classification(m.classification()),
                    SearchRepository.scope(m.scope())));
            if (matches.size() != before) {
                log.error("row-level security let {} rows through that the access rule refuses for {}; they were dropped",
                        before - matches.size(), viewer.actor());
            }
            if (request.sort() == SearchRequest.Sort.RELEVANCE) {
                matches.sort(Comparator.comparingDouble(SearchRepository.Match::rank).reversed()
                        .thenComparing(SearchRepository.Match::acceptedAt, Comparator.reverseOrder()));
            }
            long from = (long) (request.page() - 1) * request.size();
            List<UUID> page = from >= matches.size() ? List.of() : matches.subList((int) from,
                    (int) Math.min(matches.size(), from + request.size())).stream().map(SearchRepository.Match::id).toList();
            List<String> highlights = request.highlights();
            Map<UUID, SearchRepository.Details> details = repository.details(page, highlights).stream()
                    .collect(Collectors.toMap(SearchRepository.Details::id, d -> d));
            List<SearchResult.Hit> hits = page.stream().map(details::get).filter(java.util.Objects::nonNull)
                    .map(d -> hit(d, highlights)).toList();
            SearchResult result = new SearchResult(request, matches.size(), exact, limit, hits, facets(matches));
            return new ArchiveAccess.Outcome<>(result, request.describe(),
                    (exact ? "" : "more than ") + result.total() + " matches, " + hits.size() + " on this page: "
                            + hits.stream().map(h -> h.documentId().toString()).collect(Collectors.joining(" ")));
        });
    }

    /** Audits a search refused before it ran (bad parameters), then lets the refusal go on to the caller. */
    public ProtocolException refused(Staff caller, String asked, ProtocolException e) {
        access.refused(caller.identity().toString(), AuditLog.Action.SEARCH, asked, e);
        return e;
    }

    private static SearchResult.Hit hit(SearchRepository.Details d, List<String> highlights) {
        String snippet = d.window().isBlank() ? Snippets.of(d.subject(), false, false, highlights)
                : Snippets.of(d.window(), d.cutBefore(), d.cutAfter(), highlights);
        return new SearchResult.Hit(d.id(), d.number(), d.type(), d.subject(), d.issuer(), d.region(), d.acceptedAt(),
                d.classification(), d.precedence(), d.scope(), snippet);
    }

    private static List<SearchResult.Facet> facets(List<SearchRepository.Match> matches) {
        Map<String, Function<SearchRepository.Match, String>> fields = new LinkedHashMap<>();
        fields.put("type", SearchRepository.Match::type);
        fields.put("region", SearchRepository.Match::region);
        fields.put("sender", SearchRepository.Match::issuer);
        fields.put("classification", SearchRepository.Match::classification);
        fields.put("precedence", SearchRepository.Match::precedence);
        List<SearchResult.Facet> facets = new ArrayList<>();
        fields.forEach((name, field) -> {
            Map<String, Long> counts = matches.stream().collect(Collectors.groupingBy(field, Collectors.counting()));
            facets.add(new SearchResult.Facet(name, counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(FACET_VALUES).map(e -> new SearchResult.Count(e.getKey(), e.getValue())).toList()));
        });
        return facets;
    }
}
