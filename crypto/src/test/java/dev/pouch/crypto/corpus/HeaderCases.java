package dev.pouch.crypto.corpus;

import dev.pouch.crypto.corpus.CorpusPki.Cred;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.internal.CmsSigning;
import dev.pouch.crypto.internal.Der;
import dev.pouch.crypto.internal.Ess;
import dev.pouch.crypto.internal.HeaderCodec;
import dev.pouch.crypto.internal.PouchOids;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;

import java.util.List;

import static dev.pouch.crypto.CryptoError.CONTENT_EMPTY;
import static dev.pouch.crypto.CryptoError.HEADER_INVALID;
import static dev.pouch.crypto.CryptoError.MALFORMED;
import static dev.pouch.crypto.CryptoError.UNSUPPORTED_CONTENT_TYPE;

/**
 * Validly signed documents in authentic envelopes whose signed header, receipt request or content
 * contradicts the signature or the profile's rules.
 */
final class HeaderCases extends CaseSupport {

    HeaderCases(CorpusPki pki) {
        super(pki);
    }

    @Override
    protected void build() {
        sealed("header-missing", "FR-EMB", HEADER_INVALID, "no Pouch document-header attribute",
                sealToFr(document("header-missing").remove(PouchOids.ATTR_DOCUMENT_HEADER).encode()));
        DocumentHeader other = header("header-duplicated", 1, "FR-EMB", "DE-EMB").build();
        sealed("header-duplicated", "FR-EMB", HEADER_INVALID,
                "two signed header attributes: the genuine one and one that adds DE-EMB as a recipient",
                sealToFr(document("header-duplicated")
                        .add(CmsSigning.attribute(PouchOids.ATTR_DOCUMENT_HEADER, HeaderCodec.encode(other))).encode()));
        sealed("header-unsigned-copy", "FR-EMB", HEADER_INVALID,
                "a genuine signed header plus an unsigned header attribute naming other recipients",
                sealToFr(document("header-unsigned-copy")
                        .addUnsigned(CmsSigning.attribute(PouchOids.ATTR_DOCUMENT_HEADER, HeaderCodec.encode(other))).encode()));

        byte[] content = content("header-sender-not-signer");
        DocumentHeader fromDe = header("header-sender-not-signer", content.length, "FR-EMB").sender(OrgCode.of("DE-EMB")).build();
        sealed("header-sender-not-signer", "FR-EMB", HEADER_INVALID,
                "signed by HQ-EUR but the signed header names DE-EMB as the sender",
                sealToFr(SignedDataForge.document(pki.credential(Cred.HQ_SIGN), fromDe, content).encode()));
        content = content("header-size-mismatch");
        sealed("header-size-mismatch", "FR-EMB", HEADER_INVALID,
                "the attachments declare one byte more than the signed content holds",
                sealToFr(SignedDataForge.document(pki.credential(Cred.HQ_SIGN),
                        header("header-size-mismatch", content.length + 1, "FR-EMB").build(), content).encode()));
        sealed("header-receipt-request-other-document", "FR-EMB", HEADER_INVALID,
                "the signed receipt request names another document id than the header",
                sealToFr(document("header-receipt-request-other-document").replace(Ess.RECEIPT_REQUEST,
                        SignedDataForge.receiptRequest(documentId("some-other-document"), OrgCode.of("HQ-EUR"))).encode()));
        sealed("header-attachment-path-traversal", "FR-EMB", HEADER_INVALID,
                "signed header whose attachment is named ../../etc/cron.d/pouch",
                sealToFr(withHeaderField("header-attachment-path-traversal", 10, new DERSequence(new DERSequence(
                        new ASN1Encodable[] {new DERUTF8String("../../etc/cron.d/pouch"), new DERUTF8String("text/plain"),
                                new ASN1Integer(content("header-attachment-path-traversal").length)})))));
        sealed("header-sender-is-recipient", "FR-EMB", HEADER_INVALID,
                "signed header that lists the sender HQ-EUR among its own action recipients",
                sealToFr(withHeaderField("header-sender-is-recipient", 6,
                        new DERSequence(new ASN1Encodable[] {new DERUTF8String("FR-EMB"), new DERUTF8String("HQ-EUR")}))));
        sealed("header-version-2", "FR-EMB", HEADER_INVALID, "signed header of an unknown version (2)",
                sealToFr(withHeaderField("header-version-2", 0, new ASN1Integer(2))));

        sealed("inner-content-type-receipt", "FR-EMB", UNSUPPORTED_CONTENT_TYPE,
                "signed document whose eContentType (and content-type attribute) is id-ct-receipt, not id-data",
                sealToFr(document("inner-content-type-receipt").contentType(Ess.CT_RECEIPT).encode()));
        SignedDataForge detached = document("content-detached");
        sealed("content-detached", "FR-EMB", CONTENT_EMPTY,
                "valid detached signature: the SignedData has no eContent",
                sealToFr(detached.encode(null, List.of(detached.signerInfo()))));
        DERSequence structured = new DERSequence(new DERUTF8String("Pouch negative corpus, structured content"));
        byte[] structuredDer = Der.encode(structured);
        SignedDataForge notOctets = SignedDataForge.document(pki.credential(Cred.HQ_SIGN),
                header("content-not-octet-string", structuredDer.length, "FR-EMB").build(), structuredDer);
        sealed("content-not-octet-string", "FR-EMB", MALFORMED,
                "eContent is a DER SEQUENCE (PKCS #7 style) instead of the OCTET STRING RFC 5652 requires",
                sealToFr(SignedDataForge.assemble(CMSObjectIdentifiers.data, structured,
                        List.of(SignedDataForge.SHA256), notOctets.certificates(), List.of(notOctets.signerInfo()))));
        sealed("content-zero-length", "FR-EMB", CONTENT_EMPTY,
                "valid signature over a zero-length eContent, header attachment of size 0",
                sealToFr(SignedDataForge.document(pki.credential(Cred.HQ_SIGN),
                        header("content-zero-length", 0, "FR-EMB").build(), new byte[0]).encode()));
    }

    /** A signed document whose header has field {@code index} replaced by {@code value} before signing. */
    private byte[] withHeaderField(String name, int index, ASN1Encodable value) {
        ASN1Sequence h = HeaderCodec.encode(header(name, content(name).length, "FR-EMB").build());
        ASN1EncodableVector v = new ASN1EncodableVector();
        for (int i = 0; i < h.size(); i++) {
            v.add(i == index ? value : h.getObjectAt(i));
        }
        return document(name).replace(PouchOids.ATTR_DOCUMENT_HEADER, new DERSequence(v)).encode();
    }
}
