package dev.pouch.crypto.corpus;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.corpus.CorpusManifest.Row;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The committed negative corpus ({@code src/test/resources/corpus}): every hostile or malformed
 * input is refused with its stable {@link CryptoError}, and the controls open, all judged at the
 * corpus's fixed time with its committed PKI and CRL. Regenerate with {@link CorpusGenerator}.
 */
@DisplayName("Negative corpus")
class NegativeCorpusTest {

    /** Loaded once, on first use, from the test classpath. */
    private static final class Corpus {
        static final Path DIR = locate();
        static final List<Row> ROWS = read(DIR.resolve("manifest.csv"));
        static final CorpusPki PKI = CorpusPki.load(DIR.resolve("pki"));
        static final CorpusRunner RUNNER = new CorpusRunner(PKI, Corpus::file);

        private static Path locate() {
            try {
                return Path.of(NegativeCorpusTest.class.getResource("/corpus/manifest.csv").toURI()).getParent();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        private static List<Row> read(Path manifest) {
            try {
                return CorpusManifest.read(manifest);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static byte[] file(String name) {
            try {
                return CorpusManifest.readCase(DIR.resolve("cases"), name);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Stream<Named<Row>> controls() {
        return Corpus.ROWS.stream().filter(Row::isControl)
                .map(r -> Named.of(r.file() + (r.part() >= 0 ? " part " + r.part() : "") + " is accepted for " + r.opener(), r));
    }

    static Stream<Named<Row>> negatives() {
        return Corpus.ROWS.stream().filter(r -> !r.isControl())
                .map(r -> Named.of(r.file() + " is refused for " + r.opener() + " with " + r.expected(), r));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controls")
    @DisplayName("control opens or verifies with the committed PKI at the fixed corpus time")
    void controlIsAccepted(Row row) {
        Throwable thrown = catchThrowable(() -> Corpus.RUNNER.run(row));

        assertThat(thrown).as("%s (%s): %s", row.file(), row.kind(), row.description()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("negatives")
    @DisplayName("hostile input is refused with its expected error code")
    void hostileInputIsRefusedWithItsErrorCode(Row row) {
        Throwable thrown = catchThrowable(() -> Corpus.RUNNER.run(row));

        assertThat(thrown).as("%s was accepted or failed outside CryptoException: %s", row.file(), row.description())
                .isInstanceOf(CryptoException.class);
        assertThat(((CryptoException) thrown).error().name())
                .as("%s: %s (%s)", row.file(), row.description(), thrown.getMessage())
                .isEqualTo(row.expected());
    }

    @Test
    @DisplayName("manifest lists at least 30 negative cases, a few controls, and only real error codes")
    void manifestHasEnoughCasesAndValidCodes() {
        Set<String> codes = Arrays.stream(CryptoError.values()).map(Enum::name).collect(Collectors.toSet());

        assertThat(Corpus.ROWS.stream().filter(r -> !r.isControl())).hasSizeGreaterThanOrEqualTo(30);
        assertThat(Corpus.ROWS.stream().filter(Row::isControl)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(Corpus.ROWS).allSatisfy(r -> assertThat(r.isControl() || codes.contains(r.expected()))
                .as("%s expects unknown code %s", r.file(), r.expected()).isTrue());
    }

    @Test
    @DisplayName("every file in cases/ is in the manifest, and every file the manifest names exists")
    void manifestAndCaseFilesMatch() throws IOException {
        Set<String> onDisk;
        try (Stream<Path> files = Files.list(Corpus.DIR.resolve("cases"))) {
            onDisk = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        Set<String> named = Corpus.ROWS.stream()
                .flatMap(r -> r.original().isEmpty() ? Stream.of(r.file()) : Stream.of(r.file(), r.original()))
                .collect(Collectors.toSet());
        Set<String> listed = Corpus.ROWS.stream().map(Row::file).collect(Collectors.toSet());

        assertThat(listed).as("files with a manifest row").containsAll(onDisk);
        assertThat(onDisk).as("files on disk").containsAll(named);
    }
}
