package dev.pouch.server.survey;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.seal.CmsOpener;
import dev.pouch.crypto.seal.OpenedDocument;
import dev.pouch.crypto.seal.PartManifest;
import dev.pouch.crypto.seal.Sha256;
import dev.pouch.server.archive.BlobStore;
import dev.pouch.server.archive.DocumentRepository;
import dev.pouch.server.survey.CompilationManifest.AttachmentEntry;
import dev.pouch.server.survey.CompilationManifest.Response;
import dev.pouch.server.survey.CompilationManifest.Signature;
import dev.pouch.server.survey.CompilationRepository.AttachmentRow;
import dev.pouch.server.survey.CompilationRepository.ResponseRow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes one response into the package: its sealed original exactly as stored (main object and
 * parts, each checked against its recorded SHA-256 as it is copied, a chunk at a time), then its
 * attachments as the archive key opens them — signature and certificate chain verified as of the
 * moment the exchange accepted it. A parted response is decrypted one part at a time, so memory
 * holds at most one part (or one inline document, which the JDK's AES-GCM must hold whole anyway).
 */
final class CompilationEvidence {

    private static final int COPY = 1 << 20;

    private final BlobStore blobs;
    private final DocumentRepository documents;
    private final CompilationRepository repository;
    private final CmsOpener archive;

    CompilationEvidence(BlobStore blobs, DocumentRepository documents, CompilationRepository repository, CmsOpener archive) {
        this.blobs = blobs;
        this.documents = documents;
        this.repository = repository;
        this.archive = archive;
    }

    /** Writes {@code r}'s original and opened attachments; {@code names} holds the names already used in its office folder. */
    Response write(ZipOutputStream zip, ResponseRow r, boolean onTime, Set<String> names) throws IOException {
        String base = "originals/" + r.issuer() + "/" + r.id();
        byte[] sealed = blobs.read(r.mainBlob());
        String sha256 = HexFormat.of().formatHex(Sha256.digest(sealed).bytes());
        entry(zip, base + ".p7m", Deflater.NO_COMPRESSION);
        zip.write(sealed);
        zip.closeEntry();

        Signature signature;
        OpenedDocument opened = null;
        if (!MessageDigest.isEqual(Sha256.digest(sealed).bytes(), r.mainSha256())) {
            signature = new Signature(false, "", "the stored object differs from the digest recorded at acceptance");
        } else {
            try {
                opened = archive.open(sealed, ValidationTime.recordedByExchange(r.acceptedAt()));
                signature = check(opened, r);
            } catch (CryptoException e) {
                signature = new Signature(false, "", e.error().name() + ": " + e.detail());
            }
        }

        List<String> partEntries = new ArrayList<>();
        List<BlobStore.Info> parts = documents.parts(r.id());
        for (int i = 0; i < parts.size(); i++) {
            String name = base + ".part-" + String.format(Locale.ROOT, "%05d", i) + ".p7m";
            Sha256 copied = copy(zip, name, parts.get(i));
            partEntries.add(name);
            boolean matches = copied.equals(parts.get(i).sha256()) && (opened == null || !opened.isParted()
                    || copied.equals(opened.manifest().orElseThrow().parts().get(i).sealedSha256()));
            if (!matches && signature.valid()) {
                signature = new Signature(false, signature.signer(), "part " + i + " is not the part the signed manifest names");
            }
        }

        List<AttachmentRow> rows = repository.attachments(r.id());
        List<AttachmentEntry> attachments = new ArrayList<>();
        if (signature.valid()) {
            try {
                attachments = opened.isParted() ? writeParted(zip, r, opened, parts, rows, names) : writeInline(zip, r, opened, rows, names);
            } catch (CryptoException e) {
                signature = new Signature(false, signature.signer(), "attachments incomplete: " + e.error().name() + ": " + e.detail());
            }
        }
        if (!signature.valid()) {
            attachments = rows.stream().map(a -> new AttachmentEntry(a.name(), a.declaredType(), a.detectedType(), a.size(), null)).toList();
        }
        return new Response(r.id(), r.number(), r.subject(), r.classification(), r.submittedBy(), r.responderName(),
                r.acceptedAt(), onTime, sha256, r.sealedSize(), signature, base + ".p7m", partEntries, attachments, r.excerpt(),
                r.textLength(), r.textTruncated());
    }

    /** The opened document must be the one the archive recorded: same id, sender and number. */
    private static Signature check(OpenedDocument opened, ResponseRow r) {
        String signer = opened.signer().certificate().getSubjectX500Principal().getName();
        var h = opened.header();
        if (!h.documentId().equals(r.id()) || !h.sender().value().equals(r.issuer()) || !h.documentNumber().equals(r.number())) {
            return new Signature(false, signer, "the sealed header does not match the archive's record");
        }
        return new Signature(true, signer, "signature and certificate chain valid at acceptance " + r.acceptedAt());
    }

    private List<AttachmentEntry> writeInline(ZipOutputStream zip, ResponseRow r, OpenedDocument opened, List<AttachmentRow> rows,
            Set<String> names) throws IOException {
        List<AttachmentEntry> out = new ArrayList<>();
        List<ByteBuffer> contents = opened.attachmentContents();
        byte[] buffer = new byte[64 * 1024];
        for (int i = 0; i < contents.size(); i++) {
            String path = attachmentEntry(zip, r.issuer(), opened.header().attachments().get(i), names);
            ByteBuffer b = contents.get(i);
            while (b.hasRemaining()) {
                int n = Math.min(buffer.length, b.remaining());
                b.get(buffer, 0, n);
                zip.write(buffer, 0, n);
            }
            zip.closeEntry();
            out.add(entry(opened.header().attachments().get(i), rows, i, path));
        }
        return out;
    }

    /** Decrypts part after part, cutting the plaintext into the attachments by the sizes the signed header gives. */
    private List<AttachmentEntry> writeParted(ZipOutputStream zip, ResponseRow r, OpenedDocument opened, List<BlobStore.Info> parts,
            List<AttachmentRow> rows, Set<String> names) throws IOException {
        List<Attachment> declared = opened.header().attachments();
        PartManifest manifest = opened.manifest().orElseThrow();
        if (parts.size() != manifest.partCount()) {
            throw new CryptoException(dev.pouch.crypto.CryptoError.PART_INVALID, "the archive holds " + parts.size()
                    + " parts, the signed manifest names " + manifest.partCount());
        }
        List<AttachmentEntry> out = new ArrayList<>();
        int current = -1;
        long remaining = 0;
        for (int p = 0; p < parts.size(); p++) {
            byte[] plain = archive.openPart(opened, p, blobs.read(parts.get(p).id()));
            int offset = 0;
            while (offset < plain.length || (remaining == 0 && current + 1 < declared.size() && declared.get(current + 1).size() == 0)) {
                if (remaining == 0) {
                    if (current >= 0) {
                        zip.closeEntry();
                    }
                    current++;
                    if (current >= declared.size()) {
                        throw new CryptoException(dev.pouch.crypto.CryptoError.HEADER_INVALID, "the parts hold more than the attachments declare");
                    }
                    String path = attachmentEntry(zip, r.issuer(), declared.get(current), names);
                    out.add(entry(declared.get(current), rows, current, path));
                    remaining = declared.get(current).size();
                    continue;
                }
                int n = (int) Math.min(remaining, plain.length - offset);
                zip.write(plain, offset, n);
                offset += n;
                remaining -= n;
            }
        }
        if (current >= 0) {
            zip.closeEntry();
        }
        if (out.size() != declared.size() || remaining != 0) {
            throw new CryptoException(dev.pouch.crypto.CryptoError.HEADER_INVALID, "the parts hold less than the attachments declare");
        }
        return out;
    }

    private static AttachmentEntry entry(Attachment a, List<AttachmentRow> rows, int index, String path) {
        String detected = index < rows.size() ? rows.get(index).detectedType() : a.mediaType();
        return new AttachmentEntry(a.name(), a.mediaType(), detected, a.size(), path);
    }

    /** Opens the zip entry for an attachment, under a name unique in the office's folder. */
    private static String attachmentEntry(ZipOutputStream zip, String office, Attachment a, Set<String> names) throws IOException {
        String path = "attachments/" + office + "/" + unique(a.name(), names);
        entry(zip, path, Deflater.BEST_SPEED);
        return path;
    }

    /** {@code name}, or {@code name (2).ext}, {@code name (3).ext}… if the folder already has it (compared ignoring case). */
    static String unique(String name, Set<String> used) {
        String candidate = name;
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int n = 2; !used.add(candidate.toLowerCase(Locale.ROOT)); n++) {
            candidate = stem + " (" + n + ")" + ext;
        }
        return candidate;
    }

    /** Copies a stored blob into a zip entry chunk by chunk, returning the digest of what was copied. */
    private Sha256 copy(ZipOutputStream zip, String name, BlobStore.Info info) throws IOException {
        entry(zip, name, Deflater.NO_COMPRESSION);
        MessageDigest sha = sha256();
        var source = blobs.source(info.id());
        for (long offset = 0; offset < info.size(); ) {
            ByteString chunk = source.read(offset, (int) Math.min(COPY, info.size() - offset));
            sha.update(chunk.asReadOnlyByteBuffer());
            chunk.writeTo(zip);
            offset += chunk.size();
        }
        zip.closeEntry();
        return Sha256.of(sha.digest());
    }

    static void entry(ZipOutputStream zip, String name, int level) throws IOException {
        zip.setLevel(level);
        zip.putNextEntry(new ZipEntry(name));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
