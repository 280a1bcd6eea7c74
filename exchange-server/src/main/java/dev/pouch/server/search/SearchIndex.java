package dev.pouch.server.search;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Writes the search index: one {@code search_entry} per archived document, in the transaction
 * that stores the document (so a document is findable exactly when it is stored). At start-up it
 * checks that the database segments CJK text at all, and indexes documents stored before the
 * index existed.
 */
@Component
public class SearchIndex {

    private static final Logger log = LoggerFactory.getLogger(SearchIndex.class);
    private static final int BACKFILL_BATCH = 200;

    /** What the index needs of one document. {@code parties}: the sender and every recipient. */
    public record Entry(UUID documentId, String number, String issuer, String type, String classification, String precedence,
            String sharingScope, Collection<String> parties, Instant acceptedAt, String subject, String text) {
    }

    private final JdbcTemplate jdbc;

    SearchIndex(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        checkSegmentation();
        backfill(tx);
    }

    /** Adds {@code e} to the index, in the caller's transaction. */
    public void add(Entry e) {
        String head = e.number() + "\n" + e.subject();
        String text = SearchText.indexed(e.text());
        Set<String> parties = new LinkedHashSet<>();
        parties.add(e.issuer());
        parties.addAll(e.parties());
        jdbc.update("""
                INSERT INTO search_entry (document_id, number, number_key, issuer, issuer_region, type, classification, precedence,
                    sharing_scope, parties, accepted_at, subject_terms, terms, content)
                SELECT ?, ?, ?, o.code, o.region, ?, ?, ?, ?, ?::text[], ?,
                    to_tsvector('simple', unaccent(?)), strip(to_tsvector('simple', unaccent(?))), lower(unaccent(?))
                FROM organization o WHERE o.code = ?
                ON CONFLICT (document_id) DO NOTHING""",
                e.documentId(), e.number(), SearchText.numberKey(e.number()), e.type(), e.classification(), e.precedence(),
                e.sharingScope(), parties.toArray(String[]::new), Timestamp.from(e.acceptedAt()),
                SearchText.bigrams(head), SearchText.bigrams(head + "\n" + text), e.subject() + "\n" + text, e.issuer());
    }

    /**
     * A database created with the C locale sees no letters in Chinese text: trigrams and words
     * come out empty and nothing Chinese could ever be found. Refuse to start on one.
     */
    private void checkSegmentation() {
        String trigrams = jdbc.queryForObject("SELECT array_to_string(show_trgm('电信'), ' ')", String.class);
        String words = jdbc.queryForObject("SELECT to_tsvector('simple', '电信')::text", String.class);
        if (trigrams == null || trigrams.isBlank() || words == null || words.isBlank()) {
            throw new IllegalStateException("the database does not segment Chinese text (show_trgm('电信') is empty): create it"
                    + " with a UTF-8 ctype, e.g. LOCALE_PROVIDER builtin BUILTIN_LOCALE 'C.UTF-8' (initdb --locale-provider=builtin"
                    + " --builtin-locale=C.UTF-8); under the C locale Chinese search cannot work");
        }
    }

    /** Indexes documents stored before the index existed (or by a server that had none). */
    private void backfill(TransactionTemplate tx) {
        long done = 0;
        while (true) {
            List<UUID> ids = jdbc.queryForList("""
                    SELECT d.id FROM document d WHERE NOT EXISTS (SELECT 1 FROM search_entry e WHERE e.document_id = d.id)
                    ORDER BY d.accepted_at LIMIT ?""", UUID.class, BACKFILL_BATCH);
            if (ids.isEmpty()) {
                break;
            }
            tx.executeWithoutResult(s -> ids.forEach(this::addStored));
            done += ids.size();
        }
        if (done > 0) {
            log.info("Search index: {} documents stored before the index existed are now indexed", done);
        }
    }

    private void addStored(UUID id) {
        List<String> parties = jdbc.queryForList("SELECT organization FROM recipient WHERE document_id = ?", String.class, id);
        jdbc.query("""
                SELECT d.*, coalesce(t.body, '') AS body FROM document d LEFT JOIN document_text t ON t.document_id = d.id
                WHERE d.id = ?""", rs -> {
            add(new Entry(id, rs.getString("number"), rs.getString("issuer"), rs.getString("type"), rs.getString("classification"),
                    rs.getString("precedence"), rs.getString("sharing_scope"), parties, rs.getTimestamp("accepted_at").toInstant(),
                    rs.getString("subject"), rs.getString("body")));
        }, id);
    }
}
