package dev.pouch.protocol.message;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A search of the shared archive; empty filters match everything the caller may see. */
public record SearchQuery(String text, String documentNumber, List<String> types, List<String> regions,
        List<String> organizations, String sender, Optional<Instant> from, Optional<Instant> to,
        List<String> classifications, List<String> precedences, String sort, int page, int pageSize) implements Message {

    public static final int MAX_PAGE_SIZE = 200;

    public SearchQuery {
        Checks.text(text, 1000, "search text");
        Checks.text(documentNumber, 128, "document number");
        types = Checks.list(types, 32, "types");
        regions = Checks.list(regions, 32, "regions");
        organizations = Checks.list(organizations, 512, "organizations");
        Checks.text(sender, 32, "sender");
        classifications = Checks.list(classifications, 8, "classifications");
        precedences = Checks.list(precedences, 8, "precedences");
        Checks.require(sort.equals("relevance") || sort.equals("date"), "sort is relevance or date");
        Checks.require(page >= 0 && pageSize >= 1 && pageSize <= MAX_PAGE_SIZE, "page size is 1 to " + MAX_PAGE_SIZE);
    }

    /** A plain text search, first page of 20. */
    public static SearchQuery text(String text) {
        return new SearchQuery(text, "", List.of(), List.of(), List.of(), "", Optional.empty(), Optional.empty(),
                List.of(), List.of(), "relevance", 0, 20);
    }
}
