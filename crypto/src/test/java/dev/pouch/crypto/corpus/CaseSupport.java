package dev.pouch.crypto.corpus;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.corpus.CorpusManifest.Kind;
import dev.pouch.crypto.corpus.CorpusManifest.Row;
import dev.pouch.crypto.corpus.CorpusPki.Cred;
import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * What every group of corpus cases shares: the PKI, deterministic headers and content, and the
 * list of cases being collected. A subclass adds its cases in {@link #build()}.
 */
abstract class CaseSupport {

    /** One generated case: its manifest row and the DER bytes to armour into its file. */
    record CorpusCase(Row row, byte[] bytes) {
    }

    protected final CorpusPki pki;
    private final List<CorpusCase> cases = new ArrayList<>();

    CaseSupport(CorpusPki pki) {
        this.pki = pki;
    }

    /** Adds this group's cases. */
    protected abstract void build();

    final List<CorpusCase> cases() {
        if (cases.isEmpty()) {
            build();
        }
        return List.copyOf(cases);
    }

    protected final void sealed(String name, String opener, CryptoError expected, String description, byte[] bytes) {
        add(new Row(name + ".cms", Kind.SEALED, opener, expected.name(), description, "", -1), bytes);
    }

    protected final void add(Row row, byte[] bytes) {
        cases.add(new CorpusCase(row, bytes));
    }

    /** A stable document id per case, so regenerated files keep their ids. */
    protected static UUID documentId(String name) {
        return UUID.nameUUIDFromBytes(("pouch-corpus:" + name).getBytes(StandardCharsets.UTF_8));
    }

    /** Small content that names its case. */
    protected static byte[] content(String name) {
        return ("Pouch negative corpus, case " + name + ".\n关于欧洲电信市场调研的通知\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A header from HQ-EUR to {@code recipients}, with one attachment of {@code size} bytes. */
    protected static DocumentHeader.Builder header(String name, long size, String... recipients) {
        return DocumentHeader.builder()
                .documentId(documentId(name))
                .documentNumber("商欧函〔2026〕" + (Math.abs(name.hashCode()) % 900 + 100) + "号")
                .type(DocumentType.NOTICE)
                .subject("Corpus " + name + " — 关于欧洲电信市场调研的通知")
                .sender(OrgCode.of("HQ-EUR"))
                .actionRecipients(Arrays.stream(recipients).map(OrgCode::of).toList())
                .precedence(Precedence.URGENT)
                .classification(Classification.INTERNAL)
                .attachment(new Attachment("notice.txt", "text/plain", size));
    }

    /** The forge of a well-formed document from HQ-EUR to FR-EMB for case {@code name}. */
    protected final SignedDataForge document(String name) {
        byte[] content = content(name);
        return SignedDataForge.document(pki.credential(Cred.HQ_SIGN), header(name, content.length, "FR-EMB").build(), content);
    }

    /** A well-formed document for case {@code name}, signed by {@code signer} instead of HQ-EUR's signing key. */
    protected final SignedDataForge documentSignedBy(String name, Cred signer) {
        byte[] content = content(name);
        return SignedDataForge.document(pki.credential(signer), header(name, content.length, "FR-EMB").build(), content);
    }

    /** Seals {@code inner} the way {@code CmsSealer} does, to FR-EMB and the archive. */
    protected final byte[] sealToFr(byte[] inner) {
        return EnvelopeForge.seal(inner, pki.certificate(Cred.FR_KA), pki.certificate(Cred.ARCHIVE_KA));
    }
}
