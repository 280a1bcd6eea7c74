package dev.pouch.crypto.corpus;

import dev.pouch.crypto.corpus.CorpusManifest.Kind;
import dev.pouch.crypto.corpus.CorpusManifest.Row;

import java.util.Arrays;

import static dev.pouch.crypto.CryptoError.PART_INVALID;

/** Parts of a large document that must not open against the control's signed part manifest. */
final class PartCases extends CaseSupport {

    private final ControlCases controls;

    PartCases(CorpusPki pki, ControlCases controls) {
        super(pki);
        this.controls = controls;
    }

    @Override
    protected void build() {
        byte[] genuine = controls.lastPart();
        byte[] tampered = genuine.clone();
        tampered[tampered.length - 20] ^= 0x01;
        part("part-tampered", 1, "part 1 of " + ControlCases.LARGE_MAIN + " with one ciphertext bit flipped", tampered);
        part("part-truncated", 1, "part 1 of " + ControlCases.LARGE_MAIN + " without its last byte",
                Arrays.copyOf(genuine, genuine.length - 1));
        part("part-from-other-document", 1,
                "part 1 of another large document of the same size, presented as part 1 of " + ControlCases.LARGE_MAIN,
                controls.sealLarge("other-large").get(2));
        part("part-wrong-index", 0, "the genuine part 1 presented as part 0", genuine);
        part("part-index-out-of-range", 2, "the genuine part 1 presented as part 2 of a two-part document", genuine);
    }

    private void part(String name, int index, String description, byte[] bytes) {
        add(new Row(name + ".cms", Kind.PART, "FR-EMB", PART_INVALID.name(), description, ControlCases.LARGE_MAIN, index),
                bytes);
    }
}
