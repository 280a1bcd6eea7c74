package dev.pouch.crypto.corpus;

import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.corpus.CorpusManifest.Kind;
import dev.pouch.crypto.corpus.CorpusManifest.Row;
import dev.pouch.crypto.corpus.CorpusPki.Cred;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.receipt.EssReceipts;
import dev.pouch.crypto.seal.CmsSealer;
import dev.pouch.crypto.seal.OpenedDocument;
import dev.pouch.crypto.seal.SealedParts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Controls that must open or verify: they prove the committed PKI, CRL and fixed clock work, and
 * that the forges make acceptable objects, so every negative result means what it says.
 */
final class ControlCases extends CaseSupport {

    static final String SEALED = "control-sealed.cms";
    static final String LARGE_MAIN = "control-large-main.cms";
    /** Size of a corpus part; the smallest the sealer allows, so part files stay small. */
    static final int PART_SIZE = 64 << 10;
    /** Two parts: a full one and a 100-byte one (the only part file the corpus keeps). */
    static final int LARGE_SIZE = PART_SIZE + 100;

    private byte[] sealed;
    private byte[] largeMain;
    private byte[] lastPart;

    ControlCases(CorpusPki pki) {
        super(pki);
    }

    /** The production sealer of HQ-EUR, at the corpus's now. */
    CmsSealer sealer() {
        return CmsSealer.builder().signer(pki.credential(Cred.HQ_SIGN)).validator(pki.validator())
                .clock(CorpusPki.CLOCK).partSize(PART_SIZE).parallelism(1).build();
    }

    @Override
    protected void build() {
        byte[] content = content("control-sealed");
        DocumentHeader header = header("control-sealed", content.length, "FR-EMB").build();
        sealed = sealer().seal(header, content,
                List.of(pki.certificate(Cred.FR_KA), pki.certificate(Cred.ARCHIVE_KA))).encoded();
        add(new Row(SEALED, Kind.SEALED, "FR-EMB", CorpusManifest.OK,
                "CONTROL: sealed by the production CmsSealer from HQ-EUR to FR-EMB and the archive; FR-EMB opens it", "", -1),
                sealed);
        add(new Row(SEALED, Kind.SEALED, "ARCHIVE", CorpusManifest.OK,
                "CONTROL: the same document opened by the archive key", "", -1), sealed);

        add(new Row("control-forged.cms", Kind.SEALED, "FR-EMB", CorpusManifest.OK,
                "CONTROL: made by the corpus forges with nothing changed; proves the forges alone break nothing", "", -1),
                sealToFr(document("control-forged").encode()));

        byte[] receipt = EssReceipts.signer(pki.credential(Cred.FR_SIGN), pki.validator(), CorpusPki.CLOCK)
                .sign(openSealed("FR-EMB").originalSignature()).encoded();
        add(new Row("control-receipt.cms", Kind.RECEIPT, "FR-EMB", CorpusManifest.OK,
                "CONTROL: FR-EMB's genuine ESS signed receipt for " + SEALED, SEALED, -1), receipt);

        List<byte[]> parts = sealLarge("control-large");
        largeMain = parts.get(0);
        lastPart = parts.get(2);
        add(new Row(LARGE_MAIN, Kind.SEALED, "FR-EMB", CorpusManifest.OK,
                "CONTROL: main document of a large document in two parts (signed part manifest)", "", -1), largeMain);
        add(new Row("control-large-part-1.cms", Kind.PART, "FR-EMB", CorpusManifest.OK,
                "CONTROL: part 1 of " + LARGE_MAIN + " opens against the signed manifest", LARGE_MAIN, 1), lastPart);
    }

    /** Opens the sealed control as {@code opener}. */
    OpenedDocument openSealed(String opener) {
        return pki.opener(opener).open(sealed(), ValidationTime.now());
    }

    byte[] sealed() {
        cases();
        return sealed.clone();
    }

    byte[] largeMain() {
        cases();
        return largeMain.clone();
    }

    byte[] lastPart() {
        cases();
        return lastPart.clone();
    }

    /**
     * Seals a {@link #LARGE_SIZE}-byte document for FR-EMB in parts.
     *
     * @return the main document, then each part
     */
    List<byte[]> sealLarge(String name) {
        try {
            Path dir = Files.createTempDirectory("pouch-corpus");
            try {
                Path file = dir.resolve("content.bin");
                byte[] content = new byte[LARGE_SIZE];
                for (int i = 0; i < content.length; i++) {
                    content[i] = (byte) (i * 31 + name.length());
                }
                Files.write(file, content);
                DocumentHeader header = header(name, LARGE_SIZE, "FR-EMB").build();
                SealedParts parts = sealer().sealParts(header, file,
                        List.of(pki.certificate(Cred.FR_KA), pki.certificate(Cred.ARCHIVE_KA)), dir.resolve("parts"));
                List<byte[]> result = new ArrayList<>();
                result.add(parts.main().encoded());
                for (Path p : parts.partFiles()) {
                    result.add(Files.readAllBytes(p));
                }
                return result;
            } finally {
                try (Stream<Path> all = Files.walk(dir)) {
                    all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
