package dev.pouch.crypto.internal;

import dev.pouch.crypto.AlgorithmSuite;
import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.cms.KEKIdentifier;
import org.bouncycastle.asn1.cms.KEKRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;

/**
 * CMS {@code AuthEnvelopedData} (RFC 5083) with AES-256-GCM (RFC 5084), built and read by hand so
 * that the content is encrypted once, by the JDK, with no authenticated attributes (OpenSSL 3.0
 * cannot parse them) and a 16-byte tag.
 */
public final class AuthEnvelope {

    private AuthEnvelope() {
    }

    /** The parts of a parsed envelope that decryption needs. */
    public record Parsed(ASN1Set recipientInfos, ASN1ObjectIdentifier contentType, byte[] nonce,
            byte[] ciphertext, byte[] tag) {
    }

    /** Encrypts {@code plaintext} under {@code cek} and encodes the envelope as DER. */
    public static byte[] seal(ASN1ObjectIdentifier contentType, byte[] plaintext, byte[] cek, List<RecipientInfo> recipients) {
        byte[] nonce = Bc.randomBytes(Aes.GCM_NONCE_BYTES);
        Aes.prepareFor(plaintext.length);
        byte[] ciphertext = new byte[plaintext.length];
        byte[] tag = new byte[Aes.GCM_TAG_BYTES];
        try {
            Cipher cipher = Aes.gcmEncryptor(cek, nonce);
            int n = 0;
            for (int off = 0; off < plaintext.length; off += Aes.STREAM_PIECE) {
                n += cipher.update(plaintext, off, Math.min(Aes.STREAM_PIECE, plaintext.length - off), ciphertext, n);
            }
            byte[] tail = cipher.doFinal();
            int rest = tail.length - Aes.GCM_TAG_BYTES;
            System.arraycopy(tail, 0, ciphertext, n, rest);
            System.arraycopy(tail, rest, tag, 0, Aes.GCM_TAG_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        EncryptedContentInfo eci = new EncryptedContentInfo(contentType, gcmAlgorithm(nonce), new DEROctetString(ciphertext));
        ASN1EncodableVector ris = new ASN1EncodableVector(recipients.size());
        recipients.forEach(ris::add);
        AuthEnvelopedData data = new AuthEnvelopedData(null, new DERSet(ris), eci, null, new DEROctetString(tag), null);
        return Der.encode(new ContentInfo(CMSObjectIdentifiers.authEnvelopedData, data));
    }

    /**
     * Streams one part of a large document: {@code length} bytes of {@code plain} become a DER
     * {@code AuthEnvelopedData} whose content key is wrapped under the bulk key
     * ({@code KEKRecipientInfo}). Memory use is one buffer, whatever the length.
     *
     * @return SHA-256 of the plaintext and of the sealed bytes, in that order
     */
    public static byte[][] writePart(OutputStream out, InputStream plain, long length, byte[] bulkKeyId, byte[] bulkKey)
            throws IOException {
        byte[] cek = Aes.newKey();
        byte[] nonce = Bc.randomBytes(Aes.GCM_NONCE_BYTES);
        RecipientInfo kekri = kekRecipient(bulkKeyId, bulkKey, cek);
        byte[] prefix = partPrefix(length, kekri, nonce);
        MessageDigest plainDigest = Aes.sha256();
        MessageDigest sealedDigest = Aes.sha256();
        Aes.prepareFor(length);
        Cipher cipher = Aes.gcmEncryptor(cek, nonce);
        Arrays.fill(cek, (byte) 0);
        out.write(prefix);
        sealedDigest.update(prefix);
        byte[] buffer = new byte[Aes.STREAM_PIECE];
        long remaining = length;
        try {
            while (remaining > 0) {
                int n = plain.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    throw new IOException("content ended " + remaining + " bytes early");
                }
                plainDigest.update(buffer, 0, n);
                byte[] ct = cipher.update(buffer, 0, n);
                if (ct != null && ct.length > 0) {
                    out.write(ct);
                    sealedDigest.update(ct);
                }
                remaining -= n;
            }
            byte[] last = cipher.doFinal();
            int ctTail = last.length - Aes.GCM_TAG_BYTES;
            out.write(last, 0, ctTail);
            sealedDigest.update(last, 0, ctTail);
            byte[] macHeader = {0x04, Aes.GCM_TAG_BYTES};
            out.write(macHeader);
            sealedDigest.update(macHeader);
            out.write(last, ctTail, Aes.GCM_TAG_BYTES);
            sealedDigest.update(last, ctTail, Aes.GCM_TAG_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        return new byte[][] {plainDigest.digest(), sealedDigest.digest()};
    }

    /** Exact DER size of a part holding {@code length} plaintext bytes. */
    public static long partSize(long length) {
        return partPrefix(length, kekRecipient(new byte[16], new byte[32], new byte[32]), new byte[12]).length
                + length + 2 + Aes.GCM_TAG_BYTES;
    }

    private static byte[] partPrefix(long length, RecipientInfo kekri, byte[] nonce) {
        // ContentInfo { authEnvelopedData, [0] { version 0, SET {kekri}, ECI { id-data, alg, [0] ct }, mac } }
        ByteArrayOutputStream eciHead = new ByteArrayOutputStream();
        writeBytes(eciHead, Der.encode(CMSObjectIdentifiers.data));
        writeBytes(eciHead, Der.encode(gcmAlgorithm(nonce)));
        eciHead.write(0x80);
        writeBytes(eciHead, lengthOctets(length));
        long eciLength = eciHead.size() + length;

        byte[] version = {0x02, 0x01, 0x00};
        byte[] ris = Der.encode(new DERSet(kekri));
        long aedLength = version.length + ris.length + 1 + lengthOctets(eciLength).length + eciLength + 2 + Aes.GCM_TAG_BYTES;
        byte[] oid = Der.encode(CMSObjectIdentifiers.authEnvelopedData);
        long explicitLength = 1 + lengthOctets(aedLength).length + aedLength;
        long ciLength = oid.length + 1 + lengthOctets(explicitLength).length + explicitLength;

        ByteArrayOutputStream prefix = new ByteArrayOutputStream();
        prefix.write(0x30);
        writeBytes(prefix, lengthOctets(ciLength));
        writeBytes(prefix, oid);
        prefix.write(0xA0);
        writeBytes(prefix, lengthOctets(explicitLength));
        prefix.write(0x30);
        writeBytes(prefix, lengthOctets(aedLength));
        writeBytes(prefix, version);
        writeBytes(prefix, ris);
        prefix.write(0x30);
        writeBytes(prefix, lengthOctets(eciLength));
        writeBytes(prefix, eciHead.toByteArray());
        return prefix.toByteArray();
    }

    private static byte[] lengthOctets(long length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        int bytes = (Long.SIZE - Long.numberOfLeadingZeros(length) + 7) / 8;
        byte[] out = new byte[1 + bytes];
        out[0] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            out[bytes - i] = (byte) (length >>> (8 * i));
        }
        return out;
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes, 0, bytes.length);
    }

    /** A {@code KEKRecipientInfo} wrapping {@code cek} under the bulk key. */
    public static RecipientInfo kekRecipient(byte[] keyId, byte[] bulkKey, byte[] cek) {
        KEKRecipientInfo info = new KEKRecipientInfo(new KEKIdentifier(keyId, null, null),
                new AlgorithmIdentifier(AlgorithmSuite.INTL.keyWrap()), new DEROctetString(Aes.wrap(bulkKey, cek)));
        return new RecipientInfo(info);
    }

    /** Reads an envelope and checks everything about it that can be checked without a key. */
    public static Parsed parse(byte[] encoded) {
        ContentInfo info = Der.parse(encoded, "sealed document", ContentInfo::getInstance);
        if (!CMSObjectIdentifiers.authEnvelopedData.equals(info.getContentType())) {
            throw new CryptoException(CryptoError.UNSUPPORTED_CONTENT_TYPE,
                    "expected AuthEnvelopedData, found " + info.getContentType());
        }
        AuthEnvelopedData data = Der.convert(info.getContent(), "AuthEnvelopedData", AuthEnvelopedData::getInstance);
        if (data.getVersion().intValueExact() != 0) {
            throw new CryptoException(CryptoError.MALFORMED, "AuthEnvelopedData version must be 0");
        }
        if (data.getAuthAttrs() != null || data.getUnauthAttrs() != null) {
            throw new CryptoException(CryptoError.UNSUPPORTED_CONTENT_TYPE, "envelope attributes are not used by Pouch");
        }
        EncryptedContentInfo eci = data.getAuthEncryptedContentInfo();
        AlgorithmIdentifier algorithm = eci.getContentEncryptionAlgorithm();
        AlgorithmSuite.require(AlgorithmSuite.INTL.contentEncryption(), algorithm.getAlgorithm(), "content encryption");
        GCMParameters gcm = Der.convert(algorithm.getParameters(), "GCM parameters", GCMParameters::getInstance);
        if (gcm.getNonce().length != Aes.GCM_NONCE_BYTES || gcm.getIcvLen() != Aes.GCM_TAG_BYTES) {
            throw new CryptoException(CryptoError.UNSUPPORTED_ALGORITHM,
                    "GCM must use a 12-byte nonce and a 16-byte tag");
        }
        byte[] tag = data.getMac().getOctets();
        if (tag.length != Aes.GCM_TAG_BYTES) {
            throw new CryptoException(CryptoError.MALFORMED, "authentication tag must be 16 bytes");
        }
        if (eci.getEncryptedContent() == null) {
            throw new CryptoException(CryptoError.CONTENT_EMPTY, "the envelope carries no encrypted content");
        }
        return new Parsed(data.getRecipientInfos(), eci.getContentType(), gcm.getNonce(),
                eci.getEncryptedContent().getOctets(), tag);
    }

    /** Authenticated decryption; tampering anywhere in ciphertext or tag fails with {@code DECRYPTION_FAILED}. */
    public static byte[] decrypt(Parsed parsed, byte[] cek) {
        return Aes.gcmDecrypt(cek, parsed.nonce(), parsed.ciphertext(), parsed.tag());
    }

    /** Recovers a part's content key from its {@code KEKRecipientInfo}. */
    public static byte[] unwrapPartKey(Parsed parsed, byte[] bulkKeyId, byte[] bulkKey) {
        for (ASN1Encodable element : parsed.recipientInfos()) {
            RecipientInfo ri = Der.convert(element, "recipient info", RecipientInfo::getInstance);
            if (Der.convert(ri, "recipient info", o -> ((RecipientInfo) o).getInfo()) instanceof KEKRecipientInfo kek) {
                if (Arrays.equals(kek.getKekid().getKeyIdentifier().getOctets(), bulkKeyId)) {
                    AlgorithmSuite.require(AlgorithmSuite.INTL.keyWrap(), kek.getKeyEncryptionAlgorithm().getAlgorithm(), "key wrap");
                    return Aes.unwrap(bulkKey, kek.getEncryptedKey().getOctets());
                }
            }
        }
        throw new CryptoException(CryptoError.NOT_A_RECIPIENT, "the part is not encrypted under this document's bulk key");
    }

    static AlgorithmIdentifier gcmAlgorithm(byte[] nonce) {
        return new AlgorithmIdentifier(AlgorithmSuite.INTL.contentEncryption(), new GCMParameters(nonce, Aes.GCM_TAG_BYTES));
    }
}
