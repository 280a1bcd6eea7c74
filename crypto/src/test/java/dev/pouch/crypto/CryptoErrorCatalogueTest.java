package dev.pouch.crypto;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The error catalogue in docs/crypto.md cannot drift from the enum, and codes never collide. */
class CryptoErrorCatalogueTest {

    @Test
    void everyCodeIsUniqueAndInTheCryptoRange() {
        Set<Integer> codes = new HashSet<>();
        for (CryptoError e : CryptoError.values()) {
            assertThat(codes.add(e.code())).as("duplicate code %d", e.code()).isTrue();
            assertThat(e.code()).isBetween(2000, 2999);
        }
    }

    @Test
    void docsListEveryErrorWithItsCodeAndMessage() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "crypto.md"));
        for (CryptoError e : CryptoError.values()) {
            assertThat(doc).contains("| " + e.code() + " | `" + e.name() + "` | " + e.message() + " |");
        }
        long rows = doc.lines().filter(l -> l.matches("\\| 2\\d{3} \\| `[A-Z_]+` \\|.*")).count();
        assertThat(rows).as("rows for codes that no longer exist").isEqualTo(Arrays.stream(CryptoError.values()).count());
    }
}
