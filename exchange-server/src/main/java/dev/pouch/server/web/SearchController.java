package dev.pouch.server.web;

import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.search.SearchRequest;
import dev.pouch.server.search.SearchResult;
import dev.pouch.server.search.SearchService;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The shared archive's search over HTTPS with a staff certificate: {@code GET /api/search?q=&number=
 * &type=&region=&org=&sender=&from=&to=&zone=&classification=&precedence=&sort=&page=&size=}, as JSON.
 * What the caller may see, and the audit, are the service's.
 */
@RestController
@RequestMapping("/api/search")
class SearchController {

    /** The JSON answer. {@code exact} false: more than {@code limit} documents match and {@code total} counts the newest of them. */
    record Answer(String query, long total, boolean exact, long limit, int page, int size, List<Hit> hits,
            Map<String, List<SearchResult.Count>> facets) {
    }

    /** One hit; {@code snippet} is HTML (escaped text, matches in {@code <mark>}). */
    record Hit(String id, String number, String type, String subject, String sender, String senderRegion, Instant acceptedAt,
            String classification, String precedence, String sharingScope, String snippet, String href) {
    }

    private final Callers callers;
    private final SearchService search;

    SearchController(Callers callers, SearchService search) {
        this.callers = callers;
        this.search = search;
    }

    @GetMapping
    ResponseEntity<Answer> search(HttpServletRequest request) {
        Staff caller = callers.require(request);
        SearchRequest query;
        try {
            query = SearchRequest.parse(request.getParameterMap());
        } catch (ProtocolException e) {
            throw search.refused(caller, asked(request.getParameterMap()), e);
        }
        SearchResult r = search.search(caller, query);
        Map<String, List<SearchResult.Count>> facets = new java.util.LinkedHashMap<>();
        r.facets().forEach(f -> facets.put(f.field(), f.counts()));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(new Answer(query.describe(), r.total(), r.exact(),
                r.limit(), query.page(), query.size(), r.hits().stream().map(h -> new Hit(h.documentId().toString(), h.number(),
                        h.type(), h.subject(), h.sender(), h.senderRegion(), h.acceptedAt(), h.classification(), h.precedence(),
                        h.sharingScope(), h.snippet(), "/api/documents/" + h.documentId())).toList(), facets));
    }

    private static String asked(Map<String, String[]> parameters) {
        return new TreeMap<>(parameters).entrySet().stream().map(e -> e.getKey() + "=" + String.join(",", e.getValue()))
                .collect(Collectors.joining("&"));
    }
}
