package dev.pouch.crypto.seal;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.internal.Aes;
import dev.pouch.crypto.internal.AuthEnvelope;
import dev.pouch.crypto.internal.CmsSigning;
import dev.pouch.crypto.internal.Der;
import dev.pouch.crypto.internal.Ess;
import dev.pouch.crypto.internal.HeaderCodec;
import dev.pouch.crypto.internal.Kari;
import dev.pouch.crypto.internal.PouchOids;
import dev.pouch.crypto.internal.SecurityLabels;
import dev.pouch.crypto.pki.CertificateUsage;
import dev.pouch.crypto.pki.CertificateValidator;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.IdentityKind;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.pki.ValidatedCertificate;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.RecipientInfo;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@link Sealer} of the {@code INTL} profile: CMS {@code SignedData} inside
 * {@code AuthEnvelopedData}. See {@code docs/crypto.md} for the format.
 *
 * <p>Security guarantees: see {@link Sealer}. Thread-safe; share one per signing credential.
 */
public final class CmsSealer implements Sealer {

    /** Default largest content sealed inline; larger content goes through {@link #sealParts}. */
    public static final long DEFAULT_INLINE_LIMIT = 16L << 20;
    /** Default plaintext size of each part of a large document. */
    public static final int DEFAULT_PART_SIZE = 16 << 20;

    private final KeyCredential signer;
    private final CertificateValidator validator;
    private final Clock clock;
    private final long inlineLimit;
    private final int partSize;
    private final int parallelism;

    private CmsSealer(Builder b) {
        this.signer = Objects.requireNonNull(b.signer, "signer");
        this.validator = Objects.requireNonNull(b.validator, "validator");
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.inlineLimit = b.inlineLimit;
        this.partSize = b.partSize;
        this.parallelism = b.parallelism;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SealedDocument seal(DocumentHeader header, byte[] content, List<X509Certificate> recipients) {
        if (content.length == 0) {
            throw new CryptoException(CryptoError.CONTENT_EMPTY, "nothing to seal");
        }
        if (content.length > inlineLimit) {
            throw new CryptoException(CryptoError.LIMIT_EXCEEDED,
                    "content of " + content.length + " bytes exceeds the inline limit of " + inlineLimit + "; seal it in parts");
        }
        if (header.contentSize() != content.length) {
            throw new CryptoException(CryptoError.INVALID_REQUEST,
                    "the attachments declare " + header.contentSize() + " bytes but the content has " + content.length);
        }
        checkSigner(header);
        return sealSigned(header, CMSObjectIdentifiers.data, content, checkRecipients(header, recipients));
    }

    @Override
    public SealedParts sealParts(DocumentHeader header, java.nio.file.Path content, List<X509Certificate> recipients,
            java.nio.file.Path outputDirectory) {
        checkSigner(header);
        List<X509Certificate> checked = checkRecipients(header, recipients);
        PartWriter.Result parts = new PartWriter(partSize, parallelism).write(header.documentId(), content, outputDirectory);
        if (parts.manifest().totalSize() != header.contentSize()) {
            throw new CryptoException(CryptoError.INVALID_REQUEST, "the attachments declare " + header.contentSize()
                    + " bytes but the file has " + parts.manifest().totalSize());
        }
        SealedDocument main = sealSigned(header, PouchOids.CT_PART_MANIFEST,
                Der.encode(ManifestCodec.encode(parts.manifest())), checked);
        return new SealedParts(main, parts.manifest(), parts.files());
    }

    /** Signs and envelopes; the signer and recipients have been checked by the caller. */
    private SealedDocument sealSigned(DocumentHeader header, ASN1ObjectIdentifier contentType, byte[] content,
            List<X509Certificate> checked) {
        List<Attribute> attributes = List.of(
                CmsSigning.attribute(Ess.RECEIPT_REQUEST, Ess.ReceiptRequest.allReceiptsTo(
                        HeaderCodec.uuidBytes(header.documentId()),
                        Identity.organization(header.sender()).uri().orElseThrow()).toAsn1()),
                CmsSigning.attribute(Ess.SECURITY_LABEL, SecurityLabels.encode(header.classification())),
                CmsSigning.attribute(PouchOids.ATTR_DOCUMENT_HEADER, HeaderCodec.encode(header)));
        CmsSigning.SignedPieces signedData = CmsSigning.sign(signer, contentType, content, clock.instant(), attributes);
        byte[] cek = Aes.newKey();
        try {
            List<RecipientInfo> infos = Kari.forRecipients(checked, cek);
            return new SealedDocument(header.documentId(), AuthEnvelope.seal(CMSObjectIdentifiers.data, signedData, cek, infos));
        } finally {
            Arrays.fill(cek, (byte) 0);
        }
    }

    private void checkSigner(DocumentHeader header) {
        ValidatedCertificate own = validator.validate(signer.chain(), CertificateUsage.DOCUMENT_SIGNING, ValidationTime.now());
        if (own.identity().kind() != IdentityKind.ORGANIZATION
                || !own.identity().requireOrganization().equals(header.sender())) {
            throw new CryptoException(CryptoError.INVALID_REQUEST,
                    "credentials of " + own.identity() + " cannot send as " + header.sender());
        }
    }

    /** Every recipient key must belong to the header's distribution, the sender or the archive; every recipient needs one. */
    private List<X509Certificate> checkRecipients(DocumentHeader header, List<X509Certificate> recipients) {
        Set<OrgCode> covered = new HashSet<>();
        boolean archive = false;
        boolean senderCopy = false;
        for (X509Certificate cert : recipients) {
            Identity id = validator.validate(cert, CertificateUsage.KEY_AGREEMENT, ValidationTime.now()).identity();
            if (id.kind() == IdentityKind.ARCHIVE) {
                if (archive) {
                    throw new CryptoException(CryptoError.INVALID_REQUEST, "the archive is listed twice");
                }
                archive = true;
                continue;
            }
            OrgCode org = id.requireOrganization();
            if (org.equals(header.sender())) {
                if (senderCopy) {
                    throw new CryptoException(CryptoError.INVALID_REQUEST, "the sender's key is listed twice");
                }
                senderCopy = true;
                if (header.isForSenderOnly()) {
                    covered.add(org); // a document kept for the sender alone: its own key is the recipient's
                }
            } else if (!header.allRecipients().contains(org)) {
                throw new CryptoException(CryptoError.INVALID_REQUEST,
                        "recipient key of " + org + " is not addressed in the header; sealing for it would leak the document");
            } else if (!covered.add(org)) {
                throw new CryptoException(CryptoError.INVALID_REQUEST, "two keys for recipient " + org);
            }
        }
        for (OrgCode r : header.allRecipients()) {
            if (!covered.contains(r)) {
                throw new CryptoException(CryptoError.INVALID_REQUEST, "no key-agreement certificate for recipient " + r);
            }
        }
        return List.copyOf(recipients);
    }

    /** Configures a {@link CmsSealer}. */
    public static final class Builder {
        private KeyCredential signer;
        private CertificateValidator validator;
        private Clock clock = Clock.systemUTC();
        private long inlineLimit = DEFAULT_INLINE_LIMIT;
        private int partSize = DEFAULT_PART_SIZE;
        private int parallelism = Math.min(2, Runtime.getRuntime().availableProcessors());

        private Builder() {
        }

        /** The organization's document-signing credential. */
        public Builder signer(KeyCredential signer) {
            this.signer = signer;
            return this;
        }

        public Builder validator(CertificateValidator validator) {
            this.validator = validator;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder inlineLimit(long bytes) {
            if (bytes < 1 || bytes > Integer.MAX_VALUE - (1 << 20)) {
                throw new IllegalArgumentException("inline limit out of range");
            }
            this.inlineLimit = bytes;
            return this;
        }

        public Builder partSize(int bytes) {
            if (bytes < (64 << 10) || bytes > (64 << 20)) {
                throw new IllegalArgumentException("part size must be between 64 KiB and 64 MiB");
            }
            this.partSize = bytes;
            return this;
        }

        /** Parts sealed concurrently by {@link #sealParts}. */
        public Builder parallelism(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("parallelism must be between 1 and 64");
            }
            this.parallelism = threads;
            return this;
        }

        public CmsSealer build() {
            return new CmsSealer(this);
        }
    }
}
