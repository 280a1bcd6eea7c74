package dev.pouch.server.web.console;

import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.server.directory.Role;
import dev.pouch.server.pki.ExchangePki;
import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console over real HTTPS (no MockMvc) against a real server: certificate sign-in, the
 * pages and their access checks (same rules as REST; NOT_FOUND for what one may not see, guessed
 * ids included), the anti-forgery token on every POST, sign-in on every page, both languages, and
 * the audit of reads.
 */
class ConsoleIT {

    private static TestServer server;
    private static TestOffice hq;
    private static TestOffice fr;
    private static TestOffice de;
    private static Letters.Letter toFrance;
    private static UUID survey;

    @BeforeAll
    static void start() {
        server = TestServer.shared();
        hq = server.office("HQ-WAA").awaitConnected();
        fr = server.office("CI-EMB").awaitConnected();
        de = server.office("SN-EMB").awaitConnected();
        toFrance = Letters.letter("HQ-WAA", List.of("CI-EMB"), "请报送可可市场情况。Report on the cocoa market.", Precedence.URGENT,
                Classification.INTERNAL);
        hq.send(toFrance.header(), toFrance.content());
        fr.awaitDocument(toFrance.id(), Duration.ofSeconds(20));
        fr.signFor(toFrance.id(), "已收到");

        byte[] letter = "请报送农业调研报告。".getBytes(StandardCharsets.UTF_8);
        DocumentHeader h = Letters.header("HQ-WAA", List.of("CI-EMB", "SN-EMB"), Precedence.ROUTINE, Classification.INTERNAL)
                .type(DocumentType.SURVEY_REQUEST).subject("非洲农业调研 agriculture survey")
                .deadline(Instant.now().plus(Duration.ofDays(5)))
                .attachment(new Attachment("letter.txt", "text/plain", letter.length)).build();
        hq.send(h, letter);
        survey = h.documentId();
        fr.awaitDocument(survey, Duration.ofSeconds(20));
        Letters.Letter report = new Letters.Letter(Letters.header("CI-EMB", List.of("HQ-WAA"), Precedence.ROUTINE,
                Classification.INTERNAL).type(DocumentType.REPORT).inReplyTo(survey).subject("科特迪瓦农业报告")
                .attachment(new Attachment("report.txt", "text/plain", 12)).build(), "cocoa report".getBytes(StandardCharsets.UTF_8));
        fr.send(report.header(), report.content());
    }

    @AfterAll
    static void disconnect() {
        server.closeOffices();
    }

    private static ConsoleClient as(TestOffice office) {
        ConsoleClient c = ConsoleClient.of(office.keys().tls(), server.root(), server.httpsPort());
        assertThat(c.signInWithCertificate().status()).isEqualTo(302);
        return c;
    }

    private static ConsoleClient staff(String org, String id, Role... roles) {
        ConsoleClient c = ConsoleClient.of(server.enrol(org, id, roles).tls(), server.root(), server.httpsPort());
        assertThat(c.signInWithCertificate().status()).isEqualTo(302);
        return c;
    }

    @Test
    void a_recipient_signs_in_with_its_certificate_and_reads_its_inbox_and_the_documents_page() {
        ConsoleClient c = as(fr);
        ConsoleClient.Page inbox = c.get("/console/inbox");
        assertThat(inbox.status()).isEqualTo(200);
        assertThat(inbox.body()).contains(toFrance.header().documentNumber()).contains("已签收").contains("/console/documents/" + toFrance.id());
        assertThat(inbox.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");

        ConsoleClient.Page doc = c.get("/console/documents/" + toFrance.id());
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.body()).contains(toFrance.header().documentNumber()).contains("id=\"timeline\"").contains("officer")
                .contains("notice.txt").contains("加急");
        ConsoleClient.Page attachment = c.get("/console/documents/" + toFrance.id() + "/attachments/0");
        assertThat(attachment.status()).isEqualTo(200);
        assertThat(attachment.body()).isEqualTo(new String(toFrance.content(), StandardCharsets.UTF_8));
        assertThat(attachment.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/octet-stream");

        List<String> audited = server.jdbc().queryForList("SELECT action FROM audit_log WHERE actor = ? ORDER BY id", String.class,
                fr.keys().tls().identity().toString());
        assertThat(audited).contains("LOGIN", "INBOX_READ", "READ");
    }

    @Test
    void another_organization_gets_not_found_for_the_document_and_its_attachment_like_a_guessed_id() {
        ConsoleClient c = as(de);
        ConsoleClient.Page doc = c.get("/console/documents/" + toFrance.id());
        ConsoleClient.Page guessed = c.get("/console/documents/" + UUID.randomUUID());
        assertThat(doc.status()).isEqualTo(404);
        assertThat(doc.errorCode()).isEqualTo(ErrorCode.NOT_FOUND.code());
        assertThat(guessed.status()).isEqualTo(404);
        assertThat(guessed.errorCode()).isEqualTo(ErrorCode.NOT_FOUND.code());
        assertThat(doc.body()).doesNotContain(toFrance.header().documentNumber());
        assertThat(c.get("/console/documents/" + toFrance.id() + "/attachments/0").status()).isEqualTo(404);
        assertThat(c.get("/console/inbox").body()).doesNotContain(toFrance.header().documentNumber());
        assertThat(c.get("/console/surveys/" + survey).errorCode()).isEqualTo(ErrorCode.NOT_FOUND.code());
        assertThat(c.get("/console/surveys/" + survey + "/compilation").status()).isEqualTo(404);
    }

    @Test
    void every_page_asks_for_sign_in_first() {
        ConsoleClient anonymous = ConsoleClient.of(null, server.root(), server.httpsPort());
        for (String page : List.of("/console", "/console/inbox", "/console/documents/" + toFrance.id(), "/console/search?q=x",
                "/console/send", "/console/surveys", "/console/surveys/" + survey, "/console/stats", "/console/stats.csv",
                "/console/admin/organizations", "/console/admin/staff", "/console/admin/certificates", "/console/admin/dead-letters",
                "/console/admin/audit", "/console/documents/" + toFrance.id() + "/attachments/0")) {
            ConsoleClient.Page p = anonymous.get(page);
            assertThat(p.status()).as(page).isIn(302);
            assertThat(p.location()).as(page).endsWith("/console/signin");
        }
        anonymous.get("/console/signin");
        ConsoleClient.Page post = anonymous.post("/console/admin/staff", "organization", "HQ-WAA", "staffId", "x", "displayName", "x",
                "roles", "READER", "clearance", "INTERNAL");
        assertThat(post.status()).isEqualTo(401);
        assertThat(post.errorCode()).isEqualTo(ErrorCode.SIGN_IN_REQUIRED.code());
        // without a certificate the certificate sign-in is refused with the REST code
        assertThat(anonymous.post("/console/signin/certificate").errorCode()).isEqualTo(ErrorCode.UNKNOWN_STAFF.code());
    }

    @Test
    void every_post_without_the_sessions_token_is_refused_and_changes_nothing() {
        ConsoleClient admin = staff("HQ-GO", "console.admin", Role.ADMIN, Role.AUDITOR, Role.READER, Role.DRAFTER);
        List<String[]> posts = List.of(
                new String[] {"/console/signout"},
                new String[] {"/console/signin/certificate"},
                new String[] {"/console/signin", "organization", "HQ-GO", "staffId", "console.admin", "password", "x"},
                new String[] {"/console/send", "number", "n", "subject", "s", "type", "NOTICE", "classification", "INTERNAL",
                        "precedence", "ROUTINE", "to", "FR-EMB", "files", "a.pdf"},
                new String[] {"/console/surveys/" + survey + "/remind"},
                new String[] {"/console/admin/staff", "organization", "HQ-GO", "staffId", "forged", "displayName", "Forged",
                        "roles", "ADMIN", "clearance", "INTERNAL"},
                new String[] {"/console/admin/staff/HQ-GO/console.admin/deactivate"},
                new String[] {"/console/admin/staff/HQ-GO/console.admin/password", "password", "a-new-password-of-some-length"},
                new String[] {"/console/admin/certificates", "holder", "STAFF_TLS", "organization", "HQ-GO", "staffId", "x",
                        "publicKeyPem", "x"},
                new String[] {"/console/admin/certificates/01/revoke", "reason", "KEY_COMPROMISE"},
                new String[] {"/console/admin/dead-letters/" + UUID.randomUUID() + "/HQ-GO/retry"},
                new String[] {"/console/admin/audit"});
        for (String[] p : posts) {
            String[] fields = java.util.Arrays.copyOfRange(p, 1, p.length);
            ConsoleClient.Page none = admin.postWithoutToken(p[0], fields);
            assertThat(none.status()).as(p[0]).isEqualTo(403);
            assertThat(none.errorCode()).as(p[0]).isEqualTo(ErrorCode.FORM_EXPIRED.code());
            String[] forged = java.util.Arrays.copyOf(fields, fields.length + 2);
            forged[fields.length] = "_csrf";
            forged[fields.length + 1] = "forged-token";
            assertThat(admin.postWithoutToken(p[0], forged).errorCode()).as(p[0]).isEqualTo(ErrorCode.FORM_EXPIRED.code());
        }
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM staff WHERE staff_id = 'forged'", Long.class)).isZero();
        assertThat(admin.get("/console/inbox").status()).as("still signed in, still active").isEqualTo(200);
    }

    @Test
    void administration_is_for_administrators_and_the_audit_check_also_for_auditors() {
        ConsoleClient officer = as(fr);
        for (String page : List.of("/console/admin/organizations", "/console/admin/staff", "/console/admin/certificates",
                "/console/admin/dead-letters", "/console/admin/audit")) {
            ConsoleClient.Page p = officer.get(page);
            assertThat(p.status()).as(page).isEqualTo(403);
            assertThat(p.errorCode()).as(page).isEqualTo(ErrorCode.FORBIDDEN.code());
        }
        assertThat(officer.post("/console/admin/staff", "organization", "CI-EMB", "staffId", "sneaky", "displayName", "S",
                "roles", "ADMIN", "clearance", "INTERNAL").errorCode()).isEqualTo(ErrorCode.FORBIDDEN.code());

        ConsoleClient auditor = staff("HQ-GO", "console.auditor", Role.AUDITOR);
        assertThat(auditor.get("/console/admin/organizations").status()).isEqualTo(403);
        ConsoleClient.Page verified = auditor.post("/console/admin/audit");
        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.body()).contains("id=\"audit-report\"");
    }

    @Test
    void an_administrator_adds_staff_issues_a_certificate_and_revokes_one_which_ends_that_persons_certificate_session()
            throws Exception {
        ConsoleClient admin = staff("HQ-GO", "console.root", Role.ADMIN, Role.READER);
        assertThat(admin.get("/console/admin/organizations").body()).contains("HQ-EUR").contains("欧洲司");
        assertThat(admin.get("/console/admin/dead-letters").status()).isEqualTo(200);
        assertThat(admin.get("/console/admin/audit").body()).contains("id=\"verify-audit\"");
        assertThat(admin.post("/console/admin/dead-letters/" + UUID.randomUUID() + "/SN-EMB/retry").errorCode())
                .isEqualTo(ErrorCode.NOT_FOUND.code());
        ConsoleClient.Page saved = admin.post("/console/admin/staff", "organization", "SN-EMB", "staffId", "awa.diop",
                "displayName", "Awa Diop", "roles", "READER", "clearance", "PUBLIC");
        assertThat(saved.status()).isEqualTo(302);
        assertThat(admin.get(saved.location().replaceFirst("https://[^/]+", "")).body()).contains("awa.diop").contains("Awa Diop");

        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        ConsoleClient.Page issued = admin.post("/console/admin/certificates", "holder", "STAFF_TLS", "organization", "SN-EMB",
                "staffId", "awa.diop", "publicKeyPem", dev.pouch.crypto.pki.Pem.publicKey(g.generateKeyPair().getPublic()));
        assertThat(issued.status()).isEqualTo(200);
        assertThat(issued.body()).contains("id=\"issued\"").contains("BEGIN CERTIFICATE").contains("urn:pouch:staff:SN-EMB:awa.diop");

        var keys = server.enrol("SN-EMB", "moussa.ba", Role.READER);
        ConsoleClient moussa = ConsoleClient.of(keys.tls(), server.root(), server.httpsPort());
        assertThat(moussa.signInWithCertificate().status()).isEqualTo(302);
        assertThat(moussa.get("/console/inbox").status()).isEqualTo(200);
        String serial = keys.tls().certificate().getSerialNumber().toString(16);
        assertThat(admin.get("/console/admin/certificates?filter=" + serial).body()).contains(serial);
        ConsoleClient.Page revoked = admin.post("/console/admin/certificates/" + serial + "/revoke", "reason", "KEY_COMPROMISE");
        assertThat(revoked.status()).isEqualTo(302);
        assertThat(server.bean(ExchangePki.class).currentCrl().getRevokedCertificate(keys.tls().certificate())).isNotNull();
        // The same browser session, next request: the certificate is checked again and refused.
        ConsoleClient.Page after = moussa.get("/console/inbox");
        assertThat(after.errorCode()).isEqualTo(ErrorCode.CRYPTO_CERTIFICATE_REVOKED.code());
        assertThat(moussa.get("/console/inbox").status()).as("the session is gone").isEqualTo(302);

        List<String> audited = server.jdbc().queryForList("SELECT action FROM audit_log WHERE actor = ? ORDER BY id", String.class,
                "urn:pouch:staff:HQ-GO:console.root");
        assertThat(audited).contains("DIRECTORY_READ", "STAFF_SAVED", "CERTIFICATES_READ", "CERTIFICATE_ISSUED", "CERTIFICATE_REVOKED");
    }

    @Test
    void the_requester_reads_the_survey_tracker_and_downloads_the_compilation() {
        ConsoleClient c = as(hq);
        assertThat(c.get("/console/surveys").body()).contains("非洲农业调研");
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(c.get("/console/surveys/" + survey).body()).contains("data-office=\"CI-EMB\" data-state=\"RESPONDED_ON_TIME\""));
        ConsoleClient.Page tracker = c.get("/console/surveys/" + survey + "?lang=en");
        assertThat(tracker.body()).contains("Responded on time").contains("data-office=\"SN-EMB\"").contains("class=\"countdown\"")
                .contains("GMT").contains("/console/surveys/" + survey + "/compilation");
        ConsoleClient.Page fragment = c.get("/console/surveys/" + survey + "?fragment=table");
        assertThat(fragment.body()).startsWith("<div id=\"tracker-table\"").doesNotContain("<html");
        ConsoleClient.Page zip = c.get("/console/surveys/" + survey + "/compilation");
        assertThat(zip.status()).isEqualTo(200);
        assertThat(zip.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/zip");
        assertThat(zip.body()).startsWith("PK");
    }

    @Test
    void pages_and_refusals_come_in_chinese_and_english() {
        ConsoleClient c = as(fr);
        assertThat(c.get("/console/inbox").body()).contains("收件箱");
        assertThat(c.get("/console/inbox?lang=en").body()).contains("Inbox").doesNotContain("收件箱");
        ConsoleClient.Page english = c.get("/console/documents/" + UUID.randomUUID());
        assertThat(english.body()).contains("No such document, or it is not visible to you.");
        c.get("/console/inbox?lang=zh");
        assertThat(c.get("/console/documents/" + UUID.randomUUID()).body()).contains("没有这份公文，或您无权查看。");
        assertThat(c.get("/console/stats").body()).contains("id=\"chart\"").contains("<svg");
    }

    @Test
    void password_sign_in_is_off_unless_enabled_and_the_send_form_prepares_the_sealing_command() {
        ConsoleClient anonymous = ConsoleClient.of(null, server.root(), server.httpsPort());
        assertThat(anonymous.get("/console/signin").body()).doesNotContain("id=\"signin-form\"");
        assertThat(anonymous.post("/console/signin", "organization", "HQ-WAA", "staffId", "officer", "password", "x").errorCode())
                .isEqualTo(ErrorCode.NOT_AVAILABLE.code());

        ConsoleClient admin = staff("HQ-GO", "console.pw", Role.ADMIN);
        assertThat(admin.post("/console/admin/staff/HQ-WAA/officer/password", "password", "long enough password").errorCode())
                .isEqualTo(ErrorCode.NOT_AVAILABLE.code());
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM staff_password", Long.class)).isZero();

        ConsoleClient c = as(hq);
        ConsoleClient.Page prepared = c.post("/console/send", "number", "商非函〔2026〕7号", "subject", "关于可可的通知",
                "type", "NOTICE", "classification", "INTERNAL", "precedence", "URGENT", "to", "CI-EMB, region:AFRICA",
                "cc", "", "deadline", "", "files", "letter.pdf");
        assertThat(prepared.status()).isEqualTo(200);
        assertThat(prepared.body()).contains("pouch send --number").contains("--to CI-EMB,region:AFRICA").contains("letter.pdf");
        assertThat(c.post("/console/send", "number", "n", "subject", "s", "type", "NOTICE", "classification", "SECRET",
                "precedence", "ROUTINE", "to", "CI-EMB", "files", "a.pdf").errorCode())
                .isEqualTo(ErrorCode.CLASSIFICATION_ABOVE_CEILING.code());
        assertThat(c.post("/console/send", "number", "n", "subject", "s", "type", "NOTICE", "classification", "INTERNAL",
                "precedence", "ROUTINE", "to", "XX-NOPE", "files", "a.pdf").errorCode()).isEqualTo(ErrorCode.UNKNOWN_RECIPIENT.code());
    }
}
