package dev.pouch.crypto.internal;

import dev.pouch.crypto.AlgorithmSuite;
import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.cms.KEKIdentifier;
import org.bouncycastle.asn1.cms.KEKRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;

/**
 * CMS {@code AuthEnvelopedData} (RFC 5083) with AES-256-GCM (RFC 5084), written and read by hand:
 * the content is encrypted once, by the JDK, straight into the output; no envelope attributes
 * (OpenSSL 3.0 cannot parse them); a 16-byte tag. Reading walks the DER by offsets and decrypts
 * the ciphertext in place; BER input (as OpenSSL writes it) is first normalised to DER.
 */
public final class AuthEnvelope {

    private static final int MAC_ELEMENT = 2 + Aes.GCM_TAG_BYTES;

    private AuthEnvelope() {
    }

    /** The parts of a parsed envelope that decryption needs; the ciphertext stays in {@code buffer}. */
    public record Parsed(ASN1Set recipientInfos, ASN1ObjectIdentifier contentType, byte[] nonce,
            byte[] buffer, int ciphertextOffset, int ciphertextLength, byte[] tag) {
    }

    /** The DER up to the first ciphertext byte: ContentInfo, version, recipients, content algorithm. */
    private static byte[] header(ASN1ObjectIdentifier contentType, byte[] recipientInfos, byte[] nonce, long plaintextLength) {
        byte[] oid = Der.encode(CMSObjectIdentifiers.authEnvelopedData);
        byte[] version = Der.encode(new ASN1Integer(0));
        byte[] type = Der.encode(contentType);
        byte[] algorithm = Der.encode(gcmAlgorithm(nonce));
        long eciBody = type.length + algorithm.length + DerWriter.elementLength(plaintextLength);
        long aedBody = version.length + recipientInfos.length + DerWriter.elementLength(eciBody) + MAC_ELEMENT;
        long aed = DerWriter.elementLength(aedBody);
        long ciBody = oid.length + DerWriter.elementLength(aed);
        int length = DerWriter.headerLength(ciBody) + oid.length + DerWriter.headerLength(aed) + DerWriter.headerLength(aedBody)
                + version.length + recipientInfos.length + DerWriter.headerLength(eciBody) + type.length + algorithm.length
                + DerWriter.headerLength(plaintextLength);
        byte[] header = new byte[length];
        new DerWriter(header, 0)
                .header(0x30, ciBody).bytes(oid)
                .header(0xA0, aed)
                .header(0x30, aedBody).bytes(version).bytes(recipientInfos)
                .header(0x30, eciBody).bytes(type).bytes(algorithm)
                .header(0x80, plaintextLength);
        return header;
    }

    /** Encrypts a signed document under {@code cek} for the given recipients; one allocation, one pass. */
    public static byte[] seal(ASN1ObjectIdentifier contentType, CmsSigning.SignedPieces plaintext, byte[] cek,
            List<RecipientInfo> recipients) {
        ASN1EncodableVector ris = new ASN1EncodableVector(recipients.size());
        recipients.forEach(ris::add);
        byte[] nonce = Bc.randomBytes(Aes.GCM_NONCE_BYTES);
        long length = plaintext.length();
        Aes.prepareFor(length);
        byte[] header = header(contentType, Der.encode(new DERSet(ris)), nonce, length);
        long total = header.length + length + MAC_ELEMENT;
        if (total > Integer.MAX_VALUE - 16) {
            throw new CryptoException(CryptoError.LIMIT_EXCEEDED, "too large to seal in memory");
        }
        byte[] out = new byte[(int) total];
        System.arraycopy(header, 0, out, 0, header.length);
        int pos = header.length;
        try {
            Cipher cipher = Aes.gcmEncryptor(cek, nonce);
            pos += cipher.update(plaintext.prefix(), 0, plaintext.prefix().length, out, pos);
            byte[] content = plaintext.content();
            for (int off = 0; off < content.length; off += Aes.STREAM_PIECE) {
                pos += cipher.update(content, off, Math.min(Aes.STREAM_PIECE, content.length - off), out, pos);
            }
            pos += cipher.update(plaintext.suffix(), 0, plaintext.suffix().length, out, pos);
            byte[] tail = cipher.doFinal();
            int rest = tail.length - Aes.GCM_TAG_BYTES;
            System.arraycopy(tail, 0, out, pos, rest);
            pos += rest;
            out[pos++] = 0x04;
            out[pos++] = Aes.GCM_TAG_BYTES;
            System.arraycopy(tail, rest, out, pos, Aes.GCM_TAG_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        return out;
    }

    /**
     * Streams one part of a large document: {@code length} bytes of {@code plain} become a DER
     * {@code AuthEnvelopedData} whose content key is wrapped under the bulk key
     * ({@code KEKRecipientInfo}). Memory use is one 64 KiB buffer, whatever the length.
     *
     * @return SHA-256 of the plaintext and of the sealed bytes, in that order
     */
    public static byte[][] writePart(OutputStream out, InputStream plain, long length, byte[] bulkKeyId, byte[] bulkKey)
            throws IOException {
        byte[] cek = Aes.newKey();
        byte[] nonce = Bc.randomBytes(Aes.GCM_NONCE_BYTES);
        byte[] header = header(CMSObjectIdentifiers.data, Der.encode(new DERSet(kekRecipient(bulkKeyId, bulkKey, cek))), nonce, length);
        MessageDigest plainDigest = Aes.sha256();
        MessageDigest sealedDigest = Aes.sha256();
        Aes.prepareFor(length);
        Cipher cipher = Aes.gcmEncryptor(cek, nonce);
        Arrays.fill(cek, (byte) 0);
        out.write(header);
        sealedDigest.update(header);
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
            byte[] tail = cipher.doFinal();
            int rest = tail.length - Aes.GCM_TAG_BYTES;
            byte[] mac = new byte[MAC_ELEMENT];
            mac[0] = 0x04;
            mac[1] = Aes.GCM_TAG_BYTES;
            System.arraycopy(tail, rest, mac, 2, Aes.GCM_TAG_BYTES);
            out.write(tail, 0, rest);
            sealedDigest.update(tail, 0, rest);
            out.write(mac);
            sealedDigest.update(mac);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        return new byte[][] {plainDigest.digest(), sealedDigest.digest()};
    }

    /** A {@code KEKRecipientInfo} wrapping {@code cek} under the bulk key. */
    public static RecipientInfo kekRecipient(byte[] keyId, byte[] bulkKey, byte[] cek) {
        KEKRecipientInfo info = new KEKRecipientInfo(new KEKIdentifier(keyId, null, null),
                new AlgorithmIdentifier(AlgorithmSuite.INTL.keyWrap()), new DEROctetString(Aes.wrap(bulkKey, cek)));
        return new RecipientInfo(info);
    }

    /** Reads an envelope and checks everything about it that can be checked without a key. */
    public static Parsed parse(byte[] encoded) {
        try {
            return parseDer(encoded);
        } catch (DerReader.NotDer e) {
            return parseDer(Der.normalise(encoded, "sealed document"));
        }
    }

    private static Parsed parseDer(byte[] bytes) {
        DerReader top = DerReader.of(bytes);
        DerReader.Tlv contentInfo = top.next(0x30, "ContentInfo");
        top.end("sealed document");
        DerReader ci = contentInfo.children();
        ASN1ObjectIdentifier type = Der.oid(ci.next(0x06, "content type"));
        if (!CMSObjectIdentifiers.authEnvelopedData.equals(type)) {
            throw new CryptoException(CryptoError.UNSUPPORTED_CONTENT_TYPE, "expected AuthEnvelopedData, found " + type);
        }
        DerReader explicit = ci.next(0xA0, "content").children();
        ci.end("ContentInfo");
        DerReader aed = explicit.next(0x30, "AuthEnvelopedData").children();
        explicit.end("content");
        if (Der.integer(aed.next(0x02, "version")) != 0) {
            throw new CryptoException(CryptoError.MALFORMED, "AuthEnvelopedData version must be 0");
        }
        if (aed.peekTag() == 0xA0) {
            aed.next(); // originatorInfo: certificates we do not need
        }
        ASN1Set recipientInfos = Der.parse(aed.next(0x31, "recipientInfos").encoding(), "recipient infos", ASN1Set::getInstance);
        DerReader eci = aed.next(0x30, "EncryptedContentInfo").children();
        ASN1ObjectIdentifier contentType = Der.oid(eci.next(0x06, "encrypted content type"));
        AlgorithmIdentifier algorithm = Der.parse(eci.next(0x30, "content encryption algorithm").encoding(),
                "content encryption algorithm", AlgorithmIdentifier::getInstance);
        AlgorithmSuite.require(AlgorithmSuite.INTL.contentEncryption(), algorithm.getAlgorithm(), "content encryption");
        GCMParameters gcm = Der.convert(algorithm.getParameters(), "GCM parameters", GCMParameters::getInstance);
        if (gcm.getNonce().length != Aes.GCM_NONCE_BYTES || gcm.getIcvLen() != Aes.GCM_TAG_BYTES) {
            throw new CryptoException(CryptoError.UNSUPPORTED_ALGORITHM, "GCM must use a 12-byte nonce and a 16-byte tag");
        }
        if (!eci.hasNext()) {
            throw new CryptoException(CryptoError.CONTENT_EMPTY, "the envelope carries no encrypted content");
        }
        if (eci.peekTag() == 0xA0) {
            throw new DerReader.NotDer(); // constructed (segmented) ciphertext: BER, normalise
        }
        DerReader.Tlv ciphertext = eci.next(0x80, "encrypted content");
        eci.end("EncryptedContentInfo");
        if (aed.peekTag() == 0xA1) {
            throw new CryptoException(CryptoError.UNSUPPORTED_CONTENT_TYPE, "authenticated envelope attributes are not used by Pouch");
        }
        if (!CMSObjectIdentifiers.data.equals(contentType)) {
            // RFC 5083 §2.1: content other than id-data requires authenticated attributes, so this cannot be well-formed.
            throw new CryptoException(CryptoError.MALFORMED, "content type " + contentType + " without authenticated attributes");
        }
        byte[] tag = aed.next(0x04, "mac").contents();
        if (tag.length != Aes.GCM_TAG_BYTES) {
            throw new CryptoException(CryptoError.MALFORMED, "authentication tag must be 16 bytes");
        }
        if (aed.peekTag() == 0xA2) {
            throw new CryptoException(CryptoError.UNSUPPORTED_CONTENT_TYPE, "unauthenticated envelope attributes are not used by Pouch");
        }
        aed.end("AuthEnvelopedData");
        return new Parsed(recipientInfos, contentType, gcm.getNonce(), bytes, ciphertext.contentStart(),
                ciphertext.contentLength(), tag);
    }

    /** Authenticated decryption; tampering anywhere in ciphertext or tag fails with {@code DECRYPTION_FAILED}. */
    public static byte[] decrypt(Parsed parsed, byte[] cek) {
        return Aes.gcmDecrypt(cek, parsed.nonce(), parsed.buffer(), parsed.ciphertextOffset(), parsed.ciphertextLength(),
                parsed.tag());
    }

    /** Recovers a part's content key from its {@code KEKRecipientInfo}. */
    public static byte[] unwrapPartKey(Parsed parsed, byte[] bulkKeyId, byte[] bulkKey) {
        for (ASN1Encodable element : parsed.recipientInfos()) {
            RecipientInfo ri = Der.convert(element, "recipient info", RecipientInfo::getInstance);
            if (Der.convert(ri, "recipient info", o -> ((RecipientInfo) o).getInfo()) instanceof KEKRecipientInfo kek
                    && Arrays.equals(kek.getKekid().getKeyIdentifier().getOctets(), bulkKeyId)) {
                AlgorithmSuite.require(AlgorithmSuite.INTL.keyWrap(), kek.getKeyEncryptionAlgorithm().getAlgorithm(), "key wrap");
                return Aes.unwrap(bulkKey, kek.getEncryptedKey().getOctets());
            }
        }
        throw new CryptoException(CryptoError.NOT_A_RECIPIENT, "the part is not encrypted under this document's bulk key");
    }

    static AlgorithmIdentifier gcmAlgorithm(byte[] nonce) {
        return new AlgorithmIdentifier(AlgorithmSuite.INTL.contentEncryption(), new GCMParameters(nonce, Aes.GCM_TAG_BYTES));
    }
}
