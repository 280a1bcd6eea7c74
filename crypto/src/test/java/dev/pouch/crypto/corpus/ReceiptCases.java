package dev.pouch.crypto.corpus;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.corpus.CorpusManifest.Kind;
import dev.pouch.crypto.corpus.CorpusManifest.Row;
import dev.pouch.crypto.corpus.CorpusPki.Cred;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.internal.Aes;
import dev.pouch.crypto.internal.CmsSigning;
import dev.pouch.crypto.internal.Der;
import dev.pouch.crypto.internal.Ess;
import dev.pouch.crypto.receipt.EssReceipts;
import dev.pouch.crypto.receipt.OriginalSignature;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.cms.Attribute;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.pouch.crypto.CryptoError.CERTIFICATE_UNTRUSTED;
import static dev.pouch.crypto.CryptoError.LIMIT_EXCEEDED;
import static dev.pouch.crypto.CryptoError.RECEIPT_INVALID;
import static dev.pouch.crypto.CryptoError.UNSUPPORTED_CONTENT_TYPE;

/**
 * ESS signed receipts that must not be accepted for the sealed control document: receipts for
 * another document, with a wrong or missing msgSigDigest, or from an organization that was not a
 * recipient.
 */
final class ReceiptCases extends CaseSupport {

    private final ControlCases controls;

    ReceiptCases(CorpusPki pki, ControlCases controls) {
        super(pki);
        this.controls = controls;
    }

    @Override
    protected void build() {
        OriginalSignature original = controls.openSealed("FR-EMB").originalSignature();
        add(new Row("control-receipt-forged.cms", Kind.RECEIPT, "FR-EMB", CorpusManifest.OK,
                "CONTROL: FR-EMB's receipt for " + ControlCases.SEALED + " made by the corpus forge with nothing changed",
                ControlCases.SEALED, -1), receipt(Cred.FR_SIGN, original).encode());

        byte[] content = content("receipt-other-original");
        byte[] otherDocument = controls.sealer().seal(header("receipt-other-original", content.length, "FR-EMB").build(),
                content, List.of(pki.certificate(Cred.FR_KA))).encoded();
        OriginalSignature other = pki.opener("FR-EMB").open(otherDocument, ValidationTime.now()).originalSignature();
        receipt("receipt-other-document", RECEIPT_INVALID,
                "FR-EMB's genuine receipt (production ReceiptSigner) for another document of HQ-EUR",
                EssReceipts.signer(pki.credential(Cred.FR_SIGN), pki.validator(), CorpusPki.CLOCK).sign(other).encoded());
        receipt("receipt-wrong-msg-sig-digest", RECEIPT_INVALID,
                "receipt content matches the original, but msgSigDigest is the SHA-256 of other bytes",
                receipt(Cred.FR_SIGN, original).replace(Ess.MSG_SIG_DIGEST, new DEROctetString(
                        Aes.sha256().digest("not the signed attributes".getBytes(StandardCharsets.US_ASCII)))).encode());
        receipt("receipt-missing-msg-sig-digest", RECEIPT_INVALID, "receipt without a msgSigDigest signed attribute",
                receipt(Cred.FR_SIGN, original).remove(Ess.MSG_SIG_DIGEST).encode());
        receipt("receipt-msg-sig-digest-unsigned", RECEIPT_INVALID,
                "receipt whose msgSigDigest is carried as an unsigned attribute",
                receipt(Cred.FR_SIGN, original).remove(Ess.MSG_SIG_DIGEST).addUnsigned(msgSigDigest(original)).encode());
        receipt("receipt-requests-receipt", RECEIPT_INVALID,
                "receipt that itself carries a signed receipt request (RFC 2634 forbids it)",
                receipt(Cred.FR_SIGN, original).add(CmsSigning.attribute(Ess.RECEIPT_REQUEST,
                        SignedDataForge.receiptRequest(documentId("control-sealed"), OrgCode.of("FR-EMB"))))
                        .encode());
        receipt("receipt-non-recipient-signer", RECEIPT_INVALID,
                "correct receipt for the original, validly signed by DE-EMB, which was not a recipient",
                receipt(Cred.DE_SIGN, original).encode());
        receipt("receipt-untrusted-signer", CERTIFICATE_UNTRUSTED,
                "correct receipt for the original, signed by an HQ-EUR certificate of the untrusted rogue root",
                receipt(Cred.ROGUE_HQ_SIGN, original).encode());
        byte[] oversized = new byte[EssReceipts.MAX_RECEIPT_SIZE + 1];
        byte[] genuine = receipt(Cred.FR_SIGN, original).encode();
        System.arraycopy(genuine, 0, oversized, 0, genuine.length);
        receipt("receipt-oversized", LIMIT_EXCEEDED,
                "a genuine receipt zero-padded to 64 KiB + 1 byte: refused by size before any parsing", oversized);
        receipt("receipt-sealed-document", UNSUPPORTED_CONTENT_TYPE,
                "the sealed original itself (AuthEnvelopedData) presented as its own receipt", controls.sealed());
    }

    private void receipt(String name, CryptoError expected, String description, byte[] bytes) {
        add(new Row(name + ".cms", Kind.RECEIPT, "FR-EMB", expected.name(), description, ControlCases.SEALED, -1), bytes);
    }

    /** A correct ESS receipt for {@code original} signed by {@code signer}, as a forge to break. */
    private SignedDataForge receipt(Cred signer, OriginalSignature original) {
        Ess.Receipt r = new Ess.Receipt(new ASN1ObjectIdentifier(original.contentTypeOid()),
                original.signedContentIdentifier(), original.signatureValue());
        return SignedDataForge.of(pki.credential(signer), Ess.CT_RECEIPT, Der.encode(r.toAsn1()),
                List.of(msgSigDigest(original)));
    }

    private static Attribute msgSigDigest(OriginalSignature original) {
        return CmsSigning.attribute(Ess.MSG_SIG_DIGEST, new DEROctetString(Aes.sha256().digest(original.signedAttributes())));
    }
}
