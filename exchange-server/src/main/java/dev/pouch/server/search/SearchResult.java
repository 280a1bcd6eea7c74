package dev.pouch.server.search;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One page of a search, with the number of matches and facet counts over all of them (all that
 * the caller may see). When more than {@code limit} documents match, {@code exact} is false: the
 * count, the facets and the relevance order then cover the {@code limit} newest matches.
 */
public record SearchResult(SearchRequest request, long total, boolean exact, long limit, List<Hit> hits, List<Facet> facets) {

    public SearchResult {
        hits = List.copyOf(hits);
        facets = List.copyOf(facets);
    }

    /**
     * One matching document. {@code snippet} is HTML: the text around the first match, escaped,
     * with the words found in {@code <mark>}.
     */
    public record Hit(UUID documentId, String number, String type, String subject, String sender, String senderRegion,
            Instant acceptedAt, String classification, String precedence, String sharingScope, String snippet) {
    }

    /** Counts of one field's values among the matches, most frequent first. */
    public record Facet(String field, List<Count> counts) {
        public Facet {
            counts = List.copyOf(counts);
        }
    }

    /** How many matches have one value. */
    public record Count(String value, long count) {
    }
}
