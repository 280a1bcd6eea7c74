package dev.pouch.crypto.receipt;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.internal.Aes;
import dev.pouch.crypto.internal.CmsSigning;
import dev.pouch.crypto.internal.Der;
import dev.pouch.crypto.internal.Ess;
import dev.pouch.crypto.internal.SignedDataVerifier;
import dev.pouch.crypto.pki.CertificateUsage;
import dev.pouch.crypto.pki.CertificateValidator;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.IdentityKind;
import dev.pouch.crypto.pki.KeyCredential;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;

import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** ESS signed receipts (RFC 2634 §2.7–2.8): the {@link ReceiptSigner} and {@link ReceiptVerifier}. */
public final class EssReceipts {

    /** Receipts larger than this are refused unread. */
    public static final int MAX_RECEIPT_SIZE = 64 * 1024;

    private EssReceipts() {
    }

    /** A signer for the organization whose document-signing credential is given. */
    public static ReceiptSigner signer(KeyCredential signing, CertificateValidator validator, Clock clock) {
        Objects.requireNonNull(signing);
        Objects.requireNonNull(validator);
        Objects.requireNonNull(clock);
        return original -> {
            Identity own = validator.validate(signing.chain(), CertificateUsage.DOCUMENT_SIGNING, ValidationTime.now()).identity();
            OrgCode org = own.requireOrganization();
            if (!original.recipients().contains(org)) {
                throw new CryptoException(CryptoError.INVALID_REQUEST,
                        org + " is not a recipient of " + original.documentId() + " and cannot sign a receipt for it");
            }
            Ess.Receipt receipt = new Ess.Receipt(new ASN1ObjectIdentifier(original.contentTypeOid()),
                    original.signedContentIdentifier(), original.signatureValue());
            byte[] msgSigDigest = Aes.sha256().digest(original.signedAttributes());
            byte[] encoded = CmsSigning.sign(signing, Ess.CT_RECEIPT, Der.encode(receipt.toAsn1()), clock.instant(),
                    List.of(CmsSigning.attribute(Ess.MSG_SIG_DIGEST, new DEROctetString(msgSigDigest)))).join();
            return new SignedReceipt(original.documentId(), org, encoded);
        };
    }

    /** A verifier that validates receipt signers with {@code validator}. */
    public static ReceiptVerifier verifier(CertificateValidator validator) {
        Objects.requireNonNull(validator);
        return (receipt, original, at) -> {
            if (receipt.length > MAX_RECEIPT_SIZE) {
                throw new CryptoException(CryptoError.LIMIT_EXCEEDED, "receipt larger than " + MAX_RECEIPT_SIZE + " bytes");
            }
            SignedDataVerifier.Verified v = SignedDataVerifier.verify(receipt, Set.of(Ess.CT_RECEIPT),
                    Map.of(Ess.MSG_SIG_DIGEST, CryptoError.RECEIPT_INVALID),
                    Map.of(Ess.MSG_SIG_DIGEST, CryptoError.RECEIPT_INVALID), validator, at);
            if (v.signedAttributes().get(Ess.RECEIPT_REQUEST) != null) {
                throw new CryptoException(CryptoError.RECEIPT_INVALID, "a receipt must not request a receipt");
            }
            Ess.Receipt r = Ess.Receipt.fromAsn1(Der.parse(v.contentBytes(), "receipt content"));
            boolean matches = r.contentType().getId().equals(original.contentTypeOid())
                    && MessageDigest.isEqual(r.signedContentIdentifier(), original.signedContentIdentifier())
                    && MessageDigest.isEqual(r.originatorSignatureValue(), original.signatureValue());
            if (!matches) {
                throw new CryptoException(CryptoError.RECEIPT_INVALID, "the receipt is for another document or signature");
            }
            byte[] digest;
            try {
                digest = ASN1OctetString.getInstance(v.value(Ess.MSG_SIG_DIGEST)).getOctets();
            } catch (RuntimeException e) {
                throw new CryptoException(CryptoError.RECEIPT_INVALID, "unreadable msgSigDigest", e);
            }
            if (!MessageDigest.isEqual(digest, Aes.sha256().digest(original.signedAttributes()))) {
                throw new CryptoException(CryptoError.RECEIPT_INVALID, "msgSigDigest does not match the original's signed attributes");
            }
            Identity signer = v.certificate().identity();
            if (signer.kind() != IdentityKind.ORGANIZATION || !original.recipients().contains(signer.requireOrganization())) {
                throw new CryptoException(CryptoError.RECEIPT_INVALID, signer + " is not a recipient of " + original.documentId());
            }
            return new VerifiedReceipt(original.documentId(), signer.requireOrganization(), v.claimedSigningTime(), v.certificate());
        };
    }
}
