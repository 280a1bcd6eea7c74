package dev.pouch.server.search;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.SharingScope;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The search's SQL. Both queries run as the viewer (see {@link ArchiveAccess}): row-level security
 * filters every row they read. The candidates come from {@code search_matches} (V6), which uses
 * the indexes and applies the same rule; the rows are then read again under the policy.
 */
@Repository
class SearchRepository {

    /** A matching document, as much as ordering, counting and facets need. */
    record Match(UUID id, Instant acceptedAt, String issuer, String region, String type, String classification,
            String precedence, String scope, boolean party, double rank) {
    }

    /** A hit's details and the piece of its text around the first match. */
    record Details(UUID id, String number, String type, String subject, String issuer, String region, Instant acceptedAt,
            String classification, String precedence, String scope, String window, boolean cutBefore, boolean cutAfter) {
    }

    private final JdbcTemplate jdbc;

    SearchRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** At most {@code limit} matches, newest first, with their relevance to the words (0 without words). */
    List<Match> matches(SearchRequest r, Viewer viewer, int limit) {
        String sql = "SELECT e.document_id, e.accepted_at, e.issuer, e.issuer_region, e.type, e.classification, e.precedence,"
                + " e.sharing_scope, ? = ANY (e.parties) AS party, "
                // Relevance from the number and subject alone: the text's vector has no positions (it
                // would pass tsvector's size limit), so ranking it says nothing, and reading it again
                // for every match would cost more than the rest of the search.
                + (words(r) ? "(e.subject_terms @@ q.q)::int + ts_rank(e.subject_terms, q.q)" : "0") + " AS rank"
                + " FROM " + candidates(r, "search_matches") + " m"
                + " JOIN search_entry e ON e.document_id = m.document_id"
                + " ORDER BY e.accepted_at DESC, e.document_id";
        List<Object> args = new ArrayList<>();
        args.add(viewer.organization().value());
        args.addAll(candidateArguments(r, limit));
        return jdbc.query(sql, (rs, i) -> new Match(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getBoolean(9),
                rs.getDouble(10)), args.toArray());
    }

    private static boolean words(SearchRequest r) {
        return !r.words().isBlank();
    }

    /**
     * The words the candidates must hold in their index terms: the words less the Chinese runs of
     * three or more characters, which are phrases checked against the text itself (LIKE, with the
     * trigram index) — a text holding such a run holds all its bigrams, so testing them as well
     * would only read every candidate's index terms a second time (twice the cost of a common
     * Chinese term, measured). The ranking still uses all the words.
     */
    private static String matchWords(SearchRequest r) {
        return SearchText.withoutLongCjkRuns(r.words());
    }

    /**
     * The call of {@code function} (search_matches, or one with its signature) that yields the
     * request's candidates, as a FROM item whose rows are named {@code q} (the query) and the
     * function's; its parameters are {@link #candidateArguments}.
     */
    static String candidates(SearchRequest r, String function) {
        return "(SELECT " + (words(r) ? "plainto_tsquery('simple', unaccent(?))" : "CAST(NULL AS tsquery)") + " AS q, "
                + (matchWords(r).isBlank() ? "CAST(NULL AS tsquery)" : "plainto_tsquery('simple', unaccent(?))") + " AS mq) q"
                + " CROSS JOIN LATERAL " + function + "(q.mq, (SELECT array_agg(unaccent(p)) FROM unnest(?::text[]) p), ?::text,"
                + " ?::text[], ?::text[], ?::text[], ?::text, ?::timestamptz, ?::timestamptz, ?::text[], ?::text[], ?)";
    }

    static List<Object> candidateArguments(SearchRequest r, int limit) {
        List<Object> args = new ArrayList<>();
        if (words(r)) {
            args.add(SearchText.bigrams(r.words()));
        }
        if (!matchWords(r).isBlank()) {
            args.add(SearchText.bigrams(matchWords(r)));
        }
        args.add(r.phrases().stream().map(p -> SearchText.containsPattern(p.toLowerCase(Locale.ROOT))).toArray(String[]::new));
        args.add(r.number().map(SearchText::numberKey).orElse(null));
        args.add(names(r.types()));
        args.add(names(r.regions()));
        args.add(r.organizations().isEmpty() ? null : r.organizations().stream().map(o -> o.value()).toArray(String[]::new));
        args.add(r.sender().map(s -> s.value()).orElse(null));
        args.add(r.from().map(Timestamp::from).orElse(null));
        args.add(r.to().map(Timestamp::from).orElse(null));
        args.add(names(r.classifications()));
        args.add(names(r.precedences()));
        args.add(limit);
        return args;
    }

    /** The details of {@code ids}, each with the text around the earliest of {@code terms} (or its beginning). */
    List<Details> details(List<UUID> ids, List<String> terms) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.query("""
                SELECT d.id, d.number, d.type, d.subject, d.issuer, e.issuer_region, d.accepted_at, d.classification, d.precedence,
                    d.sharing_scope, coalesce(s.piece, '') AS piece, coalesce(s.cut_before, false) AS cut_before,
                    coalesce(s.cut_after, false) AS cut_after
                FROM document d
                JOIN search_entry e ON e.document_id = d.id
                LEFT JOIN LATERAL (
                    SELECT substr(t.body, greatest(1, p.pos - ?), ?) AS piece, p.pos > ? + 1 AS cut_before,
                        greatest(1, p.pos - ?) + ? <= length(t.body) AS cut_after
                    FROM document_text t,
                    LATERAL (SELECT coalesce((SELECT min(x) FROM (SELECT strpos(lower(left(t.body, ?)), lower(term)) AS x
                        FROM unnest(?::text[]) term) y WHERE x > 0), 1) AS pos) p
                    WHERE t.document_id = d.id) s ON true
                WHERE d.id = ANY (?::uuid[])""",
                (rs, i) -> new Details(rs.getObject("id", UUID.class), rs.getString("number"), rs.getString("type"),
                        rs.getString("subject"), rs.getString("issuer"), rs.getString("issuer_region"),
                        rs.getTimestamp("accepted_at").toInstant(), rs.getString("classification"), rs.getString("precedence"),
                        rs.getString("sharing_scope"), rs.getString("piece"), rs.getBoolean("cut_before"), rs.getBoolean("cut_after")),
                Snippets.BEFORE, Snippets.LENGTH, Snippets.BEFORE, Snippets.BEFORE, Snippets.LENGTH,
                SearchText.MAX_INDEXED_CHARACTERS, terms.toArray(String[]::new), ids.toArray(UUID[]::new));
    }

    private static String[] names(java.util.Set<? extends Enum<?>> values) {
        return values.isEmpty() ? null : values.stream().map(Enum::name).toArray(String[]::new);
    }

    static Classification classification(String name) {
        return Classification.valueOf(name);
    }

    static SharingScope scope(String name) {
        return SharingScope.valueOf(name);
    }
}
