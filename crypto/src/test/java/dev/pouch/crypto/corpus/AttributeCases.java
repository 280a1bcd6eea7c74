package dev.pouch.crypto.corpus;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.internal.CmsSigning;
import dev.pouch.crypto.internal.Ess;
import dev.pouch.crypto.internal.PouchOids;
import dev.pouch.crypto.internal.SecurityLabels;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.CMSAlgorithmProtection;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import java.util.Date;
import java.util.List;

import static dev.pouch.crypto.CryptoError.ALGORITHM_MISMATCH;
import static dev.pouch.crypto.CryptoError.SECURITY_LABEL_INVALID;
import static dev.pouch.crypto.CryptoError.SIGNED_ATTRIBUTE_MISSING;
import static dev.pouch.crypto.CryptoError.UNSUPPORTED_ALGORITHM;

/**
 * Validly signed documents in authentic envelopes whose signed attributes or signature
 * algorithms break the profile: missing or repeated attributes, bad security labels, algorithm
 * protection that disagrees with what was used, and digests or signatures outside the suite.
 */
final class AttributeCases extends CaseSupport {

    private static final AlgorithmIdentifier SHA1 = new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1);
    private static final AlgorithmIdentifier SHA384 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha384);

    AttributeCases(CorpusPki pki) {
        super(pki);
    }

    @Override
    protected void build() {
        missing("attr-missing-content-type", CMSAttributes.contentType, "content-type");
        missing("attr-missing-signing-time", CMSAttributes.signingTime, "signing-time");
        missing("attr-missing-message-digest", CMSAttributes.messageDigest, "message-digest");
        missing("attr-missing-algorithm-protection", CMSAttributes.cmsAlgorithmProtect, "cmsAlgorithmProtect (RFC 6211)");
        missing("attr-missing-receipt-request", Ess.RECEIPT_REQUEST, "ESS receiptRequest");
        sealed("attr-none", "FR-EMB", SIGNED_ATTRIBUTE_MISSING,
                "signature directly over the content, with no signed attributes at all",
                sealToFr(document("attr-none").noSignedAttributes().encode()));
        sealed("attr-content-type-disagrees", "FR-EMB", SIGNED_ATTRIBUTE_MISSING,
                "eContentType is id-data but the signed content-type attribute says id-ct-receipt",
                sealToFr(document("attr-content-type-disagrees").replace(CMSAttributes.contentType, Ess.CT_RECEIPT).encode()));
        sealed("attr-signing-time-twice", "FR-EMB", SIGNED_ATTRIBUTE_MISSING,
                "two signing-time attributes with different times",
                sealToFr(document("attr-signing-time-twice").add(CmsSigning.attribute(CMSAttributes.signingTime,
                        new Time(Date.from(CorpusPki.NOW.minusSeconds(86_400))))).encode()));

        sealed("label-missing", "FR-EMB", SECURITY_LABEL_INVALID, "no ESS securityLabel attribute",
                sealToFr(document("label-missing").remove(Ess.SECURITY_LABEL).encode()));
        sealed("label-unsigned-only", "FR-EMB", SECURITY_LABEL_INVALID,
                "the classification label moved from the signed to the unsigned attributes",
                sealToFr(document("label-unsigned-only").remove(Ess.SECURITY_LABEL).addUnsigned(
                        CmsSigning.attribute(Ess.SECURITY_LABEL, SecurityLabels.encode(Classification.INTERNAL))).encode()));
        sealed("label-unsigned-override", "FR-EMB", SECURITY_LABEL_INVALID,
                "signed label INTERNAL plus an unsigned label PUBLIC added by someone on the way",
                sealToFr(document("label-unsigned-override").addUnsigned(
                        CmsSigning.attribute(Ess.SECURITY_LABEL, SecurityLabels.encode(Classification.PUBLIC))).encode()));
        sealed("label-foreign-policy", "FR-EMB", SECURITY_LABEL_INVALID,
                "label with classification 2 under a foreign security policy OID (1.3.6.1.4.1.99999.1)",
                sealToFr(document("label-foreign-policy").replace(Ess.SECURITY_LABEL,
                        label(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), 2)).encode()));
        sealed("label-unknown-classification", "FR-EMB", SECURITY_LABEL_INVALID,
                "label under the Pouch policy with classification value 9, which no level has",
                sealToFr(document("label-unknown-classification").replace(Ess.SECURITY_LABEL,
                        label(PouchOids.SECURITY_POLICY, 9)).encode()));

        sealed("alg-protect-digest-mismatch", "FR-EMB", ALGORITHM_MISMATCH,
                "algorithm substitution: SHA-256 is used but the signed cmsAlgorithmProtect names SHA-384",
                sealToFr(document("alg-protect-digest-mismatch").replace(CMSAttributes.cmsAlgorithmProtect,
                        new CMSAlgorithmProtection(SHA384, CMSAlgorithmProtection.SIGNATURE, SignedDataForge.ECDSA_SHA256))
                        .encode()));
        sealed("alg-protect-signature-mismatch", "FR-EMB", ALGORITHM_MISMATCH,
                "algorithm substitution: ecdsa-with-SHA256 is used but cmsAlgorithmProtect names ecdsa-with-SHA512",
                sealToFr(document("alg-protect-signature-mismatch").replace(CMSAttributes.cmsAlgorithmProtect,
                        new CMSAlgorithmProtection(SignedDataForge.SHA256, CMSAlgorithmProtection.SIGNATURE,
                                new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA512))).encode()));
        sealed("alg-protect-mac", "FR-EMB", ALGORITHM_MISMATCH,
                "cmsAlgorithmProtect names a MAC algorithm (hmacWithSHA256) and no signature algorithm",
                sealToFr(document("alg-protect-mac").replace(CMSAttributes.cmsAlgorithmProtect,
                        new CMSAlgorithmProtection(SignedDataForge.SHA256, CMSAlgorithmProtection.MAC,
                                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE))).encode()));
        sealed("alg-digest-sha1", "FR-EMB", UNSUPPORTED_ALGORITHM,
                "downgrade: SHA-1 digest with ecdsa-with-SHA1, consistently declared and protected",
                sealToFr(document("alg-digest-sha1").digest(SHA1, "SHA-1")
                        .signature(new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA1), "SHA1withECDSA").encode()));
        sealed("alg-digest-sha384", "FR-EMB", UNSUPPORTED_ALGORITHM,
                "SHA-384 digest with ecdsa-with-SHA384, consistently declared and protected",
                sealToFr(document("alg-digest-sha384").digest(SHA384, "SHA-384")
                        .signature(new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA384), "SHA384withECDSA").encode()));
        SignedDataForge hidden = document("alg-digest-sha384-undeclared").digest(SHA384, "SHA-384")
                .signature(new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA384), "SHA384withECDSA");
        sealed("alg-digest-sha384-undeclared", "FR-EMB", UNSUPPORTED_ALGORITHM,
                "SignedData.digestAlgorithms lists only SHA-256 but the signer info uses SHA-384",
                sealToFr(SignedDataForge.assemble(CMSObjectIdentifiers.data, hidden.content(),
                        List.of(SignedDataForge.SHA256), hidden.certificates(), List.of(hidden.signerInfo()))));
        sealed("alg-signature-ecdsa-sha384", "FR-EMB", UNSUPPORTED_ALGORITHM,
                "SHA-256 digest but signed with ecdsa-with-SHA384 (consistently protected)",
                sealToFr(document("alg-signature-ecdsa-sha384")
                        .signature(new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA384), "SHA384withECDSA").encode()));
        sealed("alg-signature-null-params", "FR-EMB", UNSUPPORTED_ALGORITHM,
                "ecdsa-with-SHA256 with explicit NULL parameters (RFC 5758 says absent)",
                sealToFr(document("alg-signature-null-params")
                        .signature(new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256, DERNull.INSTANCE),
                                "SHA256withECDSA").encode()));
    }

    private void missing(String name, ASN1ObjectIdentifier type, String what) {
        sealed(name, "FR-EMB", SIGNED_ATTRIBUTE_MISSING, "no " + what + " signed attribute",
                sealToFr(document(name).remove(type).encode()));
    }

    /** An ESS security label with the given policy and classification. */
    private static DERSet label(ASN1ObjectIdentifier policy, int classification) {
        return new DERSet(new ASN1Encodable[] {policy, new ASN1Integer(classification), new DERUTF8String("INTERNAL 内部")});
    }
}
