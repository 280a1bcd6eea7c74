package dev.pouch.crypto.seal;

import java.nio.file.Path;
import java.util.List;

/**
 * A large document sealed as a main document (signed manifest) plus part files, in order.
 * Every file is standalone CMS that {@code openssl cms} can decrypt.
 */
public record SealedParts(SealedDocument main, PartManifest manifest, List<Path> partFiles) {
    public SealedParts {
        partFiles = List.copyOf(partFiles);
    }
}
