package dev.pouch.protocol;

import dev.pouch.crypto.CryptoError;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalogue in docs/protocol.md is the enum, code for code; crypto errors map one to one. */
class ErrorCodeCatalogueTest {

    @Test
    void codesAreUnique() {
        Set<Integer> seen = new HashSet<>();
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(seen.add(c.code())).as("duplicate %d", c.code()).isTrue();
        }
    }

    @Test
    void everyCryptoErrorHasItsWireCode() {
        for (CryptoError e : CryptoError.values()) {
            assertThat(ErrorCode.of(e).code()).isEqualTo(e.code());
            assertThat(ErrorCode.of(e).name()).isEqualTo("CRYPTO_" + e.name());
        }
    }

    @Test
    void docsListEveryCodeExactly() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "protocol.md"));
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(doc).contains("| " + c.code() + " | `" + c.name() + "` | " + (c.retryable() ? "yes" : "no")
                    + " | " + c.message() + " |");
        }
        long rows = doc.lines().filter(l -> l.matches("\\| \\d{4} \\| `[A-Z_0-9]+` \\|.*")).count();
        assertThat(rows).as("no rows for codes that no longer exist").isEqualTo(ErrorCode.values().length);
    }
}
