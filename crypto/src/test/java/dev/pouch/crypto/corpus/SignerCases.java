package dev.pouch.crypto.corpus;

import dev.pouch.crypto.corpus.CorpusPki.Cred;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.internal.CmsSigning;
import dev.pouch.crypto.internal.HeaderCodec;
import dev.pouch.crypto.internal.PouchOids;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.SignerInfo;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.pouch.crypto.CryptoError.CERTIFICATE_EXPIRED;
import static dev.pouch.crypto.CryptoError.CERTIFICATE_REVOKED;
import static dev.pouch.crypto.CryptoError.CERTIFICATE_UNTRUSTED;
import static dev.pouch.crypto.CryptoError.KEY_USAGE_INVALID;
import static dev.pouch.crypto.CryptoError.SIGNATURE_INVALID;
import static dev.pouch.crypto.CryptoError.SIGNER_INVALID;

/**
 * Authentic envelopes around signed documents whose signature or signer is wrong: untrusted,
 * expired, revoked or misused certificates, tampered signed data, and the wrong number of signers.
 */
final class SignerCases extends CaseSupport {

    SignerCases(CorpusPki pki) {
        super(pki);
    }

    @Override
    protected void build() {
        sealed("signer-untrusted-root", "FR-EMB", CERTIFICATE_UNTRUSTED,
                "signed by an HQ-EUR signing certificate from a second root (Pouch Rogue Root) that nobody trusts",
                sealToFr(documentSignedBy("signer-untrusted-root", Cred.ROGUE_HQ_SIGN).encode()));
        sealed("signer-impostor-root", "FR-EMB", CERTIFICATE_UNTRUSTED,
                "signed by an HQ-EUR certificate from an impostor root with the trusted root's exact name but another key",
                sealToFr(documentSignedBy("signer-impostor-root", Cred.IMPOSTOR_HQ_SIGN).encode()));
        sealed("signer-expired", "FR-EMB", CERTIFICATE_EXPIRED,
                "signed by an HQ-EUR signing certificate that expired on 2026-06-30 (corpus time 2026-11-23)",
                sealToFr(documentSignedBy("signer-expired", Cred.HQ_SIGN_EXPIRED).encode()));
        sealed("signer-expired-backdated", "FR-EMB", CERTIFICATE_EXPIRED,
                "expired signer that claims a signing time of 2026-03-01, inside its validity: the claim must not count",
                sealToFr(documentSignedBy("signer-expired-backdated", Cred.HQ_SIGN_EXPIRED)
                        .signingTime(Instant.parse("2026-03-01T09:00:00Z")).encode()));
        sealed("signer-revoked", "FR-EMB", CERTIFICATE_REVOKED,
                "signed by an HQ-EUR signing certificate revoked (keyCompromise) on 2026-10-01 in the committed CRL",
                sealToFr(documentSignedBy("signer-revoked", Cred.HQ_SIGN_REVOKED).encode()));
        sealed("signer-revoked-backdated", "FR-EMB", CERTIFICATE_REVOKED,
                "revoked (keyCompromise) signer claiming a signing time of 2026-09-01, before the revocation date",
                sealToFr(documentSignedBy("signer-revoked-backdated", Cred.HQ_SIGN_REVOKED)
                        .signingTime(Instant.parse("2026-09-01T09:00:00Z")).encode()));
        sealed("signer-key-agreement-cert", "FR-EMB", KEY_USAGE_INVALID,
                "signed with HQ-EUR's key-agreement key and certificate (keyUsage keyAgreement only)",
                sealToFr(documentSignedBy("signer-key-agreement-cert", Cred.HQ_KA).encode()));
        sealed("signer-staff-tls-cert", "FR-EMB", KEY_USAGE_INVALID,
                "signed with an HQ-EUR staff TLS client certificate (digitalSignature + clientAuth, staff identity)",
                sealToFr(documentSignedBy("signer-staff-tls-cert", Cred.HQ_STAFF_TLS).encode()));
        sealed("signer-root-ca", "FR-EMB", KEY_USAGE_INVALID,
                "signed with the trusted root CA's own key, carrying the root certificate as the signer",
                sealToFr(documentSignedBy("signer-root-ca", Cred.ROOT).certificates(List.of(pki.root())).encode()));

        SignedDataForge first = document("signer-two-signers");
        SignedDataForge second = documentSignedBy("signer-two-signers", Cred.DE_SIGN);
        List<X509Certificate> both = new ArrayList<>(first.certificates());
        both.addAll(second.certificates());
        sealed("signer-two-signers", "FR-EMB", SIGNER_INVALID,
                "two valid signers (HQ-EUR and DE-EMB) over the same content",
                sealToFr(first.certificates(both).encode(first.content(), List.of(first.signerInfo(), second.signerInfo()))));
        SignedDataForge none = document("signer-none");
        sealed("signer-none", "FR-EMB", SIGNER_INVALID, "SignedData with an empty signerInfos SET",
                sealToFr(none.encode(none.content(), List.of())));
        sealed("signer-cert-absent", "FR-EMB", SIGNER_INVALID,
                "valid signature, but the SignedData carries no certificates",
                sealToFr(document("signer-cert-absent").certificates(List.of()).encode()));
        sealed("signer-cert-other", "FR-EMB", SIGNER_INVALID,
                "signed by HQ-EUR, but the certificates field carries only FR-EMB's signing certificate",
                sealToFr(document("signer-cert-other").certificates(List.of(pki.certificate(Cred.FR_SIGN))).encode()));

        SignedDataForge header = document("tampered-signed-header");
        SignerInfo signed = header.signerInfo();
        sealed("tampered-signed-header", "FR-EMB", SIGNATURE_INVALID,
                "header attribute re-encoded with another subject after signing; the old signature kept",
                sealToFr(header.encode(header.content(),
                        List.of(SignedDataForge.withSignedAttributes(signed, changedSubject(signed))))));
        SignedDataForge content = document("tampered-content");
        byte[] altered = content.content();
        altered[0] ^= 0x20;
        sealed("tampered-content", "FR-EMB", SIGNATURE_INVALID,
                "one character of the encapsulated content changed (same length) after signing",
                sealToFr(content.encode(altered, List.of(content.signerInfo()))));
        SignedDataForge signature = document("tampered-signature");
        SignerInfo info = signature.signerInfo();
        byte[] value = info.getEncryptedDigest().getOctets();
        value[value.length - 1] ^= 0x01;
        sealed("tampered-signature", "FR-EMB", SIGNATURE_INVALID,
                "last bit of the ECDSA signature value (inside s) flipped",
                sealToFr(signature.encode(signature.content(), List.of(SignedDataForge.withSignature(info, value)))));
        sealed("signature-by-other-key", "FR-EMB", SIGNATURE_INVALID,
                "names HQ-EUR's signing certificate but was signed with FR-EMB's signing key",
                sealToFr(document("signature-by-other-key").signingKey(pki.credential(Cred.FR_SIGN).privateKey()).encode()));
    }

    /** The signed attributes of {@code info} with the header's subject changed. */
    private static DERSet changedSubject(SignerInfo info) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        for (ASN1Encodable e : info.getAuthenticatedAttributes()) {
            Attribute a = Attribute.getInstance(e);
            if (a.getAttrType().equals(PouchOids.ATTR_DOCUMENT_HEADER)) {
                DocumentHeader h = HeaderCodec.decode(a.getAttrValues().getObjectAt(0),
                        Classification.INTERNAL);
                DocumentHeader changed = DocumentHeader.builder().documentId(h.documentId()).documentNumber(h.documentNumber())
                        .type(h.type()).subject("Please wire the embassy budget to account 12345").sender(h.sender())
                        .actionRecipients(h.actionRecipients()).precedence(h.precedence())
                        .classification(h.classification()).attachments(h.attachments()).build();
                v.add(CmsSigning.attribute(PouchOids.ATTR_DOCUMENT_HEADER, HeaderCodec.encode(changed)));
            } else {
                v.add(a);
            }
        }
        return new DERSet(v);
    }
}
