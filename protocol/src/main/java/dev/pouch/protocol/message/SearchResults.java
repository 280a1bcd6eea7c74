package dev.pouch.protocol.message;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** One page of search results with facet counts. */
public record SearchResults(long total, List<Hit> hits, List<Facet> facets) implements Message {

    public SearchResults {
        Checks.nonNegative(total, "total");
        hits = Checks.list(hits, SearchQuery.MAX_PAGE_SIZE, "hits");
        facets = Checks.list(facets, 32, "facets");
    }

    /** One matching document. */
    public record Hit(UUID documentId, String documentNumber, String type, String subject, String sender,
            Instant acceptedAt, String classification, String snippet) {
        public Hit {
            Objects.requireNonNull(documentId);
            Objects.requireNonNull(acceptedAt);
            Checks.text(documentNumber, 128, "document number");
            Checks.text(type, 32, "type");
            Checks.text(subject, 1000, "subject");
            Checks.text(sender, 32, "sender");
            Checks.text(classification, 32, "classification");
            Checks.text(snippet, Checks.MAX_TEXT, "snippet");
        }
    }

    /** Counts of one field's values among all matches. */
    public record Facet(String field, List<Count> counts) {
        public Facet {
            Checks.text(field, 64, "facet field");
            counts = Checks.list(counts, 512, "facet values");
        }
    }

    /** How many matches have one value. */
    public record Count(String value, long count) {
        public Count {
            Checks.text(value, 200, "facet value");
            Checks.nonNegative(count, "count");
        }
    }
}
