package dev.pouch.crypto.seal;

import dev.pouch.crypto.ValidationTime;

import java.nio.file.Path;
import java.util.List;

/**
 * Opens sealed documents for one recipient key (an organization's or the archive's).
 *
 * <p>Security guarantees: the envelope must use exactly the suite's algorithms; decryption is
 * authenticated before any plaintext is used; there must be exactly one signer whose signature
 * verifies, whose certificate passes full validation for document signing at the given
 * {@link ValidationTime}, and whose organization is the header's sender; the header, label and
 * receipt request must be signed attributes; and an organization may open only a document whose
 * signed header names it. Every failure throws with its {@code CryptoError}.
 */
public interface Opener {

    /** Decrypts and verifies a sealed document (inline or the main document of a large one). */
    OpenedDocument open(byte[] sealed, ValidationTime at);

    /** Decrypts one part of a large document and checks it against the signed manifest. */
    byte[] openPart(OpenedDocument main, int index, byte[] sealedPart);

    /** Decrypts every part, in order, into {@code output}; parts may be opened in parallel. */
    void openParts(OpenedDocument main, List<Path> parts, Path output);
}
