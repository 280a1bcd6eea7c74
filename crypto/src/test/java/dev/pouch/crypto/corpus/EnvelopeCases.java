package dev.pouch.crypto.corpus;

import dev.pouch.crypto.corpus.CorpusPki.Cred;
import dev.pouch.crypto.internal.Aes;
import dev.pouch.crypto.internal.Bc;
import dev.pouch.crypto.internal.Kari;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import java.security.cert.X509Certificate;

import static dev.pouch.crypto.CryptoError.DECRYPTION_FAILED;
import static dev.pouch.crypto.CryptoError.MALFORMED;
import static dev.pouch.crypto.CryptoError.NOT_A_RECIPIENT;
import static dev.pouch.crypto.CryptoError.OPENER_NOT_ADDRESSED;
import static dev.pouch.crypto.CryptoError.UNSUPPORTED_ALGORITHM;

/**
 * Envelopes around a well-formed signed document that break the encryption layer: refused
 * algorithms and parameters, tampered ciphertext, tag or wrapped key, wrong keys, and openers the
 * envelope or the signed header does not name.
 */
final class EnvelopeCases extends CaseSupport {

    EnvelopeCases(CorpusPki pki) {
        super(pki);
    }

    @Override
    protected void build() {
        X509Certificate fr = pki.certificate(Cred.FR_KA);
        X509Certificate archive = pki.certificate(Cred.ARCHIVE_KA);

        sealed("alg-aes128-gcm", "FR-EMB", UNSUPPORTED_ALGORITHM,
                "content encrypted with AES-128-GCM (16-byte key, correctly wrapped) instead of AES-256-GCM",
                envelope("alg-aes128-gcm").contentKey(Bc.randomBytes(16)).contentAlgorithm(NISTObjectIdentifiers.id_aes128_GCM)
                        .to(fr, archive).encode());
        sealed("alg-gcm-icv-12", "FR-EMB", UNSUPPORTED_ALGORITHM,
                "AES-256-GCM with a 12-byte tag: GCMParameters carries the DEFAULT aes-ICVlen 12 (field omitted)",
                envelope("alg-gcm-icv-12").tagBytes(12).to(fr, archive).encode());
        sealed("alg-gcm-nonce-16", "FR-EMB", UNSUPPORTED_ALGORITHM,
                "AES-256-GCM with a 16-byte nonce instead of 12",
                envelope("alg-gcm-nonce-16").nonceBytes(16).to(fr, archive).encode());
        sealed("alg-kari-sha1-kdf", "FR-EMB", UNSUPPORTED_ALGORITHM,
                "FR-EMB's key agreed with dhSinglePass-stdDH-sha1kdf-scheme (X9.63 KDF over SHA-1), genuinely wrapped",
                envelope("alg-kari-sha1-kdf").to(RecipientForge.addressedTo(fr)
                        .scheme(X9ObjectIdentifiers.dhSinglePass_stdDH_sha1kdf_scheme, "SHA-1")).to(archive).encode());
        sealed("alg-kari-aes128-wrap", "FR-EMB", UNSUPPORTED_ALGORITHM,
                "FR-EMB's content key wrapped with id-aes128-wrap under a 128-bit KEK",
                envelope("alg-kari-aes128-wrap").to(RecipientForge.addressedTo(fr)
                        .wrap(NISTObjectIdentifiers.id_aes128_wrap, 16)).to(archive).encode());
        sealed("kari-static-originator", "FR-EMB", UNSUPPORTED_ALGORITHM,
                "KARI whose originator is HQ-EUR's key-agreement certificate (static-static ECDH), not an ephemeral key",
                envelope("kari-static-originator").to(RecipientForge.addressedTo(fr)
                        .originator(RecipientForge.staticOriginator(pki.certificate(Cred.HQ_KA)))).to(archive).encode());
        sealed("kari-off-curve-point", "FR-EMB", MALFORMED,
                "invalid-curve attack: the ephemeral originator point (1, 1) is not on P-256",
                envelope("kari-off-curve-point").to(RecipientForge.addressedTo(fr)
                        .originator(RecipientForge.offCurveOriginator())).to(archive).encode());
        sealed("kari-infinity-point", "FR-EMB", MALFORMED,
                "the ephemeral originator key is the point at infinity (single octet 00)",
                envelope("kari-infinity-point").to(RecipientForge.addressedTo(fr)
                        .originator(RecipientForge.infinityOriginator())).to(archive).encode());

        sealed("tampered-ciphertext", "FR-EMB", DECRYPTION_FAILED,
                "one bit of the AES-GCM ciphertext flipped",
                envelope("tampered-ciphertext").to(fr, archive).flipCiphertext().encode());
        sealed("tampered-gcm-tag", "FR-EMB", DECRYPTION_FAILED, "one bit of the 16-byte GCM tag (mac) flipped",
                envelope("tampered-gcm-tag").to(fr, archive).flipTag().encode());
        sealed("tampered-wrapped-key", "FR-EMB", DECRYPTION_FAILED,
                "one bit of the AES-wrapped content key in FR-EMB's recipient info flipped",
                envelope("tampered-wrapped-key").to(RecipientForge.addressedTo(fr).tamperWrappedKey()).to(archive).encode());
        sealed("wrong-recipient-key", "FR-EMB", DECRYPTION_FAILED,
                "recipient info addressed to FR-EMB's certificate but the key was agreed with DE-EMB's public key",
                envelope("wrong-recipient-key").to(RecipientForge.addressedTo(fr)
                        .agreeWith(pki.certificate(Cred.DE_KA).getPublicKey())).to(archive).encode());
        byte[] otherKey = Aes.newKey();
        sealed("wrong-content-key", "FR-EMB", DECRYPTION_FAILED,
                "the recipient infos correctly wrap a different AES-256 key than the one that encrypted the content",
                envelope("wrong-content-key").recipient(cek -> Kari.forRecipient(fr, otherKey))
                        .recipient(cek -> Kari.forRecipient(archive, otherKey)).encode());

        sealed("not-a-recipient", "DE-EMB", NOT_A_RECIPIENT,
                "sealed to FR-EMB and the archive only, opened by DE-EMB",
                sealToFr(document("not-a-recipient").encode()));
        sealed("archive-not-a-recipient", "ARCHIVE", NOT_A_RECIPIENT,
                "sealed to FR-EMB only (no archive copy), opened by the archive",
                EnvelopeForge.seal(document("archive-not-a-recipient").encode(), fr));
        sealed("opener-not-addressed", "IT-EMB", OPENER_NOT_ADDRESSED,
                "validly signed header addresses only FR-EMB, but the envelope is (maliciously) also encrypted to IT-EMB; IT-EMB opens it",
                EnvelopeForge.seal(document("opener-not-addressed").encode(), fr, pki.certificate(Cred.IT_KA), archive));
    }

    /** An envelope around a well-formed signed document from HQ-EUR to FR-EMB; recipients still to add. */
    private EnvelopeForge envelope(String name) {
        return EnvelopeForge.of(document(name).encode());
    }
}
