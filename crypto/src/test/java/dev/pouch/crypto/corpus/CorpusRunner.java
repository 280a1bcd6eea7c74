package dev.pouch.crypto.corpus;

import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.corpus.CorpusManifest.Row;
import dev.pouch.crypto.receipt.EssReceipts;
import dev.pouch.crypto.seal.CmsOpener;
import dev.pouch.crypto.seal.OpenedDocument;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Runs one manifest row through the public production API, exactly as the test judges it: open a
 * sealed document, verify a receipt against its opened original, or open a part against its
 * opened main document. The generator uses it too, to check the corpus before writing it.
 */
final class CorpusRunner {

    private final CorpusPki pki;
    private final Function<String, byte[]> files;
    private final Map<String, CmsOpener> openers = new ConcurrentHashMap<>();

    /** @param files the bytes of a corpus file by name */
    CorpusRunner(CorpusPki pki, Function<String, byte[]> files) {
        this.pki = pki;
        this.files = files;
    }

    /** Performs the row's operation; returns normally only if the production code accepted the input. */
    void run(Row row) {
        byte[] bytes = files.apply(row.file());
        CmsOpener opener = openers.computeIfAbsent(row.opener(), pki::opener);
        switch (row.kind()) {
            case SEALED -> opener.open(bytes, ValidationTime.now());
            case RECEIPT -> EssReceipts.verifier(pki.validator())
                    .verify(bytes, original(opener, row).originalSignature(), ValidationTime.now());
            case PART -> opener.openPart(original(opener, row), row.part(), bytes);
        }
    }

    /** {@code OK}, the {@code CryptoError} name, or a description of anything else thrown. */
    String outcome(Row row) {
        Throwable t = attempt(row);
        return t == null ? CorpusManifest.OK : t instanceof CryptoException e ? e.error().name() : "THREW " + t;
    }

    /** Like {@link #outcome} but with the exception's message, to check a case fails for the intended reason. */
    String detail(Row row) {
        Throwable t = attempt(row);
        return t == null ? CorpusManifest.OK : t instanceof CryptoException e ? e.getMessage() : "THREW " + t;
    }

    private Throwable attempt(Row row) {
        try {
            run(row);
            return null;
        } catch (RuntimeException | Error e) {
            return e;
        }
    }

    /** The original of a receipt or the main document of a part; it must open, or the row proves nothing. */
    private OpenedDocument original(CmsOpener opener, Row row) {
        try {
            return opener.open(files.apply(row.original()), ValidationTime.now());
        } catch (CryptoException e) {
            throw new IllegalStateException("the original " + row.original() + " of " + row.file()
                    + " does not open for " + row.opener() + ": " + e.getMessage(), e);
        }
    }
}
