package dev.pouch.server.web.console;

import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.search.SearchRequest;
import dev.pouch.server.search.SearchResult;
import dev.pouch.server.search.SearchService;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Search of the shared archive with facets: the same parameters as {@code GET /api/search}, and the
 * search service's access rule (row-level security, checked again), counts, facets, snippets and
 * audit. Each facet value is a link that adds (or, when chosen, removes) that filter.
 */
@Controller
class SearchPageController {

    /** A facet value as a link. */
    record FacetLink(String value, long count, String href, boolean chosen) {
    }

    record FacetView(String field, List<FacetLink> links) {
    }

    private final ConsoleAccess access;
    private final SearchService search;

    SearchPageController(ConsoleAccess access, SearchService search) {
        this.access = access;
        this.search = search;
    }

    @GetMapping("/console/search")
    String page(HttpServletRequest request, Model model) {
        Staff me = access.require(request);
        Map<String, List<String>> params = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> {
            if (SearchRequest.PARAMETERS.contains(k)) {
                List<String> values = java.util.Arrays.stream(v).filter(s -> s != null && !s.isBlank()).toList();
                if (!values.isEmpty()) {
                    params.put(k, values);
                }
            }
        });
        model.addAttribute("q", params.getOrDefault("q", List.of("")).getFirst());
        model.addAttribute("sort", params.getOrDefault("sort", List.of("RELEVANCE")).getFirst());
        model.addAttribute("from", params.getOrDefault("from", List.of("")).getFirst());
        model.addAttribute("to", params.getOrDefault("to", List.of("")).getFirst());
        Map<String, List<String>> filters = new LinkedHashMap<>(params);
        List.of("q", "sort", "page", "size", "from", "to", "zone").forEach(filters::remove);
        model.addAttribute("filters", filters);
        if (params.isEmpty() || params.keySet().stream().allMatch(k -> k.equals("sort") || k.equals("page") || k.equals("size"))) {
            return "console/search";
        }
        Map<String, String[]> asked = params.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toArray(String[]::new), (a, b) -> a, LinkedHashMap::new));
        SearchRequest query;
        try {
            query = SearchRequest.parse(asked);
        } catch (ProtocolException e) {
            throw search.refused(me, asked.keySet().toString(), e);
        }
        SearchResult result = search.search(me, query);
        model.addAttribute("result", result);
        model.addAttribute("facets", result.facets().stream().map(f -> facet(f, params)).toList());
        model.addAttribute("pageNumber", query.page());
        model.addAttribute("prevHref", query.page() > 1 ? href(params, "page", String.valueOf(query.page() - 1), true) : null);
        model.addAttribute("nextHref", (long) query.page() * query.size() < result.total()
                ? href(params, "page", String.valueOf(query.page() + 1), true) : null);
        return "console/search";
    }

    private static FacetView facet(SearchResult.Facet f, Map<String, List<String>> params) {
        List<FacetLink> links = new ArrayList<>();
        for (SearchResult.Count c : f.counts()) {
            boolean chosen = params.getOrDefault(f.field(), List.of()).contains(c.value());
            Map<String, List<String>> next = new LinkedHashMap<>(params);
            next.remove("page");
            List<String> values = new ArrayList<>(next.getOrDefault(f.field(), List.of()));
            if (chosen) {
                values.remove(c.value());
            } else if (f.field().equals("sender")) {
                values = new ArrayList<>(List.of(c.value())); // one sender at a time
            } else {
                values.add(c.value());
            }
            if (values.isEmpty()) {
                next.remove(f.field());
            } else {
                next.put(f.field(), values);
            }
            links.add(new FacetLink(c.value(), c.count(), build(next), chosen));
        }
        return new FacetView(f.field(), links);
    }

    private static String href(Map<String, List<String>> params, String key, String value, boolean replace) {
        Map<String, List<String>> next = new LinkedHashMap<>(params);
        next.put(key, replace ? List.of(value) : java.util.stream.Stream.concat(next.getOrDefault(key, List.of()).stream(),
                java.util.stream.Stream.of(value)).toList());
        return build(next);
    }

    private static String build(Map<String, List<String>> params) {
        UriComponentsBuilder b = UriComponentsBuilder.fromPath("/console/search");
        params.forEach((k, vs) -> vs.forEach(v -> b.queryParam(k, v)));
        return b.encode().build().toUriString();
    }
}
