package dev.pouch.server.audit;

import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.pki.CertificateUsage;
import dev.pouch.crypto.pki.Certificates;
import dev.pouch.crypto.pki.IdentityKind;
import dev.pouch.server.pki.ExchangePki;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks the audit chain and says whether it is intact: every entry's hash recomputed, every link
 * to the previous entry checked, positions consecutive, and every checkpoint's signature verified
 * against the chain. An edited entry breaks its hash; a deleted one leaves a gap; an inserted or
 * reordered one breaks the links, and — even if the hashes after it are recomputed — no longer
 * matches the signed checkpoints.
 */
@Service
public class AuditVerifier {

    private static final int MAX_PROBLEMS = 100;
    static final Duration PENDING_TOO_LONG = Duration.ofMinutes(5);

    /**
     * @param uncheckedTail entries after the last signed checkpoint: consistent, but not yet
     *                      protected by a signature
     */
    public record Report(boolean intact, long chained, long pending, long lastCheckpoint, long uncheckedTail,
            List<String> problems) {
    }

    private record Checkpoint(long position, Instant at, byte[] hash, byte[] signature, byte[] certificate) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ExchangePki pki;
    private final Clock clock;

    public AuditVerifier(JdbcTemplate jdbc, TransactionTemplate tx, ExchangePki pki, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.pki = pki;
        this.clock = clock;
    }

    public Report verify() {
        List<String> problems = new ArrayList<>();
        Map<Long, Checkpoint> checkpoints = new HashMap<>();
        jdbc.query("SELECT chain_pos, at, hash, signature, signer_certificate FROM audit_checkpoint", rs -> {
            checkpoints.put(rs.getLong(1), new Checkpoint(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getBytes(3),
                    rs.getBytes(4), rs.getBytes(5)));
        });
        long[] state = new long[2]; // [0] last position seen, [1] rows
        byte[][] previous = {AuditHashes.GENESIS};
        Instant[] previousAt = {Instant.EPOCH};
        tx.executeWithoutResult(status -> {
            JdbcTemplate streaming = new JdbcTemplate(jdbc.getDataSource());
            streaming.setFetchSize(2000);
            streaming.query("SELECT chain_pos, id, at, actor, action, subject, outcome, detail, prev_hash, hash FROM audit_log "
                    + "WHERE chain_pos IS NOT NULL ORDER BY chain_pos", rs -> {
                long position = rs.getLong(1);
                byte[] prev = rs.getBytes(9);
                byte[] hash = rs.getBytes(10);
                if (position != state[0] + 1) {
                    add(problems, position > state[0] + 1
                            ? "entries " + (state[0] + 1) + "–" + (position - 1) + " are missing (deleted)"
                            : "position " + position + " appears out of order");
                }
                if (!MessageDigest.isEqual(prev, previous[0])) {
                    add(problems, "entry " + position + " does not link to the entry before it (inserted, deleted or reordered)");
                }
                byte[] expected = AuditHashes.hash(prev, position, rs.getLong(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8));
                if (!MessageDigest.isEqual(expected, hash)) {
                    add(problems, "entry " + position + " (id " + rs.getLong(2) + ") was altered");
                }
                Instant at = rs.getTimestamp(3).toInstant();
                if (at.isBefore(previousAt[0].minus(PENDING_TOO_LONG))) {
                    add(problems, "entry " + position + " is dated " + at + ", well before the entry it follows ("
                            + previousAt[0] + "): a backdated insertion?");
                }
                previousAt[0] = at.isAfter(previousAt[0]) ? at : previousAt[0];
                Checkpoint cp = checkpoints.remove(position);
                if (cp != null && !MessageDigest.isEqual(cp.hash(), hash)) {
                    add(problems, "the chain at " + position + " no longer matches the checkpoint signed at " + cp.at());
                }
                if (cp != null) {
                    checkSignature(cp, problems);
                }
                previous[0] = hash;
                state[0] = position;
                state[1]++;
            });
        });
        for (Checkpoint cp : checkpoints.values()) {
            add(problems, "signed checkpoint at " + cp.position() + " points past the end of the chain (entries deleted)");
        }
        long lastCheckpoint = jdbc.queryForObject("SELECT coalesce(max(chain_pos), 0) FROM audit_checkpoint", Long.class);
        long pending = jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE chain_pos IS NULL", Long.class);
        long stale = jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE chain_pos IS NULL AND at < ?", Long.class,
                Timestamp.from(clock.instant().minus(PENDING_TOO_LONG)));
        if (stale > 0) {
            add(problems, stale + " entries written more than " + PENDING_TOO_LONG.toMinutes() + " minutes ago are not chained");
        }
        return new Report(problems.isEmpty(), state[1], pending, lastCheckpoint, Math.max(0, state[0] - lastCheckpoint),
                List.copyOf(problems));
    }

    private void checkSignature(Checkpoint cp, List<String> problems) {
        try {
            X509Certificate cert = Certificates.parse(cp.certificate());
            var validated = pki.validator().validate(cert, CertificateUsage.DOCUMENT_SIGNING, ValidationTime.recordedByExchange(cp.at()));
            if (validated.identity().kind() != IdentityKind.EXCHANGE) {
                add(problems, "checkpoint " + cp.position() + " is signed by " + validated.identity() + ", not the exchange");
                return;
            }
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initVerify(cert.getPublicKey());
            s.update(AuditHashes.checkpointMessage(cp.position(), cp.hash()));
            if (!s.verify(cp.signature())) {
                add(problems, "checkpoint " + cp.position() + " has an invalid signature");
            }
        } catch (CryptoException | GeneralSecurityException e) {
            add(problems, "checkpoint " + cp.position() + " cannot be verified: " + e.getMessage());
        }
    }

    private static void add(List<String> problems, String problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        }
    }
}
