package dev.pouch.crypto.seal;

import dev.pouch.crypto.document.DocumentHeader;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Seals documents: signs them with an organization's signing key and encrypts them to each
 * recipient organization's key-agreement certificate (and usually the exchange archive's).
 *
 * <p>Security guarantees: the signer's own certificate and every recipient certificate are
 * validated before anything is produced; each recipient certificate must belong to an
 * organization in the header (or the sender, or the archive) and each header recipient must have
 * exactly one; the content is encrypted once with a fresh AES-256-GCM key; the header, the
 * classification label and a receipt request are signed attributes.
 */
public interface Sealer {

    /** Seals content held in memory, up to the sealer's inline limit. */
    SealedDocument seal(DocumentHeader header, byte[] content, List<X509Certificate> recipients);

    /**
     * Seals a file of any size as a main document plus parts written into {@code outputDirectory},
     * streaming: memory use does not grow with the file.
     */
    SealedParts sealParts(DocumentHeader header, Path content, List<X509Certificate> recipients, Path outputDirectory);
}
