package dev.pouch.crypto.corpus;

import dev.pouch.crypto.internal.Aes;
import dev.pouch.crypto.internal.Bc;
import dev.pouch.crypto.internal.Der;
import dev.pouch.crypto.internal.EcKeys;
import dev.pouch.crypto.internal.Kari;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds CMS {@code AuthEnvelopedData} by hand (RFC 5083/5084), so a case can use a content
 * algorithm, GCM parameter, attribute or structure the profile refuses, or tamper with one field,
 * while everything else is genuine.
 */
final class EnvelopeForge {

    private final byte[] plaintext;
    private byte[] cek = Aes.newKey();
    private ASN1ObjectIdentifier contentAlgorithm = NISTObjectIdentifiers.id_aes256_GCM;
    private int nonceBytes = Aes.GCM_NONCE_BYTES;
    private int tagBytes = Aes.GCM_TAG_BYTES;
    private ASN1ObjectIdentifier contentType = CMSObjectIdentifiers.data;
    private int version = 0;
    private final List<Function<byte[], RecipientInfo>> recipients = new ArrayList<>();
    private ASN1Set authAttributes;
    private ASN1Set unauthAttributes;
    private boolean omitContent;
    private boolean flipCiphertext;
    private boolean flipTag;

    private EnvelopeForge(byte[] plaintext) {
        this.plaintext = plaintext.clone();
    }

    /** An envelope around {@code plaintext} (normally a DER {@code ContentInfo(SignedData)}). */
    static EnvelopeForge of(byte[] plaintext) {
        return new EnvelopeForge(plaintext);
    }

    /** The envelope {@code CmsSealer} would produce: AES-256-GCM, one genuine KARI per certificate. */
    static byte[] seal(byte[] inner, X509Certificate... recipients) {
        return of(inner).to(recipients).encode();
    }

    /** Genuine recipient infos, made by the production {@link Kari}. */
    EnvelopeForge to(X509Certificate... certificates) {
        for (X509Certificate c : certificates) {
            recipients.add(key -> Kari.forRecipient(c, key));
        }
        return this;
    }

    /** A recipient info made by {@code maker} from the content key. */
    EnvelopeForge recipient(Function<byte[], RecipientInfo> maker) {
        recipients.add(maker);
        return this;
    }

    /** A hand-made recipient info. */
    EnvelopeForge to(RecipientForge recipient) {
        recipients.add(recipient::build);
        return this;
    }

    /** The content-encryption key (an AES-128 algorithm needs a 16-byte one). */
    EnvelopeForge contentKey(byte[] key) {
        this.cek = key.clone();
        return this;
    }

    EnvelopeForge contentAlgorithm(ASN1ObjectIdentifier algorithm) {
        this.contentAlgorithm = algorithm;
        return this;
    }

    EnvelopeForge nonceBytes(int bytes) {
        this.nonceBytes = bytes;
        return this;
    }

    /** The GCM tag (ICV) length actually used and declared; 12 is the ASN.1 default and is then omitted. */
    EnvelopeForge tagBytes(int bytes) {
        this.tagBytes = bytes;
        return this;
    }

    /** The {@code EncryptedContentInfo} content type (the profile requires id-data). */
    EnvelopeForge contentType(ASN1ObjectIdentifier type) {
        this.contentType = type;
        return this;
    }

    EnvelopeForge version(int v) {
        this.version = v;
        return this;
    }

    /** Authenticated attributes; as RFC 5083 says, their DER is the GCM additional data. */
    EnvelopeForge authAttributes(ASN1Encodable... attributes) {
        this.authAttributes = new DERSet(attributes);
        return this;
    }

    EnvelopeForge unauthAttributes(ASN1Encodable... attributes) {
        this.unauthAttributes = new DERSet(attributes);
        return this;
    }

    EnvelopeForge omitContent() {
        this.omitContent = true;
        return this;
    }

    EnvelopeForge flipCiphertext() {
        this.flipCiphertext = true;
        return this;
    }

    EnvelopeForge flipTag() {
        this.flipTag = true;
        return this;
    }

    /** The DER {@code ContentInfo(AuthEnvelopedData)}. */
    byte[] encode() {
        byte[] nonce = Bc.randomBytes(nonceBytes);
        byte[] sealed;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(tagBytes * 8, nonce));
            if (authAttributes != null) {
                cipher.updateAAD(Der.encode(authAttributes));
            }
            sealed = cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        byte[] ciphertext = Arrays.copyOf(sealed, sealed.length - tagBytes);
        byte[] tag = Arrays.copyOfRange(sealed, sealed.length - tagBytes, sealed.length);
        if (flipCiphertext) {
            ciphertext[ciphertext.length / 2] ^= 0x01;
        }
        if (flipTag) {
            tag[0] ^= 0x01;
        }
        AlgorithmIdentifier algorithm = new AlgorithmIdentifier(contentAlgorithm, new GCMParameters(nonce, tagBytes));
        EncryptedContentInfo eci = new EncryptedContentInfo(contentType, algorithm,
                omitContent ? null : new DEROctetString(ciphertext));
        ASN1EncodableVector ris = new ASN1EncodableVector();
        recipients.forEach(r -> ris.add(r.apply(cek)));
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(version));
        v.add(new DERSet(ris));
        v.add(eci);
        if (authAttributes != null) {
            v.add(new DERTaggedObject(false, 1, authAttributes));
        }
        v.add(new DEROctetString(tag));
        if (unauthAttributes != null) {
            v.add(new DERTaggedObject(false, 2, unauthAttributes));
        }
        return Der.encode(new ContentInfo(CMSObjectIdentifiers.authEnvelopedData, new DERSequence(v)));
    }

    /** A genuine CMS {@code EnvelopedData} (AES-256-CBC, ECDH KARI) of the kind Pouch never uses. */
    static byte[] envelopedData(byte[] inner, X509Certificate recipient) {
        try {
            KeyPair ephemeral = EcKeys.generateKeyPair();
            CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
            generator.addRecipientInfoGenerator(new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF,
                    ephemeral.getPrivate(), ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP)
                    .addRecipient(recipient).setProvider(Bc.PROVIDER));
            var encryptor = new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider(Bc.PROVIDER).build();
            return Der.encode(generator.generate(new CMSProcessableByteArray(inner), encryptor).toASN1Structure());
        } catch (CMSException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build EnvelopedData", e);
        }
    }
}
