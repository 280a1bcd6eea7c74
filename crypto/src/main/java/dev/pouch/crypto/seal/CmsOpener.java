package dev.pouch.crypto.seal;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.internal.AuthEnvelope;
import dev.pouch.crypto.internal.EcKeys;
import dev.pouch.crypto.internal.Ess;
import dev.pouch.crypto.internal.HeaderCodec;
import dev.pouch.crypto.internal.Kari;
import dev.pouch.crypto.internal.PouchOids;
import dev.pouch.crypto.internal.SecurityLabels;
import dev.pouch.crypto.internal.SignedDataVerifier;
import dev.pouch.crypto.pki.CertificateValidator;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.IdentityKind;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.receipt.OriginalSignature;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The {@link Opener} of the {@code INTL} profile.
 *
 * <p>Security guarantees: see {@link Opener}. Thread-safe; share one per recipient key.
 */
public final class CmsOpener implements Opener {

    private static final Map<ASN1ObjectIdentifier, CryptoError> REQUIRED = Map.of(
            Ess.RECEIPT_REQUEST, CryptoError.SIGNED_ATTRIBUTE_MISSING,
            Ess.SECURITY_LABEL, CryptoError.SECURITY_LABEL_INVALID,
            PouchOids.ATTR_DOCUMENT_HEADER, CryptoError.HEADER_INVALID);
    private static final Map<ASN1ObjectIdentifier, CryptoError> NEVER_UNSIGNED = REQUIRED;

    private final KeyCredential recipient;
    private final BigInteger scalar;
    private final Identity identity;
    private final CertificateValidator validator;
    private final long maxSealedSize;
    private final int parallelism;

    private CmsOpener(Builder b) {
        this.recipient = Objects.requireNonNull(b.recipient, "recipient");
        this.validator = Objects.requireNonNull(b.validator, "validator");
        this.identity = recipient.identity();
        if (identity.kind() != IdentityKind.ORGANIZATION && identity.kind() != IdentityKind.ARCHIVE) {
            throw new CryptoException(CryptoError.KEY_USAGE_INVALID, "a " + identity.kind() + " key cannot open documents");
        }
        this.scalar = EcKeys.scalar(recipient.privateKey());
        this.maxSealedSize = b.maxSealedSize;
        this.parallelism = b.parallelism;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whose key this opener holds. */
    public Identity identity() {
        return identity;
    }

    @Override
    public OpenedDocument open(byte[] sealed, ValidationTime at) {
        if (sealed.length > maxSealedSize) {
            throw new CryptoException(CryptoError.LIMIT_EXCEEDED, "sealed document of " + sealed.length
                    + " bytes exceeds the limit of " + maxSealedSize);
        }
        AuthEnvelope.Parsed envelope = AuthEnvelope.parse(sealed);
        if (!CMSObjectIdentifiers.data.equals(envelope.contentType())) {
            throw new CryptoException(CryptoError.UNSUPPORTED_CONTENT_TYPE,
                    "the envelope must carry a signed document as data, found " + envelope.contentType());
        }
        byte[] cek = contentKey(envelope);
        byte[] inner;
        try {
            inner = AuthEnvelope.decrypt(envelope, cek);
        } finally {
            Arrays.fill(cek, (byte) 0);
        }
        SignedDataVerifier.Verified v = SignedDataVerifier.verify(inner,
                Set.of(CMSObjectIdentifiers.data, PouchOids.CT_PART_MANIFEST), REQUIRED, NEVER_UNSIGNED, validator, at);
        Classification classification = SecurityLabels.decode(v.value(Ess.SECURITY_LABEL));
        DocumentHeader header = HeaderCodec.decode(v.value(PouchOids.ATTR_DOCUMENT_HEADER), classification);
        Ess.ReceiptRequest request = Ess.ReceiptRequest.fromAsn1(v.value(Ess.RECEIPT_REQUEST));
        if (!Arrays.equals(request.signedContentIdentifier(), HeaderCodec.uuidBytes(header.documentId()))) {
            throw new CryptoException(CryptoError.HEADER_INVALID, "the receipt request names another document");
        }
        Identity signer = v.certificate().identity();
        if (signer.kind() != IdentityKind.ORGANIZATION || !signer.requireOrganization().equals(header.sender())) {
            throw new CryptoException(CryptoError.HEADER_INVALID,
                    "signed by " + signer + " but the header names " + header.sender() + " as sender");
        }
        if (identity.kind() == IdentityKind.ORGANIZATION && !header.involves(identity.requireOrganization())) {
            throw new CryptoException(CryptoError.OPENER_NOT_ADDRESSED,
                    identity.requireOrganization() + " is not among the signed recipients of " + header.documentId());
        }
        PartManifest manifest = null;
        if (v.contentType().equals(PouchOids.CT_PART_MANIFEST)) {
            manifest = ManifestCodec.decode(v.contentBytes());
            if (manifest.totalSize() != header.contentSize()) {
                throw new CryptoException(CryptoError.HEADER_INVALID, "the manifest and the attachments disagree on the size");
            }
        } else {
            if (v.contentLength() == 0) {
                throw new CryptoException(CryptoError.CONTENT_EMPTY, "the document has no content");
            }
            if (v.contentLength() != header.contentSize()) {
                throw new CryptoException(CryptoError.HEADER_INVALID, "the attachments declare " + header.contentSize()
                        + " bytes but the content has " + v.contentLength());
            }
        }
        OriginalSignature original = new OriginalSignature(header.documentId(), header.sender(), header.allRecipients(),
                v.contentType().getId(), request.signedContentIdentifier(), v.signatureValue(), v.signedAttributesDer());
        return new OpenedDocument(header, v.certificate(), v.claimedSigningTime(), v.buffer(), v.contentOffset(),
                v.contentLength(), manifest, original);
    }

    private byte[] contentKey(AuthEnvelope.Parsed envelope) {
        for (ASN1Encodable element : envelope.recipientInfos()) {
            RecipientInfo info;
            Object inner;
            try {
                info = RecipientInfo.getInstance(element);
                inner = info.getInfo();
            } catch (RuntimeException e) {
                throw new CryptoException(CryptoError.MALFORMED, "unreadable recipient info", e);
            }
            if (inner instanceof KeyAgreeRecipientInfo kari) {
                var key = Kari.findKeyFor(kari, recipient.certificate());
                if (key.isPresent()) {
                    return Kari.unwrap(kari, key.get(), scalar);
                }
            }
        }
        throw new CryptoException(CryptoError.NOT_A_RECIPIENT, "no recipient info for " + identity);
    }

    @Override
    public byte[] openPart(OpenedDocument main, int index, byte[] sealedPart) {
        PartManifest manifest = main.manifest().orElseThrow(() ->
                new CryptoException(CryptoError.INVALID_REQUEST, "the document is not parted"));
        if (index < 0 || index >= manifest.partCount()) {
            throw new CryptoException(CryptoError.PART_INVALID, "no part " + index);
        }
        PartManifest.Entry entry = manifest.parts().get(index);
        if (sealedPart.length != entry.sealedSize() || !Sha256.digest(sealedPart).equals(entry.sealedSha256())) {
            throw new CryptoException(CryptoError.PART_INVALID, "part " + index + " is not the part the manifest signs");
        }
        AuthEnvelope.Parsed envelope = AuthEnvelope.parse(sealedPart);
        byte[] cek = AuthEnvelope.unwrapPartKey(envelope, manifest.bulkKeyId(), manifest.bulkKey());
        byte[] plain;
        try {
            plain = AuthEnvelope.decrypt(envelope, cek);
        } finally {
            Arrays.fill(cek, (byte) 0);
        }
        if (plain.length != entry.plainSize() || !Sha256.digest(plain).equals(entry.plainSha256())) {
            throw new CryptoException(CryptoError.PART_INVALID, "part " + index + " decrypts to other content than signed");
        }
        return plain;
    }

    @Override
    public void openParts(OpenedDocument main, List<Path> parts, Path output) {
        PartManifest manifest = main.manifest().orElseThrow(() ->
                new CryptoException(CryptoError.INVALID_REQUEST, "the document is not parted"));
        if (parts.size() != manifest.partCount()) {
            throw new CryptoException(CryptoError.PART_INVALID,
                    "expected " + manifest.partCount() + " parts, got " + parts.size());
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "pouch-open-part");
            t.setDaemon(true);
            return t;
        });
        boolean complete = false;
        try (FileChannel out = FileChannel.open(output, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                int index = i;
                PartManifest.Entry entry = manifest.parts().get(i);
                Path file = parts.get(i);
                futures.add(pool.submit(() -> {
                    if (Files.size(file) != entry.sealedSize()) {
                        throw new CryptoException(CryptoError.PART_INVALID, "part " + index + " has the wrong size");
                    }
                    ByteBuffer plain = ByteBuffer.wrap(openPart(main, index, Files.readAllBytes(file)));
                    long position = (long) index * manifest.partSize();
                    while (plain.hasRemaining()) {
                        position += out.write(plain, position);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            complete = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open parts into " + output, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new UncheckedIOException("cannot read a part", new IOException(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening parts", e);
        } finally {
            pool.shutdownNow();
            if (!complete) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // the failure being reported matters more
                }
            }
        }
    }

    /** Configures a {@link CmsOpener}. */
    public static final class Builder {
        private KeyCredential recipient;
        private CertificateValidator validator;
        private long maxSealedSize = CmsSealer.DEFAULT_INLINE_LIMIT + (8 << 20);
        private int parallelism = Math.min(2, Runtime.getRuntime().availableProcessors());

        private Builder() {
        }

        /** The key-agreement credential of the organization (or archive) that opens. */
        public Builder recipient(KeyCredential keyAgreement) {
            this.recipient = keyAgreement;
            return this;
        }

        public Builder validator(CertificateValidator validator) {
            this.validator = validator;
            return this;
        }

        /** Sealed documents larger than this are refused unread. */
        public Builder maxSealedSize(long bytes) {
            this.maxSealedSize = bytes;
            return this;
        }

        public Builder parallelism(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("parallelism must be between 1 and 64");
            }
            this.parallelism = threads;
            return this;
        }

        public CmsOpener build() {
            return new CmsOpener(this);
        }
    }
}
