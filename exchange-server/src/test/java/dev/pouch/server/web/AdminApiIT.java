package dev.pouch.server.web;

import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.pki.Pem;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.message.Notice;
import dev.pouch.server.directory.Role;
import dev.pouch.server.testing.Https;
import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The administrators' REST API: staff, certificates (issue, revoke), dead letters, audit, metrics. */
class AdminApiIT {

    private static TestServer server;
    private static Https admin;
    private static TestOffice.Keys adminKeys;

    @BeforeAll
    static void signIn() {
        server = TestServer.shared();
        adminKeys = server.enrol("HQ-GO", "root.admin", Role.ADMIN, Role.AUDITOR, Role.READER);
        admin = Https.as(adminKeys.tls(), server.root(), server.httpsPort());
    }

    @AfterAll
    static void disconnect() {
        server.closeOffices();
    }

    private static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    @Test
    void an_administrator_adds_staff_issues_a_certificate_and_revokes_it_which_refuses_the_next_handshake() throws Exception {
        Https.Response saved = admin.post("/api/admin/staff", """
                {"organization":"ES-EMB","staffId":"lucia.garcia","displayName":"Lucía García",
                 "roles":["READER","RELEASER"],"clearance":"INTERNAL"}""");
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.json().get("active").asBoolean()).isTrue();

        KeyPair pair = ecKeyPair();
        Https.Response issued = admin.post("/api/admin/staff/ES-EMB/lucia.garcia/certificates",
                "{\"publicKeyPem\":" + Https.quote(Pem.publicKey(pair.getPublic())) + "}");
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        String serial = issued.json().get("serial").asString();
        KeyCredential tls = KeyCredential.of(pair.getPrivate(), Pem.readCertificates(issued.json().get("chainPem").asString()));
        assertThat(tls.identity().toString()).isEqualTo("urn:pouch:staff:ES-EMB:lucia.garcia");

        TestOffice.Keys org = server.enrol("ES-EMB", "officer");
        TestOffice.Keys lucia = new TestOffice.Keys(org.organization(), tls, org.signing(), org.keyAgreement());
        try (TestOffice first = server.connect(lucia)) {
            first.awaitConnected();
        }

        Https.Response revoked = admin.post("/api/admin/certificates/" + serial + "/revoke", "{\"reason\":\"AFFILIATION_CHANGED\"}");
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        try (TestOffice again = server.connect(lucia)) {
            assertThatThrownBy(() -> again.awaitConnected(Duration.ofSeconds(5))).hasMessageContaining("no connection");
        }
        assertThat(admin.post("/api/admin/certificates/" + serial + "/revoke", "{\"reason\":\"SUPERSEDED\"}").json()
                .get("code").asInt()).isEqualTo(ErrorCode.NOT_FOUND.code());

        List<String> actions = server.jdbc().queryForList(
                "SELECT action FROM audit_log WHERE actor = 'urn:pouch:staff:HQ-GO:root.admin' ORDER BY id", String.class);
        assertThat(actions).contains("STAFF_SAVED", "CERTIFICATE_ISSUED", "CERTIFICATE_REVOKED");
    }

    @Test
    void a_deactivated_staff_member_is_turned_away_at_sign_in() {
        TestOffice.Keys leaving = server.enrol("PT-EMB", "leaving");
        assertThat(admin.delete("/api/admin/staff/PT-EMB/leaving").status()).isEqualTo(200);
        try (TestOffice office = server.connect(leaving)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.jdbc().queryForObject(
                    "SELECT count(*) FROM audit_log WHERE actor = 'urn:pouch:staff:PT-EMB:leaving' AND action = 'LOGIN_REFUSED'",
                    Long.class) > 0);
        }
    }

    @Test
    void refusals_carry_a_code_and_a_sentence() {
        TestOffice.Keys clerk = server.enrol("HQ-GO", "clerk", Role.READER);
        Https notAdmin = Https.as(clerk.tls(), server.root(), server.httpsPort());
        Https.Response forbidden = notAdmin.get("/api/admin/dead-letters");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("code").asInt()).isEqualTo(ErrorCode.FORBIDDEN.code());
        assertThat(forbidden.json().get("message").asString()).contains("not allowed");

        Https.Response anonymous = Https.as(null, server.root(), server.httpsPort()).get("/api/admin/dead-letters");
        assertThat(anonymous.status()).isEqualTo(403);
        assertThat(anonymous.json().get("code").asInt()).isEqualTo(ErrorCode.UNKNOWN_STAFF.code());

        Https.Response invalid = admin.post("/api/admin/staff", "{\"organization\":\"ES-EMB\"}");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("code").asInt()).isEqualTo(ErrorCode.INVALID_REQUEST.code());
        assertThat(invalid.json().get("message").asString()).contains("staffId");

        Https.Response notJson = admin.post("/api/admin/staff", "{roles:");
        assertThat(notJson.json().get("code").asInt()).isEqualTo(ErrorCode.INVALID_REQUEST.code());

        Https.Response unknownOrg = admin.post("/api/admin/staff", """
                {"organization":"ZZ-EMB","staffId":"x","displayName":"X","roles":["READER"],"clearance":"INTERNAL"}""");
        assertThat(unknownOrg.json().get("code").asInt()).isEqualTo(ErrorCode.UNKNOWN_RECIPIENT.code());

        Https.Response secret = admin.post("/api/admin/staff", """
                {"organization":"ES-EMB","staffId":"y","displayName":"Y","roles":["READER"],"clearance":"SECRET"}""");
        assertThat(secret.json().get("code").asInt()).isEqualTo(ErrorCode.CLASSIFICATION_ABOVE_CEILING.code());

        Https.Response badId = admin.get("/api/documents/not-a-uuid/status");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().get("code").asInt()).isEqualTo(ErrorCode.INVALID_REQUEST.code());

        Https.Response noSuchDocument = admin.get("/api/documents/" + java.util.UUID.randomUUID() + "/status");
        assertThat(noSuchDocument.status()).isEqualTo(404);
        assertThat(noSuchDocument.json().get("code").asInt()).isEqualTo(ErrorCode.NOT_FOUND.code());

        Https.Response noSuchPath = admin.get("/api/nothing-here");
        assertThat(noSuchPath.status()).isEqualTo(404);
        assertThat(noSuchPath.json().get("code").asInt()).isEqualTo(ErrorCode.NOT_FOUND.code());
    }

    @Test
    void a_document_an_office_keeps_refusing_becomes_a_dead_letter_that_an_administrator_can_send_again() {
        TestOffice hq = server.office("HQ-EC").awaitConnected();
        TestOffice nl = server.office("NL-EMB").awaitConnected();
        nl.refuseDeliveries(true);
        Letters.Letter l = Letters.notice("HQ-EC", List.of("NL-EMB"), "Kennisgeving — notice");
        hq.send(l.header(), l.content());

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Https.Response dead = admin.get("/api/admin/dead-letters");
            assertThat(dead.status()).isEqualTo(200);
            assertThat(dead.body()).contains(l.id().toString()).contains("NL-EMB");
        });
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM audit_log WHERE action = 'DEAD_LETTER' AND subject = ?",
                Long.class, l.id().toString())).isOne();

        nl.refuseDeliveries(false);
        Https.Response retried = admin.post("/api/admin/dead-letters/" + l.id() + "/NL-EMB/retry", "");
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(nl.awaitDocument(l.id(), Duration.ofSeconds(20)).content()).isEqualTo(l.content());
        assertThat(admin.get("/api/admin/dead-letters").body()).doesNotContain(l.id().toString());
    }

    @Test
    void a_notice_an_office_keeps_refusing_becomes_a_dead_letter_that_an_administrator_can_send_again() {
        TestOffice hq = server.office("HQ-EC").awaitConnected();
        TestOffice lu = server.office("LU-EMB").awaitConnected();
        byte[] letter = "请报送电子商务情况。Please report on e-commerce.\n".getBytes(StandardCharsets.UTF_8);
        DocumentHeader h = Letters.header("HQ-EC", List.of("LU-EMB"), Precedence.ROUTINE, Classification.INTERNAL)
                .type(DocumentType.SURVEY_REQUEST).subject("调研函 survey").deadline(Instant.now().plus(Duration.ofDays(3)))
                .attachment(new Attachment("letter.txt", "text/plain", letter.length)).build();
        hq.send(h, letter);
        lu.awaitDocument(h.documentId(), Duration.ofSeconds(20));

        // The office's client cannot store anything now: the withdrawal's notice to it dead-letters.
        lu.refuseDeliveries(true);
        Https hqRest = Https.as(hq.keys().tls(), server.root(), server.httpsPort());
        Https.Response withdrawn = hqRest.post("/api/surveys/" + h.documentId() + "/withdraw", "{\"reason\":\"plans changed\"}");
        assertThat(withdrawn.status()).as(withdrawn.body()).isEqualTo(200);
        String noticeId = server.jdbc().queryForObject("SELECT id::text FROM notice WHERE document_id = ? AND organization = 'LU-EMB'",
                String.class, h.documentId());
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Https.Response dead = admin.get("/api/admin/dead-letters");
            assertThat(dead.body()).contains(noticeId).contains("LU-EMB");
        });
        assertThat(lu.notices()).noneMatch(n -> n.noticeId().toString().equals(noticeId));
        assertThat(server.jdbc().queryForObject("SELECT delivered_at IS NULL FROM notice WHERE id = ?::uuid", Boolean.class, noticeId))
                .isTrue();

        lu.refuseDeliveries(false);
        Https.Response retried = admin.post("/api/admin/dead-letters/" + noticeId + "/LU-EMB/retry", "");
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(lu.notices())
                .anyMatch(n -> n.noticeId().toString().equals(noticeId) && n.kind() == Notice.Kind.SURVEY_WITHDRAWN));
        assertThat(admin.get("/api/admin/dead-letters").body()).doesNotContain(noticeId);
        assertThat(server.jdbc().queryForObject("SELECT delivered_at IS NOT NULL FROM notice WHERE id = ?::uuid", Boolean.class,
                noticeId)).isTrue();
    }

    @Test
    void the_audit_chain_verifies_through_the_api() {
        Https.Response report = admin.get("/api/admin/audit/verify");
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.json().get("intact").asBoolean()).as(report.body()).isTrue();
    }

    @Test
    void health_and_metrics_are_exposed() {
        TestOffice hq = server.office("HQ-MO").awaitConnected();
        server.office("GR-EMB").awaitConnected();
        Letters.Letter l = Letters.notice("HQ-MO", List.of("GR-EMB"), "Ανακοίνωση — notice");
        hq.send(l.header(), l.content());
        server.bean(dev.pouch.server.routing.QueueDepths.class).sample();

        Https anonymous = Https.as(null, server.root(), server.httpsPort());
        assertThat(anonymous.get("/actuator/health").json().get("status").asString()).isEqualTo("UP");
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String metrics = anonymous.get("/actuator/prometheus").body();
            assertThat(metrics).contains("pouch_connected_organizations")
                    .contains("pouch_queue_depth{organization=\"GR-EMB\"}")
                    .contains("pouch_queued_documents")
                    .contains("pouch_submissions_total{outcome=\"accepted\"}")
                    .contains("pouch_delivery_latency_seconds_count")
                    .contains("pouch_dead_letters");
        });
    }
}
