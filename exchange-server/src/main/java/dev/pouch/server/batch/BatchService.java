package dev.pouch.server.batch;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Submit;
import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Batches: many documents sent as one act (one real case: 1,061 statistics files to every office),
 * each document still sealed, accepted and delivered on its own, and the batch tracked as a whole.
 * The first document of a batch creates it with its declared size; every later one must come from
 * the same issuer with the same size, and a batch never holds more documents than declared.
 *
 * <p>Its tracking ({@link #view}, {@link #list}) is for the issuer's staff and administrators;
 * to anyone else a batch does not exist.
 */
@Service
public class BatchService {

    /** The most batches one listing returns. */
    public static final int MAX_LISTED = 200;

    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    /** Reads a batch's counts in one snapshot, so the totals and the per-office rows agree. */
    private final TransactionTemplate snapshot;

    public BatchService(JdbcTemplate jdbc, AuditLog audit, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.tx = tx;
        PlatformTransactionManager manager = java.util.Objects.requireNonNull(tx.getTransactionManager());
        this.snapshot = new TransactionTemplate(manager);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
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

    // --- tracking

    /** One addressed office's share of a batch. {@code complete}: it has received every document of the batch. */
    public record OfficeProgress(String organization, String region, long addressed, long delivered, long signedFor,
            boolean complete) {
    }

    /**
     * A batch as its issuer tracks it: declared size, documents accepted so far, and per addressed
     * office how many were addressed to it, delivered (state DELIVERED or later) and signed for
     * (SIGNED_FOR or later); an office is complete when it has received all {@code size}.
     */
    public record View(UUID id, String issuer, int size, long accepted, Instant createdAt, long officesAddressed,
            long officesComplete, long deliveriesAddressed, long deliveriesDelivered, long deliveriesSignedFor,
            List<OfficeProgress> offices) {

        /** Every declared document accepted and every addressed office holds all of them. */
        public boolean complete() {
            return accepted == size && officesComplete == officesAddressed;
        }
    }

    /** One line of a listing. */
    public record Summary(UUID id, String issuer, int size, long accepted, Instant createdAt, long deliveriesAddressed,
            long deliveriesDelivered) {
    }

    private record Header(String issuer, int size, Instant createdAt) {
    }

    /** The batch, for staff of its issuer or an administrator; NOT_FOUND for anyone else, as for no batch at all. */
    public View view(Staff caller, UUID id) {
        Optional<View> found = snapshot.execute(status -> {
            List<Header> rows = jdbc.query("SELECT issuer, size, created_at FROM batch WHERE id = ?",
                    (rs, i) -> new Header(rs.getString(1), rs.getInt(2), rs.getTimestamp(3).toInstant()), id);
            if (rows.isEmpty() || !mayRead(caller, rows.getFirst().issuer())) {
                return Optional.<View>empty();
            }
            Header h = rows.getFirst();
            long accepted = jdbc.queryForObject("SELECT count(*) FROM batch_document WHERE batch_id = ?", Long.class, id);
            List<OfficeProgress> offices = jdbc.query(PER_OFFICE, (rs, i) -> {
                long delivered = rs.getLong(4);
                return new OfficeProgress(rs.getString(1), rs.getString(2), rs.getLong(3), delivered, rs.getLong(5),
                        delivered >= h.size());
            }, id);
            return Optional.of(new View(id, h.issuer(), h.size(), accepted, h.createdAt(), offices.size(),
                    offices.stream().filter(OfficeProgress::complete).count(),
                    offices.stream().mapToLong(OfficeProgress::addressed).sum(),
                    offices.stream().mapToLong(OfficeProgress::delivered).sum(),
                    offices.stream().mapToLong(OfficeProgress::signedFor).sum(), offices));
        });
        if (found.isEmpty()) {
            tx.executeWithoutResult(s -> audit.record(caller.identity().toString(), AuditLog.Action.BATCH_READ, id.toString(),
                    AuditLog.Outcome.REFUSED, "no such batch visible to " + caller.organization()));
            throw new ProtocolException(ErrorCode.NOT_FOUND, "no batch " + id + " visible to you");
        }
        View v = found.get();
        tx.executeWithoutResult(s -> audit.record(caller.identity().toString(), AuditLog.Action.BATCH_READ, id.toString(),
                AuditLog.Outcome.OK, v.accepted() + " of " + v.size() + " documents, " + v.officesComplete() + " of "
                        + v.officesAddressed() + " offices complete"));
        return v;
    }

    /**
     * Per addressed office of one batch, in one grouped pass: the batch's document ids by
     * {@code batch_document_by_batch}, their recipients by the recipient key (document,
     * organization). Given as an array, the ids always reach the recipient table through its key,
     * so the cost follows the batch's size, not the archive's (as a join, PostgreSQL may choose to
     * read the whole recipient table when the batch is a large part of it).
     */
    static final String PER_OFFICE = """
            SELECT r.organization, o.region, count(*) AS addressed,
                   count(*) FILTER (WHERE r.state <> 'QUEUED') AS delivered,
                   count(*) FILTER (WHERE r.state IN ('SIGNED_FOR', 'REPLIED')) AS signed_for
            FROM recipient r
            JOIN organization o ON o.code = r.organization
            WHERE r.document_id = ANY (ARRAY(SELECT document_id FROM batch_document WHERE batch_id = ?))
            GROUP BY r.organization, o.region
            ORDER BY r.organization""";

    /** The batches of {@code issuer}, newest first: the caller's own organization's, or any for an administrator. */
    public List<Summary> list(Staff caller, OrgCode issuer, int limit) {
        if (!mayRead(caller, issuer.value())) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "only administrators list the batches of another organization");
        }
        int n = Math.clamp(limit, 1, MAX_LISTED);
        List<Summary> batches = snapshot.execute(status -> jdbc.query("""
                SELECT b.id, b.issuer, b.size, b.created_at,
                       (SELECT count(*) FROM batch_document bd WHERE bd.batch_id = b.id) AS accepted,
                       d.addressed, d.delivered
                FROM batch b
                CROSS JOIN LATERAL (
                    SELECT count(r.document_id) AS addressed, count(r.document_id) FILTER (WHERE r.state <> 'QUEUED') AS delivered
                    FROM recipient r
                    WHERE r.document_id = ANY (ARRAY(SELECT document_id FROM batch_document WHERE batch_id = b.id))) d
                WHERE b.issuer = ?
                ORDER BY b.created_at DESC, b.id
                LIMIT ?""", (rs, i) -> new Summary(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3),
                rs.getLong(5), rs.getTimestamp(4).toInstant(), rs.getLong(6), rs.getLong(7)), issuer.value(), n));
        tx.executeWithoutResult(s -> audit.record(caller.identity().toString(), AuditLog.Action.BATCH_READ, "",
                AuditLog.Outcome.OK, "listed " + batches.size() + " batches of " + issuer));
        return batches;
    }

    private static boolean mayRead(Staff caller, String issuer) {
        return caller.organization().value().equals(issuer) || caller.has(Role.ADMIN);
    }
}
