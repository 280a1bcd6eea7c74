package dev.pouch.crypto.corpus;

import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.pki.KeyCredential;
import org.bouncycastle.asn1.cms.SignerInfo;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Hostile sealed documents for other modules' tests (which do not touch Bouncy Castle): genuine
 * envelopes that open, around signed data that must not verify.
 */
public final class Forgeries {

    private Forgeries() {
    }

    /**
     * A document sealed exactly as {@code CmsSealer} would, for {@code recipients}, except that
     * the last bit of the ECDSA signature value is flipped: it decrypts, then fails with
     * {@code SIGNATURE_INVALID}.
     */
    public static byte[] tamperedSignature(KeyCredential signer, DocumentHeader header, byte[] content,
            List<X509Certificate> recipients) {
        SignedDataForge document = SignedDataForge.document(signer, header, content);
        SignerInfo info = document.signerInfo();
        byte[] value = info.getEncryptedDigest().getOctets();
        value[value.length - 1] ^= 0x01;
        byte[] inner = document.encode(document.content(), List.of(SignedDataForge.withSignature(info, value)));
        return EnvelopeForge.seal(inner, recipients.toArray(X509Certificate[]::new));
    }
}
