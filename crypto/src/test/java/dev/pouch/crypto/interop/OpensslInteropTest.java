package dev.pouch.crypto.interop;

import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.internal.PouchOids;
import dev.pouch.crypto.pki.Pem;
import dev.pouch.crypto.receipt.EssReceipts;
import dev.pouch.crypto.receipt.SignedReceipt;
import dev.pouch.crypto.seal.OpenedDocument;
import dev.pouch.crypto.seal.SealedDocument;
import dev.pouch.crypto.seal.SealedParts;
import dev.pouch.crypto.testing.Documents;
import dev.pouch.crypto.testing.Openssl;
import dev.pouch.crypto.testing.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenSSL 3 as the independent judge, by exit code: what we seal, it decrypts and verifies; what
 * it encrypts, we open; our receipts pass its receipt check; our parts open with the bulk key.
 */
class OpensslInteropTest {

    private static final TestPki PKI = TestPki.create();

    @TempDir
    Path dir;

    @BeforeAll
    static void requireOpenssl() {
        Openssl.assumeAvailable();
    }

    private void writePki() throws IOException {
        Files.writeString(dir.resolve("root.pem"), Pem.certificate(PKI.root()));
        Files.writeString(dir.resolve("fr-ka.pem"), Pem.certificate(PKI.org("FR-EMB").keyAgreement().certificate()));
        Files.writeString(dir.resolve("fr-ka.key"), Pem.privateKey(PKI.org("FR-EMB").keyAgreement().privateKey()));
        Files.writeString(dir.resolve("fr-sign.pem"), Pem.certificate(PKI.org("FR-EMB").signing().certificate()));
        Files.writeString(dir.resolve("fr-sign.key"), Pem.privateKey(PKI.org("FR-EMB").signing().privateKey()));
    }

    private SealedDocument sealedNotice(byte[] content) {
        DocumentHeader header = Documents.notice("HQ-EUR", content.length, "FR-EMB", "DE-EMB").build();
        return PKI.sealer("HQ-EUR").seal(header, content, PKI.recipients("FR-EMB", "DE-EMB"));
    }

    @Test
    void ourSealedDocument_decryptsAndVerifiesWithOpensslAlone() throws IOException {
        writePki();
        byte[] content = "欧洲电信市场调研通知\nEuropean telecom market survey notice\n".getBytes(StandardCharsets.UTF_8);
        DocumentHeader header = DocumentHeader.builder().documentId(java.util.UUID.randomUUID())
                .documentNumber("商欧函〔2026〕12号").type(dev.pouch.crypto.document.DocumentType.NOTICE)
                .subject("通知").sender(dev.pouch.crypto.document.OrgCode.of("HQ-EUR"))
                .actionRecipient(dev.pouch.crypto.document.OrgCode.of("FR-EMB"))
                .attachment(new Attachment("notice.txt", "text/plain", content.length)).build();
        Files.write(dir.resolve("sealed.der"),
                PKI.sealer("HQ-EUR").seal(header, content, PKI.recipients("FR-EMB")).encoded());

        var decrypt = Openssl.run(dir, "cms", "-decrypt", "-inform", "DER", "-in", "sealed.der",
                "-recip", "fr-ka.pem", "-inkey", "fr-ka.key", "-out", "signed.der");
        assertThat(decrypt.exitCode()).as(decrypt.output()).isZero();
        var verify = Openssl.run(dir, "cms", "-verify", "-inform", "DER", "-in", "signed.der",
                "-CAfile", "root.pem", "-out", "content.bin");
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("content.bin"))).isEqualTo(content);
    }

    @Test
    void tamperedDocument_failsOpensslDecryption() throws IOException {
        writePki();
        byte[] sealed = sealedNotice(Documents.content(4096)).encoded();
        sealed[sealed.length - 100] ^= 1;
        Files.write(dir.resolve("sealed.der"), sealed);

        var decrypt = Openssl.run(dir, "cms", "-decrypt", "-inform", "DER", "-in", "sealed.der",
                "-recip", "fr-ka.pem", "-inkey", "fr-ka.key", "-out", "signed.der");
        assertThat(decrypt.exitCode()).isNotZero();
    }

    @Test
    void opensslAuthEnvelopedData_aroundOurSignedDocument_opensInOurs() throws IOException {
        writePki();
        byte[] content = Documents.content(10_000);
        OpenedDocument original = PKI.opener("FR-EMB").open(sealedNotice(content).encoded(), ValidationTime.now());
        Files.write(dir.resolve("signed.der"), original.signedData());

        var encrypt = Openssl.run(dir, "cms", "-encrypt", "-binary", "-aes-256-gcm", "-in", "signed.der",
                "-outform", "DER", "-out", "openssl-sealed.der", "-recip", "fr-ka.pem", "-keyopt", "ecdh_kdf_md:sha256");
        assertThat(encrypt.exitCode()).as(encrypt.output()).isZero();

        OpenedDocument reopened = PKI.opener("FR-EMB").open(Files.readAllBytes(dir.resolve("openssl-sealed.der")), ValidationTime.now());
        assertThat(reopened.contentBytes()).isEqualTo(content);
        assertThat(reopened.header()).isEqualTo(original.header());
    }

    @Test
    void ourReceipt_passesOpensslVerifyReceipt() throws IOException {
        writePki();
        OpenedDocument opened = PKI.opener("FR-EMB").open(sealedNotice(Documents.content(2048)).encoded(), ValidationTime.now());
        SignedReceipt receipt = EssReceipts.signer(PKI.org("FR-EMB").signing(), PKI.validator(), PKI.clock())
                .sign(opened.originalSignature());
        Files.write(dir.resolve("signed.der"), opened.signedData());
        Files.write(dir.resolve("receipt.der"), receipt.encoded());

        var check = Openssl.run(dir, "cms", "-verify_receipt", "receipt.der", "-rctform", "DER",
                "-in", "signed.der", "-inform", "DER", "-CAfile", "root.pem");
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @Test
    void largeDocumentParts_decryptWithOpensslSecretKey_andReassembleExactly() throws IOException {
        writePki();
        Path file = dir.resolve("statistics.csv");
        int size = 3 * 65536 + 1234;
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(Documents.content(size));
        }
        DocumentHeader header = Documents.notice("HQ-EUR", size, "FR-EMB").build();
        var sealer = dev.pouch.crypto.seal.CmsSealer.builder().signer(PKI.org("HQ-EUR").signing())
                .validator(PKI.validator()).partSize(65536).build();
        SealedParts parts = sealer.sealParts(header, file, PKI.recipients("FR-EMB"), dir.resolve("out"));
        assertThat(parts.partFiles()).hasSize(4);
        Files.write(dir.resolve("main.der"), parts.main().encoded());

        var decrypt = Openssl.run(dir, "cms", "-decrypt", "-inform", "DER", "-in", "main.der",
                "-recip", "fr-ka.pem", "-inkey", "fr-ka.key", "-out", "main-signed.der");
        assertThat(decrypt.exitCode()).as(decrypt.output()).isZero();
        var verify = Openssl.run(dir, "cms", "-verify", "-inform", "DER", "-in", "main-signed.der",
                "-CAfile", "root.pem", "-out", "manifest.der");
        assertThat(verify.exitCode()).as(verify.output()).isZero();

        OpenedDocument main = PKI.opener("FR-EMB").open(parts.main().encoded(), ValidationTime.now());
        String key = main.manifest().orElseThrow().revealBulkKeyHexForOpenSsl();
        String keyId = main.manifest().orElseThrow().bulkKeyIdHex();
        List<byte[]> pieces = new ArrayList<>();
        for (int i = 0; i < parts.partFiles().size(); i++) {
            var part = Openssl.run(dir, "cms", "-decrypt", "-inform", "DER", "-in", parts.partFiles().get(i).toString(),
                    "-secretkey", key, "-secretkeyid", keyId, "-out", "part-" + i + ".bin");
            assertThat(part.exitCode()).as(part.output()).isZero();
            pieces.add(Files.readAllBytes(dir.resolve("part-" + i + ".bin")));
        }
        var whole = new java.io.ByteArrayOutputStream();
        pieces.forEach(whole::writeBytes);
        assertThat(whole.toByteArray()).isEqualTo(Files.readAllBytes(file));
        assertThat(PouchOids.CT_PART_MANIFEST.getId()).startsWith("2.25.");
    }
}
