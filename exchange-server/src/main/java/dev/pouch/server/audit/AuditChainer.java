package dev.pouch.server.audit;

import dev.pouch.crypto.pki.Certificates;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.server.pki.ExchangePki;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Links committed audit entries into the hash chain, in the order they are found committed, and
 * signs a checkpoint of the chain's head with the exchange's signing key. One chainer at a time
 * across all nodes (a PostgreSQL advisory lock).
 */
@Component
public class AuditChainer {

    private static final long LOCK = 0x706f756368L; // "pouch"
    private static final int BATCH = 5000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ExchangePki pki;
    private final Clock clock;

    public AuditChainer(JdbcTemplate jdbc, TransactionTemplate tx, ExchangePki pki, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.pki = pki;
        this.clock = clock;
    }

    private record Row(long id, Timestamp at, String actor, String action, String subject, String outcome, String detail) {
    }

    /** Chains what is waiting; returns how many entries were chained. */
    @Scheduled(fixedDelayString = "PT0.2S")
    public int chain() {
        Integer chained = tx.execute(status -> {
            if (!Boolean.TRUE.equals(jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, LOCK))) {
                return 0;
            }
            List<Row> rows = jdbc.query("SELECT id, at, actor, action, subject, outcome, detail FROM audit_log "
                    + "WHERE chain_pos IS NULL ORDER BY id LIMIT " + BATCH, (rs, i) -> new Row(rs.getLong(1), rs.getTimestamp(2),
                    rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
            if (rows.isEmpty()) {
                return 0;
            }
            Optional<Object[]> head = jdbc.query("SELECT chain_pos, hash FROM audit_log WHERE chain_pos IS NOT NULL "
                    + "ORDER BY chain_pos DESC LIMIT 1", (rs, i) -> new Object[] {rs.getLong(1), rs.getBytes(2)}).stream().findFirst();
            long position = head.map(h -> (Long) h[0]).orElse(0L);
            byte[] previous = head.map(h -> (byte[]) h[1]).orElse(AuditHashes.GENESIS);
            for (Row r : rows) {
                position++;
                byte[] hash = AuditHashes.hash(previous, position, r.id(), r.at().toInstant(), r.actor(), r.action(), r.subject(),
                        r.outcome(), r.detail());
                jdbc.update("UPDATE audit_log SET chain_pos = ?, prev_hash = ?, hash = ? WHERE id = ?", position, previous, hash, r.id());
                previous = hash;
            }
            return rows.size();
        });
        return chained == null ? 0 : chained;
    }

    /** Signs the chain's current head, if it moved since the last checkpoint. */
    @Scheduled(fixedDelayString = "${pouch.audit.checkpoint-interval:PT1M}", initialDelayString = "PT10S")
    public void checkpoint() {
        chain();
        tx.executeWithoutResult(status -> {
            Optional<Object[]> head = jdbc.query("SELECT chain_pos, hash FROM audit_log WHERE chain_pos IS NOT NULL "
                    + "ORDER BY chain_pos DESC LIMIT 1", (rs, i) -> new Object[] {rs.getLong(1), rs.getBytes(2)}).stream().findFirst();
            if (head.isEmpty()) {
                return;
            }
            long position = (Long) head.get()[0];
            Long last = jdbc.queryForObject("SELECT max(chain_pos) FROM audit_checkpoint", Long.class);
            if (last != null && last >= position) {
                return;
            }
            KeyCredential key = pki.exchangeSigning();
            byte[] signature = sign(key, AuditHashes.checkpointMessage(position, (byte[]) head.get()[1]));
            jdbc.update("INSERT INTO audit_checkpoint (chain_pos, at, hash, signature, signer_certificate) VALUES (?, ?, ?, ?, ?)",
                    position, Timestamp.from(clock.instant()), head.get()[1], signature, Certificates.encoded(key.certificate()));
        });
    }

    private static byte[] sign(KeyCredential key, byte[] message) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key.privateKey());
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign an audit checkpoint", e);
        }
    }
}
