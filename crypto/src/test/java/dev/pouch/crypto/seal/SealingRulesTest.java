package dev.pouch.crypto.seal;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.RevocationReason;
import dev.pouch.crypto.testing.Documents;
import dev.pouch.crypto.testing.MutableClock;
import dev.pouch.crypto.testing.TestPki;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.pouch.crypto.testing.CryptoAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

class SealingRulesTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T08:00:00Z");
    private final TestPki pki = TestPki.create(clock);

    @Test
    void emptyContent_isRefused() {
        var header = Documents.notice("HQ-EUR", 0, "FR-EMB").build();
        assertFailsWith(CryptoError.CONTENT_EMPTY, () -> pki.sealer("HQ-EUR").seal(header, new byte[0], pki.recipients("FR-EMB")));
    }

    @Test
    void contentThatDisagreesWithTheAttachmentSizes_isRefused() {
        var header = Documents.notice("HQ-EUR", 10, "FR-EMB").build();
        assertFailsWith(CryptoError.INVALID_REQUEST, () -> pki.sealer("HQ-EUR").seal(header, new byte[11], pki.recipients("FR-EMB")));
    }

    @Test
    void recipientWithoutAKey_isRefused() {
        var header = Documents.notice("HQ-EUR", 10, "FR-EMB", "DE-EMB").build();
        assertFailsWith(CryptoError.INVALID_REQUEST, () -> pki.sealer("HQ-EUR").seal(header, new byte[10], pki.recipients("FR-EMB")));
    }

    @Test
    void sendingAsAnotherOrganization_isRefused() {
        var header = Documents.notice("HQ-AS", 10, "FR-EMB").build();
        assertFailsWith(CryptoError.INVALID_REQUEST, () -> pki.sealer("HQ-EUR").seal(header, new byte[10], pki.recipients("FR-EMB")));
    }

    @Test
    void expiredOwnCredentials_areRefusedBeforeSealing() {
        var header = Documents.notice("HQ-EUR", 10, "FR-EMB").build();
        pki.org("HQ-EUR");
        pki.org("FR-EMB");
        clock.advance(Duration.ofDays(800));
        pki.publishCrl();
        assertFailsWith(CryptoError.CERTIFICATE_EXPIRED, () -> pki.sealer("HQ-EUR").seal(header, new byte[10], pki.recipients("FR-EMB")));
    }

    @Test
    void revokedRecipientKey_isNotEncryptedTo() {
        var header = Documents.notice("HQ-EUR", 10, "FR-EMB").build();
        pki.revoke(pki.org("FR-EMB").keyAgreement().certificate(), clock.instant(), RevocationReason.KEY_COMPROMISE);
        assertFailsWith(CryptoError.CERTIFICATE_REVOKED, () -> pki.sealer("HQ-EUR").seal(header, new byte[10], pki.recipients("FR-EMB")));
    }

    @Test
    void senderCopy_opensForTheSender() {
        byte[] content = Documents.content(50);
        var header = Documents.notice("HQ-EUR", content.length, "FR-EMB").build();
        List<java.security.cert.X509Certificate> keys = new ArrayList<>(pki.recipients("FR-EMB"));
        keys.add(pki.org("HQ-EUR").keyAgreement().certificate());
        byte[] sealed = pki.sealer("HQ-EUR").seal(header, content, keys).encoded();
        assertThat(pki.opener("HQ-EUR").open(sealed, ValidationTime.now()).contentBytes()).isEqualTo(content);
    }

    @Test
    void signerRevokedAfterSubmission_stillOpensAtTheTimeTheExchangeRecorded() {
        byte[] content = Documents.content(50);
        var header = Documents.notice("HQ-EUR", content.length, "FR-EMB").build();
        byte[] sealed = pki.sealer("HQ-EUR").seal(header, content, pki.recipients("FR-EMB")).encoded();
        Instant accepted = clock.instant();
        clock.advance(Duration.ofDays(3));
        pki.revoke(pki.org("HQ-EUR").signing().certificate(), clock.instant(), RevocationReason.AFFILIATION_CHANGED);

        assertFailsWith(CryptoError.CERTIFICATE_REVOKED, () -> pki.opener("FR-EMB").open(sealed, ValidationTime.now()));
        assertThat(pki.opener("FR-EMB").open(sealed, ValidationTime.recordedByExchange(accepted)).contentBytes()).isEqualTo(content);
    }

    @Test
    void multipleAttachments_splitBackExactly() {
        byte[] a = "first file".getBytes();
        byte[] b = "second, longer file".getBytes();
        var header = Documents.notice("HQ-EUR", 1, "FR-EMB").attachments(List.of()).build();
        var two = DocumentHeader.builder().documentId(UUID.randomUUID()).documentNumber("n1").type(header.type())
                .subject("two files").sender(OrgCode.of("HQ-EUR")).actionRecipient(OrgCode.of("FR-EMB"))
                .attachment(new Attachment("a.txt", "text/plain", a.length))
                .attachment(new Attachment("b.txt", "text/plain", b.length)).build();
        byte[] content = new byte[a.length + b.length];
        System.arraycopy(a, 0, content, 0, a.length);
        System.arraycopy(b, 0, content, a.length, b.length);
        var opened = pki.opener("FR-EMB").open(pki.sealer("HQ-EUR").seal(two, content, pki.recipients("FR-EMB")).encoded(),
                ValidationTime.now());
        assertThat(opened.attachmentContents()).extracting(bb -> {
            byte[] out = new byte[bb.remaining()];
            bb.get(out);
            return new String(out);
        }).containsExactly("first file", "second, longer file");
    }

    @Test
    void headerRules_refuseInconsistentHeaders() {
        assertFailsWith(CryptoError.INVALID_REQUEST, () -> Documents.notice("HQ-EUR", 1, "FR-EMB", "FR-EMB").build());
        assertFailsWith(CryptoError.INVALID_REQUEST, () -> Documents.notice("HQ-EUR", 1, "FR-EMB", "HQ-EUR").build());
        assertFailsWith(CryptoError.INVALID_REQUEST, () -> Documents.notice("HQ-EUR", 1, "HQ-EUR")
                .informationRecipients(List.of(OrgCode.of("FR-EMB"))).build());
        assertFailsWith(CryptoError.INVALID_REQUEST, () -> Documents.notice("HQ-EUR", 1).build());
        assertFailsWith(CryptoError.INVALID_REQUEST, () -> new Attachment("../etc/passwd", "text/plain", 1));
        assertFailsWith(CryptoError.INVALID_REQUEST, () -> OrgCode.of("fr-emb"));
        assertFailsWith(CryptoError.INVALID_REQUEST, () -> Documents.notice("HQ-EUR", 1, "FR-EMB").subject("bad\u0000subject").build());
    }

    @Test
    void documentForTheSenderAlone_sealsAndOpensForItself() {
        byte[] content = "汇总 compilation kept by the department".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var header = Documents.notice("HQ-EUR", content.length, "HQ-EUR").build();
        assertThat(header.isForSenderOnly()).isTrue();
        var opened = pki.opener("HQ-EUR").open(pki.sealer("HQ-EUR").seal(header, content, pki.recipients("HQ-EUR")).encoded(),
                ValidationTime.now());
        assertThat(opened.header()).isEqualTo(header);
        assertFailsWith(CryptoError.NOT_A_RECIPIENT, () -> pki.opener("FR-EMB")
                .open(pki.sealer("HQ-EUR").seal(header, content, pki.recipients("HQ-EUR")).encoded(), ValidationTime.now()));
    }

    @Test
    void oversizedSealedInput_isRefusedUnread() {
        var opener = CmsOpener.builder().recipient(pki.org("FR-EMB").keyAgreement()).validator(pki.validator())
                .maxSealedSize(1024).build();
        assertFailsWith(CryptoError.LIMIT_EXCEEDED, () -> opener.open(new byte[2048], ValidationTime.now()));
    }
}
