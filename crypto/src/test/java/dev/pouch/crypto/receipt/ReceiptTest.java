package dev.pouch.crypto.receipt;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.seal.OpenedDocument;
import dev.pouch.crypto.testing.Documents;
import dev.pouch.crypto.testing.TestPki;
import org.junit.jupiter.api.Test;

import static dev.pouch.crypto.testing.CryptoAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

class ReceiptTest {

    private static final TestPki PKI = TestPki.create();

    private OpenedDocument received(String recipient, String... addressed) {
        byte[] content = Documents.content(1000);
        var header = Documents.notice("HQ-EUR", content.length, addressed).build();
        byte[] sealed = PKI.sealer("HQ-EUR").seal(header, content, PKI.recipients(addressed)).encoded();
        return PKI.opener(recipient).open(sealed, ValidationTime.now());
    }

    private ReceiptSigner signerFor(String org) {
        return EssReceipts.signer(PKI.org(org).signing(), PKI.validator(), PKI.clock());
    }

    @Test
    void recipientsReceipt_verifiesAgainstTheOriginal() {
        OpenedDocument doc = received("FR-EMB", "FR-EMB", "DE-EMB");
        SignedReceipt receipt = signerFor("FR-EMB").sign(doc.originalSignature());

        VerifiedReceipt verified = EssReceipts.verifier(PKI.validator())
                .verify(receipt.encoded(), doc.originalSignature(), ValidationTime.now());
        assertThat(verified.recipient()).isEqualTo(OrgCode.of("FR-EMB"));
        assertThat(verified.documentId()).isEqualTo(doc.header().documentId());
    }

    @Test
    void receiptForOneDocument_doesNotVerifyForAnother() {
        OpenedDocument first = received("FR-EMB", "FR-EMB");
        OpenedDocument second = received("FR-EMB", "FR-EMB");
        byte[] receipt = signerFor("FR-EMB").sign(first.originalSignature()).encoded();
        assertFailsWith(CryptoError.RECEIPT_INVALID, () -> EssReceipts.verifier(PKI.validator())
                .verify(receipt, second.originalSignature(), ValidationTime.now()));
    }

    @Test
    void organizationThatWasNotAddressed_cannotSignAReceipt() {
        OpenedDocument doc = received("FR-EMB", "FR-EMB");
        assertFailsWith(CryptoError.INVALID_REQUEST, () -> signerFor("IT-EMB").sign(doc.originalSignature()));
    }

    @Test
    void tamperedReceipt_failsVerification() {
        OpenedDocument doc = received("FR-EMB", "FR-EMB");
        byte[] receipt = signerFor("FR-EMB").sign(doc.originalSignature()).encoded();
        receipt[receipt.length - 10] ^= 0x01;
        var e = assertFailsWithAny(() -> EssReceipts.verifier(PKI.validator())
                .verify(receipt, doc.originalSignature(), ValidationTime.now()));
        assertThat(e).isIn(CryptoError.SIGNATURE_INVALID, CryptoError.MALFORMED);
    }

    @Test
    void aSealedDocumentIsNotAReceipt() {
        OpenedDocument doc = received("FR-EMB", "FR-EMB");
        assertFailsWith(CryptoError.UNSUPPORTED_CONTENT_TYPE, () -> EssReceipts.verifier(PKI.validator())
                .verify(doc.signedData(), doc.originalSignature(), ValidationTime.now()));
    }

    private static CryptoError assertFailsWithAny(org.assertj.core.api.ThrowableAssert.ThrowingCallable op) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(op);
        assertThat(t).isInstanceOf(dev.pouch.crypto.CryptoException.class);
        return ((dev.pouch.crypto.CryptoException) t).error();
    }
}
