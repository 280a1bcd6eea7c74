package dev.pouch.server.batch;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Submit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Batches: many documents sent as one act (one real case: 1,061 statistics files to every office),
 * each document still sealed, accepted and delivered on its own, and the batch tracked as a whole.
 * The first document of a batch creates it with its declared size; every later one must come from
 * the same issuer with the same size, and a batch never holds more documents than declared.
 */
@Service
public class BatchService {

    private final JdbcTemplate jdbc;

    public BatchService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    private record Row(String issuer, int size) {
    }

    /** Before anything is stored: refuses a document that does not fit the batch it names. */
    public void check(OrgCode issuer, Submit.Batch batch) {
        List<Row> rows = jdbc.query("SELECT issuer, size FROM batch WHERE id = ?", (rs, i) -> new Row(rs.getString(1), rs.getInt(2)),
                batch.id());
        if (!rows.isEmpty()) {
            fits(rows.getFirst(), issuer, batch);
        }
    }

    /**
     * In the transaction that stores the document: creates the batch on its first document, and
     * records the document as one of it. The batch row is locked, so concurrent submissions of
     * one batch cannot together exceed its size.
     */
    public void record(UUID documentId, OrgCode issuer, Submit.Batch batch, Instant at) {
        jdbc.update("INSERT INTO batch (id, issuer, size, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                batch.id(), issuer.value(), batch.size(), java.sql.Timestamp.from(at));
        Row row = jdbc.queryForObject("SELECT issuer, size FROM batch WHERE id = ? FOR UPDATE",
                (rs, i) -> new Row(rs.getString(1), rs.getInt(2)), batch.id());
        fits(row, issuer, batch);
        long held = jdbc.queryForObject("SELECT count(*) FROM batch_document WHERE batch_id = ?", Long.class, batch.id());
        if (held >= row.size()) {
            throw new ProtocolException(ErrorCode.BATCH_INVALID, "batch " + batch.id() + " already holds its "
                    + row.size() + " documents");
        }
        jdbc.update("INSERT INTO batch_document (document_id, batch_id) VALUES (?, ?)", documentId, batch.id());
    }

    private static void fits(Row row, OrgCode issuer, Submit.Batch batch) {
        if (!row.issuer().equals(issuer.value())) {
            throw new ProtocolException(ErrorCode.BATCH_INVALID, "batch " + batch.id() + " belongs to another organization");
        }
        if (row.size() != batch.size()) {
            throw new ProtocolException(ErrorCode.BATCH_INVALID, "batch " + batch.id() + " was declared with "
                    + row.size() + " documents, this submission says " + batch.size());
        }
    }
}
