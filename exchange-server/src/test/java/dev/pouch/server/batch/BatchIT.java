package dev.pouch.server.batch;

import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Submit;
import dev.pouch.protocol.message.SubmitAck;
import dev.pouch.server.directory.Role;
import dev.pouch.server.testing.Https;
import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Batches on a real server: the batch view counts per addressed office what it was sent,
 * received and signed for, and shows the batch only to its issuer's staff and administrators;
 * a document that does not fit its batch (another declared size, another organization's batch,
 * one more than declared — also when sent all at once) is refused with {@code BATCH_INVALID} and
 * leaves nothing behind; and the per-office count over a full-size batch (1,061 documents × 207
 * offices) is one indexed pass.
 */
class BatchIT {

    private static final String ISSUER = "HQ-ST";
    private static final List<String> OFFICES = List.of("GE-EMB", "MD-EMB", "TJ-EMB");

    private static TestServer server;
    private static TestOffice hq;

    @BeforeAll
    static void connect() {
        server = TestServer.shared();
        hq = server.office(ISSUER).awaitConnected();
        OFFICES.forEach(o -> server.enrol(o, "officer")); // their keys certified, so documents can be sealed for them
    }

    @AfterAll
    static void disconnect() {
        server.closeOffices();
    }

    @Test
    void the_batch_view_shows_per_office_what_was_addressed_delivered_and_signed_for() {
        TestOffice ge = server.office("GE-EMB").awaitConnected();
        TestOffice md = server.office("MD-EMB").awaitConnected();
        server.enrol("TJ-EMB", "officer"); // keys certified, but never connected: receives nothing yet
        UUID batch = UUID.randomUUID();
        List<UUID> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Letters.Letter l = statistics(i);
            SubmitAck ack = submit(hq, l, new Submit.Batch(batch, 3));
            assertThat(ack.duplicate()).isFalse();
            ids.add(l.id());
        }
        for (UUID id : ids) {
            ge.awaitReceiptAccepted(id, Duration.ofSeconds(60));
            md.awaitReceiptAccepted(id, Duration.ofSeconds(60));
        }
        ge.signFor(ids.getFirst(), "收到");

        Https issuerReader = Https.as(server.enrol(ISSUER, "reader.only", Role.READER).tls(), server.root(), server.httpsPort());
        JsonNode view = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get(issuerReader, "/api/batches/" + batch),
                v -> v.at("/totals/officesComplete").asLong() == 2 && v.at("/totals/deliveriesSignedFor").asLong() == 1);
        assertThat(view.get("id").asString()).isEqualTo(batch.toString());
        assertThat(view.get("issuer").asString()).isEqualTo(ISSUER);
        assertThat(view.get("size").asInt()).isEqualTo(3);
        assertThat(view.get("accepted").asLong()).isEqualTo(3);
        assertThat(view.get("complete").asBoolean()).isFalse();
        assertThat(view.at("/totals/officesAddressed").asLong()).isEqualTo(3);
        assertThat(view.at("/totals/deliveriesAddressed").asLong()).isEqualTo(9);
        assertThat(view.at("/totals/deliveriesDelivered").asLong()).isEqualTo(6);
        assertThat(offices(view)).containsExactly(
                "GE-EMB EURASIA addressed=3 delivered=3 signedFor=1 complete=true",
                "MD-EMB EURASIA addressed=3 delivered=3 signedFor=0 complete=true",
                "TJ-EMB EURASIA addressed=3 delivered=0 signedFor=0 complete=false");
        // The same counts, straight from the recipient table.
        assertThat(server.jdbc().queryForObject("""
                SELECT count(*) FROM recipient r JOIN batch_document bd ON bd.document_id = r.document_id
                WHERE bd.batch_id = ? AND r.state <> 'QUEUED'""", Long.class, batch)).isEqualTo(6);

        // TJ-EMB comes online and receives its three: now every office is complete.
        try (TestOffice tj = server.connect(server.enrol("TJ-EMB", "officer"))) {
            ids.forEach(id -> tj.awaitReceiptAccepted(id, Duration.ofSeconds(60)));
            JsonNode done = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get(issuerReader, "/api/batches/" + batch),
                    v -> v.get("complete").asBoolean());
            assertThat(done.at("/totals/officesComplete").asLong()).isEqualTo(3);
            assertThat(done.at("/totals/deliveriesDelivered").asLong()).isEqualTo(9);
        }

        // The listing: the issuer's batches, newest first, with their counts.
        JsonNode list = get(issuerReader, "/api/batches");
        assertThat(list.get("issuer").asString()).isEqualTo(ISSUER);
        JsonNode first = list.get("batches").get(0);
        assertThat(first.get("id").asString()).isEqualTo(batch.toString());
        assertThat(first.get("accepted").asLong()).isEqualTo(3);
        assertThat(first.get("deliveriesAddressed").asLong()).isEqualTo(9);
        assertThat(first.get("deliveriesDelivered").asLong()).isEqualTo(9);

        List<Map<String, Object>> audit = server.jdbc().queryForList(
                "SELECT actor, outcome FROM audit_log WHERE action = 'BATCH_READ' AND subject = ?", batch.toString());
        assertThat(audit).isNotEmpty().allSatisfy(row -> {
            assertThat(row.get("actor")).isEqualTo(Identity.staff(OrgCode.of(ISSUER), "reader.only").toString());
            assertThat(row.get("outcome")).isEqualTo("OK");
        });
    }

    @Test
    void only_the_issuers_staff_and_administrators_see_a_batch_anyone_else_is_told_it_does_not_exist() {
        UUID batch = UUID.randomUUID();
        submit(hq, statistics(1), new Submit.Batch(batch, 2));

        Https admin = Https.as(server.enrol("HQ-GO", "batch.admin", Role.ADMIN).tls(), server.root(), server.httpsPort());
        assertThat(get(admin, "/api/batches/" + batch).get("accepted").asLong()).isEqualTo(1);
        assertThat(ids(get(admin, "/api/batches?issuer=" + ISSUER))).contains(batch.toString());

        // A recipient office's staff, and another department's: the same answer as for no batch at all.
        for (String org : List.of("GE-EMB", "HQ-TRB")) {
            Https other = Https.as(server.enrol(org, "curious", Role.READER, Role.RELEASER).tls(), server.root(), server.httpsPort());
            Https.Response hidden = other.get("/api/batches/" + batch);
            Https.Response none = other.get("/api/batches/" + UUID.randomUUID());
            for (Https.Response r : List.of(hidden, none)) {
                assertThat(r.status()).as(r.body()).isEqualTo(404);
                assertThat(r.json().get("code").asInt()).isEqualTo(ErrorCode.NOT_FOUND.code());
                assertThat(r.json().get("name").asString()).isEqualTo("NOT_FOUND");
            }
            assertThat(hidden.body()).doesNotContain(ISSUER);
            assertThat(ids(get(other, "/api/batches"))).doesNotContain(batch.toString());
            Https.Response foreign = other.get("/api/batches?issuer=" + ISSUER);
            assertThat(foreign.status()).as(foreign.body()).isEqualTo(403);
            assertThat(foreign.json().get("name").asString()).isEqualTo("FORBIDDEN");
            assertThat(server.jdbc().queryForObject("""
                    SELECT count(*) FROM audit_log WHERE action = 'BATCH_READ' AND subject = ? AND outcome = 'REFUSED' AND actor = ?""",
                    Long.class, batch.toString(), Identity.staff(OrgCode.of(org), "curious").toString())).isEqualTo(1);
        }

        Https anonymous = Https.as(null, server.root(), server.httpsPort());
        Https.Response noCertificate = anonymous.get("/api/batches/" + batch);
        assertThat(noCertificate.status()).isEqualTo(403);
        assertThat(noCertificate.json().get("name").asString()).isEqualTo("UNKNOWN_STAFF");

        Https reader = Https.as(server.enrol(ISSUER, "reader.two", Role.READER).tls(), server.root(), server.httpsPort());
        assertThat(reader.get("/api/batches?limit=0").json().get("name").asString()).isEqualTo("INVALID_REQUEST");
        assertThat(reader.get("/api/batches/not-a-uuid").json().get("name").asString()).isEqualTo("INVALID_REQUEST");
    }

    @Test
    void a_document_declaring_another_size_than_its_batch_is_refused_and_nothing_is_stored() {
        UUID batch = UUID.randomUUID();
        submit(hq, statistics(1), new Submit.Batch(batch, 2));
        Letters.Letter l = statistics(2);
        assertRefused(l.id(), () -> submit(hq, l, new Submit.Batch(batch, 3)), "declared with 2 documents");
        assertThat(held(batch)).isEqualTo(1);
        assertThat(server.jdbc().queryForObject("SELECT size FROM batch WHERE id = ?", Integer.class, batch)).isEqualTo(2);
    }

    @Test
    void a_document_naming_another_organizations_batch_is_refused_and_nothing_is_stored() {
        UUID batch = UUID.randomUUID();
        submit(hq, statistics(1), new Submit.Batch(batch, 5));
        TestOffice other = server.office("HQ-TRB").awaitConnected();
        Letters.Letter l = letter("HQ-TRB", 1);
        assertRefused(l.id(), () -> submit(other, l, new Submit.Batch(batch, 5)), "belongs to another organization");
        assertThat(held(batch)).isEqualTo(1);
    }

    @Test
    void a_document_beyond_the_declared_size_is_refused_and_a_resent_one_is_answered_as_the_first_time() {
        UUID batch = UUID.randomUUID();
        Letters.Letter first = statistics(1);
        byte[] sealed = hq.seal(first.header(), first.content());
        SubmitAck ack = submitSealed(hq, first.id(), sealed, new Submit.Batch(batch, 2));
        submit(hq, statistics(2), new Submit.Batch(batch, 2));

        Letters.Letter third = statistics(3);
        assertRefused(third.id(), () -> submit(hq, third, new Submit.Batch(batch, 2)), "already holds its 2 documents");
        assertThat(held(batch)).isEqualTo(2);

        // The first again (its answer was lost, say): the same answer, nothing new, though the batch is full.
        SubmitAck again = submitSealed(hq, first.id(), sealed, new Submit.Batch(batch, 2));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.acceptedAt()).isEqualTo(ack.acceptedAt());
        assertThat(held(batch)).isEqualTo(2);
    }

    @Test
    void documents_sent_all_at_once_never_exceed_the_declared_size() throws Exception {
        UUID batch = UUID.randomUUID();
        int size = 4;
        int sent = 8;
        List<Letters.Letter> letters = new ArrayList<>();
        List<byte[]> sealed = new ArrayList<>();
        for (int i = 1; i <= sent; i++) {
            Letters.Letter l = statistics(i);
            letters.add(l);
            sealed.add(hq.seal(l.header(), l.content()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(sent);
        List<Future<Optional<ErrorCode>>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < sent; i++) {
                int n = i;
                outcomes.add(pool.submit(() -> {
                    try {
                        submitSealed(hq, letters.get(n).id(), sealed.get(n), new Submit.Batch(batch, size));
                        return Optional.<ErrorCode>empty();
                    } catch (ProtocolException e) {
                        return Optional.of(e.code());
                    }
                }));
            }
            List<Optional<ErrorCode>> results = new ArrayList<>();
            for (Future<Optional<ErrorCode>> f : outcomes) {
                results.add(f.get());
            }
            assertThat(results.stream().filter(Optional::isEmpty).count()).isEqualTo(size);
            assertThat(results.stream().flatMap(Optional::stream)).hasSize(sent - size).containsOnly(ErrorCode.BATCH_INVALID);
        } finally {
            pool.shutdownNow();
        }
        assertThat(held(batch)).isEqualTo(size);
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM document WHERE id = ANY (?)", Long.class,
                (Object) letters.stream().map(Letters.Letter::id).toArray(UUID[]::new))).isEqualTo(size);
        assertThat(server.orphanBlobs()).isZero();
    }

    /**
     * A batch at full size — 1,061 documents to 207 offices, 219,627 recipient rows, beside as many
     * rows of other documents — written in a transaction that is rolled back. The per-office count
     * is one grouped query that finds the batch's recipient rows through the recipient key, never by
     * reading the whole recipient table — even here, where the batch is half of it — and it answers
     * within a second or two on this shared machine.
     */
    @Test
    void the_per_office_count_of_a_full_size_batch_is_one_indexed_pass() throws Exception {
        DataSource owner = server.ownerJdbc().getDataSource();
        try (Connection c = owner.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                UUID batch = UUID.randomUUID();
                s.execute("INSERT INTO blob (id, size, complete) VALUES ('" + batch + "', 1, true)");
                s.execute("INSERT INTO batch (id, issuer, size, created_at) VALUES ('" + batch + "', 'HQ-ST', 1061, now())");
                // 2,122 documents: the first 1,061 the batch, the rest others; each to every office.
                s.execute("""
                        INSERT INTO document (id, number, issuer, year, type, subject, classification, precedence, sharing_scope,
                            submitted_by, accepted_at, claimed_signing_time, signer_fingerprint, main_blob, main_sha256,
                            content_size, content_type_oid, signed_content_identifier, signature_value, signed_attributes)
                        SELECT gen_random_uuid(), 'EXPLAIN-%s-' || n, 'HQ-ST', 2026, 'STATISTICS', 's', 'INTERNAL', 'ROUTINE',
                            'RECIPIENTS', 'urn:pouch:staff:HQ-ST:officer', now(), now(), 'f', '%s', '\\x00', 1, '1.2', '\\x00',
                            '\\x00', '\\x00'
                        FROM generate_series(1, 2122) n""".formatted(batch, batch));
                s.execute("""
                        INSERT INTO batch_document (document_id, batch_id)
                        SELECT id, '%s' FROM document WHERE number LIKE 'EXPLAIN-%s-%%' AND split_part(number, '-', 7)::int <= 1061
                        """.formatted(batch, batch));
                s.execute("""
                        INSERT INTO recipient (document_id, organization, role, state, queued_at)
                        SELECT d.id, o.code, 'ACTION', CASE WHEN random() < 0.5 THEN 'DELIVERED' ELSE 'QUEUED' END, now()
                        FROM document d CROSS JOIN organization o
                        WHERE d.number LIKE 'EXPLAIN-%s-%%' AND o.kind = 'OVERSEAS_OFFICE'""".formatted(batch));
                s.execute("ANALYZE batch_document");
                s.execute("ANALYZE recipient");
                s.execute("ANALYZE document");
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM batch_document WHERE batch_id = '" + batch + "'")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(1061);
                }
                String sql = BatchService.PER_OFFICE.replace("?", "'" + batch + "'");
                String plan = explain(s, sql);
                System.out.println("Per-office count of a 1,061 x 207 batch:\n" + plan);
                // batch_document holds little besides this batch here, so PostgreSQL reads it whole (8 pages);
                // what matters is that the 219,627 recipient rows are found by key, not by reading the table.
                assertThat(plan).contains("recipient_pkey", "Index Cond: (document_id = ANY")
                        .doesNotContain("Seq Scan on recipient");
                assertThat(executionMs(plan)).as(plan).isLessThan(2000);
                long rows = 0;
                try (ResultSet rs = s.executeQuery(sql)) {
                    while (rs.next()) {
                        rows++;
                        assertThat(rs.getLong("addressed")).isEqualTo(1061);
                    }
                }
                assertThat(rows).isEqualTo(207);
            } finally {
                c.rollback();
            }
        }
    }

    // --- helpers

    private static String explain(Statement s, String sql) throws java.sql.SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    private static double executionMs(String plan) {
        return Double.parseDouble(plan.replaceAll("(?s).*Execution Time: ([0-9.]+) ms.*", "$1"));
    }

    private static Letters.Letter statistics(int n) {
        return letter(ISSUER, n);
    }

    private static Letters.Letter letter(String sender, int n) {
        byte[] content = ("region,month,exports\nEURASIA,2026-10," + (1000 + n) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var header = Letters.header(sender, OFFICES, dev.pouch.crypto.document.Precedence.ROUTINE,
                dev.pouch.crypto.document.Classification.INTERNAL).type(DocumentType.STATISTICS).subject("2026年10月贸易统计 trade statistics")
                .attachment(new dev.pouch.crypto.document.Attachment("stats-" + n + ".csv", "text/csv", content.length)).build();
        return new Letters.Letter(header, content);
    }

    private static SubmitAck submit(TestOffice office, Letters.Letter l, Submit.Batch batch) {
        return submitSealed(office, l.id(), office.seal(l.header(), l.content()), batch);
    }

    private static SubmitAck submitSealed(TestOffice office, UUID id, byte[] sealed, Submit.Batch batch) {
        String stream = "up/" + id + "/main/" + UUID.randomUUID();
        office.upload(stream, sealed);
        return (SubmitAck) office.request(new Submit(id, stream, List.of(), Optional.of(batch)));
    }

    private static void assertRefused(UUID id, Runnable submit, String detail) {
        assertThatThrownBy(submit::run).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.BATCH_INVALID);
            assertThat(e.getMessage()).contains(detail);
        });
        assertThat(count("SELECT count(*) FROM document WHERE id = ?", id)).isZero();
        assertThat(count("SELECT count(*) FROM recipient WHERE document_id = ?", id)).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE document_id = ?", id)).isZero();
        assertThat(count("SELECT count(*) FROM batch_document WHERE document_id = ?", id)).isZero();
        assertThat(server.orphanBlobs()).isZero();
        assertThat(server.jdbc().queryForList("SELECT outcome, detail FROM audit_log WHERE subject = ? AND action = 'SUBMISSION_REFUSED'",
                id.toString())).singleElement().satisfies(row -> {
                    assertThat(row.get("outcome")).isEqualTo("REFUSED");
                    assertThat((String) row.get("detail")).startsWith("BATCH_INVALID");
                });
    }

    private static long held(UUID batch) {
        return count("SELECT count(*) FROM batch_document WHERE batch_id = ?", batch);
    }

    private static long count(String sql, Object... args) {
        return server.jdbc().queryForObject(sql, Long.class, args);
    }

    private static JsonNode get(Https https, String path) {
        Https.Response r = https.get(path);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static List<String> offices(JsonNode view) {
        return StreamSupport.stream(view.get("offices").spliterator(), false)
                .map(o -> o.get("organization").asString() + " " + o.get("region").asString() + " addressed=" + o.get("addressed").asLong()
                        + " delivered=" + o.get("delivered").asLong() + " signedFor=" + o.get("signedFor").asLong()
                        + " complete=" + o.get("complete").asBoolean())
                .toList();
    }

    private static List<String> ids(JsonNode list) {
        return StreamSupport.stream(list.get("batches").spliterator(), false).map(b -> b.get("id").asString()).toList();
    }
}
