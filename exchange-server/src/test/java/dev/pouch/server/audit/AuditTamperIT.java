package dev.pouch.server.audit;

import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Someone with the schema owner's password (a DBA, or whoever stole it) switches off the
 * append-only trigger and edits, deletes, inserts or reorders audit entries — recomputing the
 * hashes where that would help them. The verifier finds each. Every case restores the log after.
 */
class AuditTamperIT {

    private static TestServer server;
    private JdbcTemplate owner;

    @BeforeAll
    static void activity() {
        server = TestServer.shared();
        TestOffice hq = server.office("HQ-WTO").awaitConnected();
        TestOffice ch = server.office("CH-EMB").awaitConnected();
        for (int i = 0; i < 5; i++) {
            Letters.Letter l = Letters.notice("HQ-WTO", List.of("CH-EMB"), "WTO notification " + i);
            hq.send(l.header(), l.content());
            ch.awaitDocument(l.id(), Duration.ofSeconds(20));
            ch.awaitReceiptAccepted(l.id(), Duration.ofSeconds(20));
        }
    }

    @AfterAll
    static void disconnect() {
        server.closeOffices();
    }

    @BeforeEach
    void chainedSignedAndIntact() {
        owner = server.ownerJdbc();
        AuditChainer chainer = server.bean(AuditChainer.class);
        while (chainer.chain() > 0) {
            // until everything written so far is chained
        }
        chainer.checkpoint();
        AuditVerifier.Report report = server.bean(AuditVerifier.class).verify();
        assertThat(report.problems()).isEmpty();
        assertThat(report.intact()).isTrue();
        assertThat(report.chained()).isGreaterThan(20);
        owner.execute("DROP TABLE IF EXISTS audit_backup");
        owner.execute("CREATE TABLE audit_backup AS SELECT * FROM audit_log");
        owner.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
    }

    @AfterEach
    void restore() {
        owner.execute("DELETE FROM audit_log");
        owner.execute("INSERT INTO audit_log SELECT * FROM audit_backup");
        owner.execute("DROP TABLE audit_backup");
        owner.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
        assertThat(server.bean(AuditVerifier.class).verify().intact()).isTrue();
    }

    private List<String> problems() {
        AuditVerifier.Report report = server.bean(AuditVerifier.class).verify();
        assertThat(report.intact()).isFalse();
        return report.problems();
    }

    /** A chained entry in the middle, below the last checkpoint. */
    private long middle() {
        long checkpoint = owner.queryForObject("SELECT max(chain_pos) FROM audit_checkpoint", Long.class);
        return checkpoint / 2;
    }

    @Test
    void the_application_role_cannot_change_or_delete_an_entry_at_all() {
        owner.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
        long p = middle();
        assertThatThrownBy(() -> server.jdbc().update("UPDATE audit_log SET detail = 'x' WHERE chain_pos = ?", p))
                .rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> server.jdbc().update("DELETE FROM audit_log WHERE chain_pos = ?", p))
                .rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> server.jdbc().update("UPDATE audit_log SET hash = ? WHERE chain_pos = ?", new byte[32], p))
                .rootCause().hasMessageContaining("cannot be changed");
        assertThatThrownBy(() -> owner.update("DELETE FROM audit_log WHERE chain_pos = ?", p))
                .rootCause().hasMessageContaining("append-only");
        owner.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
    }

    @Test
    void an_edited_entry_is_found() {
        long p = middle();
        owner.update("UPDATE audit_log SET detail = 'nothing to see here' WHERE chain_pos = ?", p);
        assertThat(problems()).anySatisfy(s -> assertThat(s).contains("entry " + p).contains("altered"));
    }

    @Test
    void an_edited_entry_is_found_even_with_every_hash_after_it_recomputed() {
        long p = middle();
        owner.update("UPDATE audit_log SET actor = 'urn:pouch:staff:HQ-GO:nobody' WHERE chain_pos = ?", p);
        rehashFrom(p);
        assertThat(problems()).anySatisfy(s -> assertThat(s).contains("no longer matches the checkpoint"));
    }

    @Test
    void a_deleted_entry_is_found() {
        long p = middle();
        owner.update("DELETE FROM audit_log WHERE chain_pos = ?", p);
        assertThat(problems()).anySatisfy(s -> assertThat(s).contains("missing"))
                .anySatisfy(s -> assertThat(s).contains("does not link"));
    }

    @Test
    void a_deleted_entry_is_found_even_with_the_chain_renumbered_and_rehashed() {
        long p = middle();
        owner.update("DELETE FROM audit_log WHERE chain_pos = ?", p);
        owner.update("UPDATE audit_log SET chain_pos = -(chain_pos - 1) WHERE chain_pos > ?", p);
        owner.update("UPDATE audit_log SET chain_pos = -chain_pos WHERE chain_pos < 0");
        rehashFrom(p);
        assertThat(problems()).anySatisfy(s -> assertThat(s).contains("checkpoint"));
    }

    @Test
    void an_inserted_entry_is_found_even_with_the_chain_renumbered_and_rehashed() {
        long p = middle();
        Map<String, Object> before = owner.queryForMap("SELECT id, at FROM audit_log WHERE chain_pos = ?", p);
        owner.update("UPDATE audit_log SET chain_pos = -(chain_pos + 1) WHERE chain_pos > ?", p);
        owner.update("UPDATE audit_log SET chain_pos = -chain_pos WHERE chain_pos < 0");
        owner.update("INSERT INTO audit_log (id, at, actor, action, subject, outcome, detail, chain_pos, prev_hash, hash) "
                        + "VALUES (?, ?, 'urn:pouch:staff:HQ-GO:admin', 'STAFF_SAVED', 'urn:pouch:staff:HQ-GO:mallory', 'OK', "
                        + "'roles [ADMIN]', ?, ?, ?)",
                ((Number) before.get("id")).longValue() * 1000 + 7, before.get("at"), p + 1, new byte[32], new byte[32]);
        rehashFrom(p + 1);
        assertThat(problems()).anySatisfy(s -> assertThat(s).contains("checkpoint"));
    }

    @Test
    void an_entry_appended_later_but_dated_in_the_past_is_found() {
        Timestamp longAgo = Timestamp.from(java.time.Instant.now().minus(Duration.ofDays(3)));
        owner.update("INSERT INTO audit_log (at, actor, action, subject, outcome, detail) "
                + "VALUES (?, 'urn:pouch:staff:HQ-GO:admin', 'CERTIFICATE_REVOKED', 'ab12', 'OK', 'SUPERSEDED')", longAgo);
        while (server.bean(AuditChainer.class).chain() > 0) {
            // the chainer links it like any other entry
        }
        assertThat(problems()).anySatisfy(s -> assertThat(s).contains("backdated"));
    }

    @Test
    void two_swapped_entries_are_found() {
        long p = middle();
        owner.update("UPDATE audit_log SET chain_pos = -1 WHERE chain_pos = ?", p);
        owner.update("UPDATE audit_log SET chain_pos = ? WHERE chain_pos = ?", p, p + 1);
        owner.update("UPDATE audit_log SET chain_pos = ? WHERE chain_pos = -1", p + 1);
        assertThat(problems()).anySatisfy(s -> assertThat(s).contains("does not link"));
    }

    @Test
    void two_swapped_entries_are_found_even_with_every_hash_recomputed() {
        long p = middle();
        owner.update("UPDATE audit_log SET chain_pos = -1 WHERE chain_pos = ?", p);
        owner.update("UPDATE audit_log SET chain_pos = ? WHERE chain_pos = ?", p, p + 1);
        owner.update("UPDATE audit_log SET chain_pos = ? WHERE chain_pos = -1", p + 1);
        rehashFrom(p);
        assertThat(problems()).anySatisfy(s -> assertThat(s).contains("checkpoint"));
    }

    /** What an attacker without the exchange's signing key can do: recompute every hash from {@code position} on. */
    private void rehashFrom(long position) {
        byte[][] previous = {position <= 1 ? AuditHashes.GENESIS
                : owner.queryForObject("SELECT hash FROM audit_log WHERE chain_pos = ?", byte[].class, position - 1)};
        owner.query("SELECT chain_pos, id, at, actor, action, subject, outcome, detail FROM audit_log WHERE chain_pos >= ? "
                + "ORDER BY chain_pos", rs -> {
            long p = rs.getLong(1);
            byte[] hash = AuditHashes.hash(previous[0], p, rs.getLong(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                    rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8));
            owner.update("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE chain_pos = ?", previous[0], hash, p);
            previous[0] = hash;
        }, position);
    }
}
