package dev.pouch.crypto.seal;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The signed table of a large document's parts. Each part is a separate {@code AuthEnvelopedData}
 * whose content key is wrapped under the bulk key carried here; the plaintext and sealed digests
 * bind every part to the signature of the main document.
 *
 * <pre>
 * PartManifest ::= SEQUENCE {
 *   version     INTEGER (1),
 *   totalSize   INTEGER,
 *   partSize    INTEGER,
 *   bulkKeyId   OCTET STRING (SIZE (16)),   -- KEKIdentifier.keyIdentifier of every part
 *   bulkKey     OCTET STRING (SIZE (32)),   -- AES-256 key-encryption key
 *   parts       SEQUENCE OF SEQUENCE {
 *     index INTEGER, plainSize INTEGER, plainSha256 OCTET STRING,
 *     sealedSize INTEGER, sealedSha256 OCTET STRING } }
 * </pre>
 *
 * <p>Security guarantees: {@link #toString()} never prints the bulk key. Only an opener that has
 * verified the main document's signature can build one.
 */
public final class PartManifest {

    private final long totalSize;
    private final int partSize;
    private final byte[] bulkKeyId;
    private final byte[] bulkKey;
    private final List<Entry> parts;

    /** One part: its position, sizes and digests. */
    public record Entry(int index, long plainSize, Sha256 plainSha256, long sealedSize, Sha256 sealedSha256) {
        public Entry {
            Objects.requireNonNull(plainSha256);
            Objects.requireNonNull(sealedSha256);
        }
    }

    PartManifest(long totalSize, int partSize, byte[] bulkKeyId, byte[] bulkKey, List<Entry> parts) {
        if (bulkKeyId.length != 16 || bulkKey.length != 32 || parts.isEmpty()) {
            throw new CryptoException(CryptoError.PART_INVALID, "malformed part manifest");
        }
        long sum = 0;
        for (int i = 0; i < parts.size(); i++) {
            Entry e = parts.get(i);
            boolean last = i == parts.size() - 1;
            if (e.index() != i || e.plainSize() <= 0 || e.plainSize() > partSize
                    || (!last && e.plainSize() != partSize)) {
                throw new CryptoException(CryptoError.PART_INVALID, "part " + i + " is out of place in the manifest");
            }
            sum += e.plainSize();
        }
        if (sum != totalSize) {
            throw new CryptoException(CryptoError.PART_INVALID, "parts add up to " + sum + " bytes, manifest says " + totalSize);
        }
        this.totalSize = totalSize;
        this.partSize = partSize;
        this.bulkKeyId = bulkKeyId.clone();
        this.bulkKey = bulkKey.clone();
        this.parts = List.copyOf(parts);
    }

    public long totalSize() {
        return totalSize;
    }

    public int partSize() {
        return partSize;
    }

    public List<Entry> parts() {
        return parts;
    }

    public int partCount() {
        return parts.size();
    }

    /** The bulk key identifier, as {@code openssl cms -secretkeyid} wants it. */
    public String bulkKeyIdHex() {
        return HexFormat.of().formatHex(bulkKeyId);
    }

    /**
     * The bulk key as hex, as {@code openssl cms -decrypt -secretkey} wants it. Anyone holding it
     * can read every part: hand it only to someone entitled to the document.
     */
    public String revealBulkKeyHexForOpenSsl() {
        return HexFormat.of().formatHex(bulkKey);
    }

    byte[] bulkKeyId() {
        return bulkKeyId.clone();
    }

    byte[] bulkKey() {
        return bulkKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartManifest m && totalSize == m.totalSize && partSize == m.partSize
                && MessageDigest.isEqual(bulkKeyId, m.bulkKeyId) && MessageDigest.isEqual(bulkKey, m.bulkKey)
                && parts.equals(m.parts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(totalSize, partSize, parts);
    }

    @Override
    public String toString() {
        return "PartManifest[" + parts.size() + " parts, " + totalSize + " bytes, key=[REDACTED]]";
    }
}
